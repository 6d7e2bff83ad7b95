"""Period keys as a coordinator types them, and the list of a plan's keys as a refusal shows it.

"2026-Q2", "Q2", "quý II/2026", "quý này", "6T", "H1", "2026", "ADHOC-3"; months "T11/2026", "tháng 11",
"tháng 11 năm 2026", "2026-11", "tháng này", "tháng trước"; ISO weeks "tuần 48", "tuần 48/2026", "W48",
"2026-W48", "tuần này", "tuần trước". Plain text and a date in, a key out (`bot.calendar` names the periods).

A month or a week written without its year is the latest one that has begun by `today` ("tháng 12" typed on
5 January is last December's), since a summary of a period not begun yet has nothing in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from bot.base.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:\s*(?:/|-|nam)\s*(\d{4}))?"
_QUARTER = re.compile(r"^(?:(\d{4})-)?(?:q|quy)\s*(i{1,3}|iv|[1-4])" + _YEAR + "$")
_HALF = re.compile(r"^(?:(\d{4})-)?(?:h1|6t|6 thang)" + _YEAR + "$")
_MONTH = re.compile(r"^(?:t|thang)\s*(\d{1,2})" + _YEAR + "$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK = re.compile(r"^(?:tuan|w)\s*(\d{1,2})" + _YEAR + "$")
_ISO_WEEK = re.compile(r"^(\d{4})\s*-?\s*w\s*(\d{1,2})$")
_RELATIVE = re.compile(r"^(tuan|thang|quy) (nay|truoc)$")
# what reads as an attempt at a period rather than a unit's name ("Trung tâm ..." and "Thanh tra" are names)
_PERIODISH = re.compile(r"^(?:q\s*\d|quy\b|t\s*\d|thang\b|tuan\b|w\s*\d|\d|h\d|adhoc)")
HOW_TO_TYPE = "T11/2026, tháng 11, tuần 48, tuần này, Q2, quý II/2026, 6T, 2026"


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def _week_key(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def _month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _month(month: int, year: int | None, today: date) -> str | None:
    if not 1 <= month <= 12:
        return None
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    return _month_key(year, month)


def _week(week: int, year: int | None, today: date) -> str | None:
    if year is None:
        iso_year, this_week, _ = today.isocalendar()
        year = iso_year if week <= this_week else iso_year - 1
    if not 1 <= week <= _weeks_in(year):
        return None
    return _week_key(year, week)


def _relative(unit: str, which: str, today: date) -> str:
    if unit == "tuan":
        day = today - timedelta(days=7) if which == "truoc" else today
        year, week, _ = day.isocalendar()
        return _week_key(year, week)
    index = today.year * 12 + today.month - 1 - (1 if unit == "thang" else 3) * (which == "truoc")
    year, month = divmod(index, 12)
    if unit == "thang":
        return _month_key(year, month + 1)
    return f"{year}-Q{month // 3 + 1}"


def read_period_key(text: str, *, today: date) -> str | None:
    """The period key `text` names (see the module), or None when it names none (or a month 13, a week 60)."""
    t = fold(text).strip()
    if re.fullmatch(r"adhoc-\d+", t):
        return t.upper()
    if re.fullmatch(r"\d{4}", t):
        return t
    if m := _RELATIVE.match(t):
        return _relative(m.group(1), m.group(2), today)
    if m := _QUARTER.match(t):
        year = int(m.group(1) or m.group(3) or today.year)
        q = m.group(2)
        return f"{year}-Q{_ROMAN.get(q) or int(q)}"
    if m := _HALF.match(t):
        return f"{int(m.group(1) or m.group(2) or today.year)}-H1"
    if m := _ISO_MONTH.match(t):
        return _month(int(m.group(2)), int(m.group(1)), today)
    if m := _MONTH.match(t):
        return _month(int(m.group(1)), int(m.group(2)) if m.group(2) else None, today)
    if m := _ISO_WEEK.match(t):
        return _week(int(m.group(2)), int(m.group(1)), today)
    if m := _WEEK.match(t):
        return _week(int(m.group(1)), int(m.group(2)) if m.group(2) else None, today)
    return None


def looks_like_period(text: str) -> bool:
    """Whether `text` was meant as a period (a wrong one is refused as a period, not looked up as a unit)."""
    return _PERIODISH.match(fold(text).strip()) is not None


def _family(key: str) -> tuple[str, str]:
    """(year or "", kind letter): "2026-W05" -> ("2026", "W"), "2026-11" -> ("2026", "M"), "ADHOC-3" -> ("", "A")."""
    if m := re.fullmatch(r"(\d{4})-([QHW])\d*", key):
        return m.group(1), m.group(2)
    if m := re.fullmatch(r"(\d{4})-\d{2}", key):
        return m.group(1), "M"
    if re.fullmatch(r"\d{4}", key):
        return "", "Y"
    return "", "A"


def listed_keys(keys: Iterable[str], *, run: int = 4) -> str:
    """A plan's period keys for a refusal, short enough for a chat message: each year's weeks, months or quarters
    as a range when there are more than `run` of them ("2026-W01 … 2026-W53")."""
    families: dict[tuple[str, str], list[str]] = {}
    for key in sorted(set(keys)):
        families.setdefault(_family(key), []).append(key)
    parts = []
    for family in sorted(families, key=lambda f: ("YHQMWA".index(f[1]), f[0])):
        found = families[family]
        parts.append(f"{found[0]} … {found[-1]}" if len(found) > run and family[1] != "A" else ", ".join(found))
    return ", ".join(parts) or "chưa có kỳ nào"
