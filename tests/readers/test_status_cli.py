"""`nhacviec explain status` through the real CLI entry point."""

from __future__ import annotations

import json

import pytest

from bot.cli import main

pytestmark = pytest.mark.usefixtures("fresh_folder")


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "status", "dang lam 50% du kien xong 20/6", "--today", "2026-06-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in ("status", "percent", "expected_date", "blocker")} == {
        "status": "in_progress", "percent": 50, "expected_date": "2026-06-20", "blocker": None,
    }


def test_words_may_come_unquoted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "status", "Chưa", "triển", "khai", "do", "chưa", "có", "kinh", "phí", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["blocker"]) == ("blocked", "chưa có kinh phí")


def test_text_output_is_the_confirmation_line_and_details(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "status", "đã báo cáo bằng văn bản số 123/BC-UBND", "--today", "2026-06-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Chưa rõ tình trạng: đơn vị cho biết đã báo cáo bằng văn bản số 123/BC-UBND")
    assert "  Văn bản: 123/BC-UBND" in lines
    assert "  (Ngày gửi: 01/06/2026)" in lines


@pytest.mark.parametrize("argv", [["explain", "status"], ["explain", "status", "ok", "--today", "1/6/2026"]])
def test_bad_arguments_fail_cleanly(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err
