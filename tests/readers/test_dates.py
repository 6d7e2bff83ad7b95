"""The shared date reader: day-first dates, missing years, relative phrases."""

from __future__ import annotations

from datetime import date

import pytest

from bot.readers.dates import expected_date, find_dates, relative_date

TODAY = date(2026, 6, 1)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/11/2026", [date(2026, 11, 30)]),
        ("từ 1/3 đến 31-5-2026", [date(2026, 3, 1), date(2026, 5, 31)]),
        ("ngày 5 tháng 6 năm 2026", [date(2026, 6, 5)]),
        ("văn bản số 123/BC-UBND", []),
        ("Quý I/2026", []),
        ("31/2/2026", []),  # not a date
    ],
)
def test_find_dates(text: str, expected: list[date]) -> None:
    assert find_dates(text, default_year=2026) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hôm nay", TODAY), ("mai", date(2026, 6, 2)), ("3 ngày nữa", date(2026, 6, 4)),
        ("trong 2 tuần", date(2026, 6, 15)), ("tuần sau", date(2026, 6, 12)), ("cuối tuần", date(2026, 6, 5)),
        ("cuối tháng", date(2026, 6, 30)), ("đầu tháng sau", date(2026, 7, 5)), ("thang sau", date(2026, 7, 31)),
        ("cuối quý", date(2026, 6, 30)), ("cuối năm", date(2026, 12, 31)), ("không có gì", None),
    ],
)
def test_relative_date(text: str, expected: date | None) -> None:
    assert relative_date(text, today=TODAY) == expected


def test_expected_date_rolls_a_past_day_month_into_next_year() -> None:
    assert expected_date("xong 20/6", today=TODAY) == date(2026, 6, 20)
    assert expected_date("xong 15/1", today=TODAY) == date(2027, 1, 15)
    assert expected_date("tháng sáu", today=TODAY) is None  # June written in words is not "next month"
