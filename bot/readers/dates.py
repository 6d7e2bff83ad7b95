"""Dates as Vietnamese staff and documents write them: day first, years often left out.

Fast regular expressions handle the usual shapes ("30/11/2026", "20/6", "ngày 5 tháng 6 năm 2026");
`dateparser_date` wraps dateparser (day-first, RELATIVE_BASE, the Vietnam zone) for the rest.
Relative phrases ("tuần sau", "cuối tháng", "3 ngày nữa") are read here, not by dateparser, which
gets several Vietnamese ones wrong.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from bot.base.text import fold

# dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, dd/mm (year optional); not part of a longer number or a document number.
_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}))?(?![\d/]|\s*/\s*[a-z])")
# "ngay 5 thang 6 nam 2026", "ngay 05 thang 6"
_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: str | None, default_year: int) -> int:
    if raw is None:
        return default_year
    value = int(raw)
    return value + 2000 if value < 100 else value


def find_dates(text: str, *, default_year: int) -> list[date]:
    """Every explicit day-first date in `text`, in order; a missing year is `default_year`."""
    folded = fold(text)
    found: list[tuple[int, date]] = []
    for pattern in (_NUMERIC, _WORDS):
        for match in pattern.finditer(folded):
            day, month = int(match.group(1)), int(match.group(2))
            parsed = _safe_date(_year(match.group(3), default_year), month, day)
            if parsed is not None:
                found.append((match.start(), parsed))
    found.sort(key=lambda item: item[0])
    return [d for _, d in found]


def has_explicit_year(text: str) -> bool:
    folded = fold(text)
    return any(m.group(3) for p in (_NUMERIC, _WORDS) for m in p.finditer(folded))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def _friday_of(day: date) -> date:
    return day + timedelta(days=4 - day.weekday())


_RELATIVE_NUMBER = re.compile(r"(?:trong\s+)?(\d{1,3})\s+(ngay|tuan|thang)\s*(?:nua|toi|sau)?\b")


def relative_date(text: str, *, today: date) -> date | None:
    """A relative completion phrase, read against `today`; None when there is none.

    "hôm nay", "ngày mai"/"mai", "ngày kia", "N ngày/tuần/tháng nữa", "trong N ngày", "tuần này"/"cuối
    tuần" (this Friday), "tuần sau"/"tuần tới" (next Friday), "cuối tháng", "tháng sau"/"cuối tháng sau",
    "đầu tháng sau" (the 5th), "cuối quý", "cuối năm".
    """
    t = fold(text)
    match = _RELATIVE_NUMBER.search(t)
    relative = match is not None and (
        match.group(0).split()[-1] in {"nua", "toi", "sau"} or match.group(0).startswith("trong")
    )
    if match and relative:
        n, unit = int(match.group(1)), match.group(2)
        if unit == "ngay":
            return today + timedelta(days=n)
        if unit == "tuan":
            return today + timedelta(weeks=n)
        y, m = divmod(today.month - 1 + n, 12)
        return _safe_date(today.year + y, m + 1, today.day) or month_end(today.year + y, m + 1)
    if re.search(r"tháng\s+sáu", text.lower()):  # "tháng sáu" is June, not "tháng sau" (next month)
        t = re.sub(r"thang sau", "thang 6", t)
    rules: list[tuple[str, date]] = []
    next_month_y, next_month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    rules += [
        (r"\bdau thang sau\b|\bdau thang toi\b", date(next_month_y, next_month, 5)),
        (r"\bcuoi thang sau\b|\bthang sau\b|\bthang toi\b", month_end(next_month_y, next_month)),
        (r"\bcuoi thang\b|\bcuoi thang nay\b|\btrong thang\b|\btrong thang nay\b", month_end(today.year, today.month)),
        (r"\bcuoi quy\b|\btrong quy\b", quarter_end(today.year, (today.month - 1) // 3 + 1)),
        (r"\bcuoi nam\b|\btrong nam\b", date(today.year, 12, 31)),
        (r"\btuan sau\b|\btuan toi\b|\bcuoi tuan sau\b", _friday_of(today + timedelta(days=7))),
        (r"\bcuoi tuan\b|\btuan nay\b|\btrong tuan\b", _friday_of(today) if today.weekday() <= 4 else today),
        (r"\bngay kia\b|\bngay mot\b", today + timedelta(days=2)),
        (r"\bngay mai\b|\bmai\b", today + timedelta(days=1)),
        (r"\bhom nay\b|\btrong ngay\b|\bchieu nay\b|\bsang nay\b", today),
    ]
    for pattern, value in rules:
        if re.search(pattern, t):
            return value
    return None


def expected_date(text: str, *, today: date) -> date | None:
    """A completion date in a reply: an explicit date (a past day/month without year means next year)
    or a relative phrase."""
    dates = find_dates(text, default_year=today.year)
    if dates:
        chosen = dates[-1]
        if not has_explicit_year(text) and chosen < today - timedelta(days=31):
            chosen = _safe_date(chosen.year + 1, chosen.month, chosen.day) or chosen
        return chosen
    return relative_date(text, today=today)


@lru_cache(maxsize=1)
def _dateparser():  # type: ignore[no-untyped-def]
    import dateparser  # imported lazily: it takes about a second to load its language data

    return dateparser


def dateparser_date(text: str, *, base: datetime) -> date | None:
    """dateparser alone, day first, relative to `base` (aware, Vietnam time): the fallback and the baseline."""
    parsed = _dateparser().parse(
        text,
        languages=["vi", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "RELATIVE_BASE": base.replace(tzinfo=None),
            "TIMEZONE": "Asia/Ho_Chi_Minh",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "last",
            "PREFER_DATES_FROM": "future",
        },
    )
    return parsed.date() if parsed else None
