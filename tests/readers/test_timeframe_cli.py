"""`nhacviec explain timeframe` through the real CLI entry points."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from bot.base.clock import VN_TZ, FixedClock
from bot.cli import cli, main
from bot.cli.context import CliContext

pytestmark = pytest.mark.usefixtures("fresh_folder")


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "timeframe", "Đợt 1 quý II/2026 Đợt 2, Quý IV/2026", "--plan-year", "2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "deadlines": ["2026-06-30", "2026-12-31"], "recurrence": "none", "completed": False, "ad_hoc": False,
        "reason": None,
    }


def test_words_without_quotes_and_a_leading_dash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "timeframe", "--plan-year", "2026", "--json", "--", "-", "(5):", "30/6/2026"]) == 0
    assert json.loads(capsys.readouterr().out)["deadlines"] == ["2026-06-30"]
    assert main(["explain", "timeframe", "Hằng", "năm", "--plan-year", "2030", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["deadlines"], data["recurrence"]) == (["2030-12-31"], "yearly")


def test_readable_vietnamese_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "timeframe", "Theo Kế hoạch của UBND tỉnh", "--plan-year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "chưa xác định" in out and "Lý do" in out and "Năm kế hoạch: 2026" in out


def test_plan_year_defaults_to_the_clock_year() -> None:
    clock = FixedClock(datetime(2027, 3, 1, 9, 0, tzinfo=VN_TZ))
    result = CliRunner().invoke(cli, ["explain", "timeframe", "Quý IV", "--json"], obj=CliContext(clock=clock))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["deadlines"] == ["2027-12-31"]


@pytest.mark.parametrize("argv", [["explain", "timeframe"], ["explain", "timeframe", "x", "--plan-year", "20x6"],
                                  ["explain", "timeframe", "x", "--plan-year", "99999"]])
def test_bad_input_is_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) != 0
    assert "Traceback" not in capsys.readouterr().err


def test_help() -> None:
    assert main(["explain", "--help"]) == 0
    assert main(["explain", "timeframe", "--help"]) == 0
