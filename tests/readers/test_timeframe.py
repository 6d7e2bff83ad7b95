"""The timeframe reader on every seed cell and the everyday variants (table in timeframe_cases.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.readers.timeframe import (
    REASON_EMPTY,
    REASON_OTHER_PLAN,
    REASON_STAGE,
    REASON_UNREADABLE,
    Recurrence,
    Timeframe,
    parse_timeframe,
)
from tests.readers.timeframe_cases import CASES, SEED_CASES, Case


@pytest.mark.parametrize("case", CASES, ids=[f"{c.source}: {c.text!r}" for c in CASES])
def test_table(case: Case) -> None:
    timeframe = parse_timeframe(case.text, case.plan_year)
    assert [d.isoformat() for d in timeframe.deadlines] == list(case.deadlines)
    assert timeframe.recurrence == case.recurrence
    assert (timeframe.completed, timeframe.ad_hoc) == (case.completed, case.ad_hoc)
    if case.recurrence == Recurrence.UNSPECIFIED:
        assert timeframe.reason, "an unspecified timeframe says why"
    else:
        assert timeframe.reason is None
    assert timeframe.raw == (case.text or "")


def _timeframe_cells(text: str) -> set[str]:
    """Every cell under (and right of) a "Thời gian thực hiện" header in a tab-separated appendix."""
    cells: set[str] = set()
    column: int | None = None
    for line in text.splitlines():
        parts = [re.sub(r"<[^>]+>", "", p).strip() for p in line.split("\t")]
        if len(parts) < 2:
            continue
        if "Thời gian thực hiện" in parts:
            column = parts.index("Thời gian thực hiện")
            continue
        if column is not None:
            cells.update(p for p in parts[column:] if p)
    return cells


@pytest.mark.parametrize("prefix", ["001", "002", "003"])
def test_the_table_covers_every_timeframe_cell_of_the_tab_separated_seeds(seeds_dir: Path, prefix: str) -> None:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    cells = _timeframe_cells(path.read_text(encoding="utf-8"))
    assert cells, "the seed has a timeframe column"
    covered = {c.text for c in SEED_CASES}  # a cell shared by several seeds is listed once
    assert cells - covered == set()


def test_the_pdf_seed_cells_are_in_the_table(seeds_dir: Path) -> None:
    (path,) = seeds_dir.glob("000_*.txt")
    text = path.read_text(encoding="utf-8")
    for case in (c for c in SEED_CASES if c.source == "seed 000"):
        assert case.text is not None and case.text in text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", REASON_EMPTY),
        (None, REASON_EMPTY),
        ("Theo Kế hoạch của UBND tỉnh", REASON_OTHER_PLAN),
        ("Trong giai đoạn", REASON_STAGE),
        ("Chưa rõ", REASON_UNREADABLE),
    ],
)
def test_unspecified_reasons(text: str | None, reason: str) -> None:
    timeframe = parse_timeframe(text, 2026)
    assert (timeframe.recurrence, timeframe.reason, timeframe.deadlines) == (Recurrence.UNSPECIFIED, reason, ())


def test_to_json_shape() -> None:
    data = parse_timeframe("Quý I/2026 (Đã hoàn thành)", 2026).to_json()
    assert data == {"deadlines": ["2026-03-31"], "recurrence": "none", "completed": True, "ad_hoc": False,
                    "reason": None}


def test_the_plan_year_fills_missing_years() -> None:
    assert parse_timeframe("Quý IV", 2027).deadlines == (date(2027, 12, 31),)
    assert parse_timeframe("Hằng quý", 2025).deadlines[-1] == date(2025, 12, 31)


def test_describe_vi_is_vietnamese_and_complete() -> None:
    text = parse_timeframe("Đợt 1 quý II/2026 Đợt 2, Quý IV/2026", 2026).describe_vi()
    assert "30/06/2026" in text and "31/12/2026" in text and "không lặp lại" in text
    unreadable = parse_timeframe("Theo kế hoạch của UBND tỉnh", 2026).describe_vi()
    assert "chưa xác định" in unreadable and REASON_OTHER_PLAN in unreadable
    assert "đột xuất" in parse_timeframe("Thường xuyên (khi có yêu cầu)", 2026).describe_vi()


def test_timeframe_is_frozen() -> None:
    timeframe = parse_timeframe("2026", 2026)
    assert isinstance(timeframe, Timeframe)
    with pytest.raises(AttributeError):
        timeframe.completed = True  # type: ignore[misc]


def test_plan_year_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="plan year"):
        parse_timeframe("Quý I", 99)


@pytest.mark.parametrize("text", ["thứ Sáu hằng tuần", "Hằng tuần trước 16 giờ thứ Năm", "Định kỳ hằng tuần"])
def test_a_weekly_cell_recurs_every_week_with_no_deadline_of_its_own(text: str) -> None:
    timeframe = parse_timeframe(text, 2026)
    assert timeframe.recurrence is Recurrence.WEEKLY and timeframe.deadlines == () and timeframe.reason is None
