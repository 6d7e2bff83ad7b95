"""Hostile plan files (issue 20, finding 2): bounded while reading, refused with a message, nothing written.

Speed and memory are measured in bench/bench_bombs.py; these tests assert behaviour only.
"""

from __future__ import annotations

from bench.hostile import continuation_document
from bot.importer.extract import extract


def test_continuation_join_of_100k_rows_keeps_every_line_once() -> None:
    items = extract(continuation_document(100_000)).items
    assert len(items) == 1
    lines = (items[0].product or "").split("\n")
    assert lines[0] == "Báo cáo" and lines[1] == "Sản phẩm 0" and lines[-1] == "Sản phẩm 99999"
    assert len(lines) == 100_001
