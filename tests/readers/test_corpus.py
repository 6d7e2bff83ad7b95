"""The reply reader on the training part of the writers' corpus (tests/readers/corpus): figures must not drop.

The floors are the figures measured when the corpus landed (2026-12-02), minus one point; raise them as the reader
improves. The held-back part is scored by `python -m bench.bench_readers_corpus --part held_back`, never here.
"""

from __future__ import annotations

from tests.readers.corpus_score import load, score

FLOORS = {"status accuracy": 63.4, "committed-right": 68.8, "percent exact": 53.8, "date exact": 59.1,
          "blocker found": 39.9}


def test_training_part_holds_its_figures() -> None:
    rows = load("train")
    assert len(rows) >= 1200
    figures = score(rows).figures()
    below = {name: figures[name] for name, floor in FLOORS.items() if figures[name] < floor}
    assert not below, below
