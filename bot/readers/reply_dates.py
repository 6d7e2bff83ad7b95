"""The completion date in a staff reply, on top of the shared `bot.readers.dates` helpers.

Adds what replies say and the shared reader leaves out: "trong tháng 7", "cuối quý III", "thứ 6 tuần sau";
and, when a reply holds several dates ("gửi dự thảo 10/5, dự kiến xong 20/6"), prefers the one next to a
completion word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.calendar import vn_holidays
from bot.readers import reply_vocab as vocab
from bot.readers.dates import expected_date, find_dates, has_explicit_year, month_end, quarter_end, relative_date

_CLAUSE = re.compile(r"[;!?\n]|\.(?=\s|$)|,(?!\d)")
_MONTH = re.compile(
    r"(?<!ngay )(?<!\d )\b(?:(cuoi|het|trong|dau|giua|vao)\s+)?thang\s+(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\b"
)
_QUARTER = re.compile(r"\bquy\s+(iv|i{1,3}|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?")
# "đầu tháng sau", "tháng sau đầu tháng", "sang tháng (em làm)": when the next month comes, its 5th
_NEXT_MONTH_START = re.compile(
    r"\bdau thang (?:sau|toi)\b|\b(?:thang (?:sau|toi)|sang thang)\b[^.;!?]{0,20}?\bdau thang\b"
    r"|\bsang thang\b(?!\s+(?:\d|sau|toi|nay|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|gieng|chap))"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WEEKDAY = re.compile(
    r"(?<!lan )(?<!dot )(?<!buoc )\b(?:(hom|tu|bua|hoi|ngay|vao)\s+)?(?:(?:sang|chieu|toi|trua)\s+)?"
    r"(?:thu\s+(2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)"
    r"|(chu nhat|cn))\b(\s+tuan\s+(?:sau|toi))?(\s+tuan\s+(?:truoc|roi|qua))?"
)
_PAST_TENSE = re.compile(r"\b(?:roi|da|vua qua)\b")  # "thứ 4 vừa rồi", "thứ 6 vừa qua": the latest one
# Days gone by: "hôm qua", "bữa qua", "chiều qua", "hôm kia", "sáng nay", "hồi sáng", "bữa nay".
_PAST_DAY = re.compile(
    r"\b(?:(?:hom|bua|chieu|sang|toi|trua)\s+qua|(hom|bua)\s+kia|(?:hoi\s+)?(?:sang|chieu|trua)\s+nay|hoi sang"
    r"|bua nay)\b"
)
# "hôm nay xong rồi", "xong hôm nay": done today (for a finished task only; "hôm nay làm được 40%" is no date)
_DONE_TODAY = re.compile(
    r"\bhom nay\s+(?:[a-z]+\s+){0,2}?(?:xong|hoan thanh)\b|\b(?:xong|hoan thanh)\s+(?:[a-z]+\s+)?hom nay\b"
)
_MID_MONTH = re.compile(r"\bgiua\s+thang(\s+(?:sau|toi))?\b(?!\s+\d)")
_NEXT_WEEK_START = re.compile(r"\bdau\s+tuan\s+(?:sau|toi)\b")
_WEEK_AFTER_NEXT = re.compile(
    r"\b(?:thu\s+(2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)\s+)?tuan\s+(?:sau|toi)\s+nua\b"
)
_AFTER_TET = re.compile(
    r"\b(?:sau|qua|ra|het|xong)\s+(?:ky nghi\s+)?tet\b(?!\s+(?:duong|tay|thanh minh|doan ngo|trung thu))"
    r"|\b(?:ra|qua|sau)\s+gieng\b"  # "ra Giêng làm nốt": the first lunar month, after Tết
)
_DAY_OF_MONTH = re.compile(
    r"(?<![\d/])\b(?:ngay|mong|mung)\s+(\d{1,2})\b(?!\s*(?:/|-|\.\d|thang|nua|toi|sau|truoc))"
)
# "ngày 10 tháng này", "mồng 5 tháng sau": a day of this month or of the next
_DAY_OF_NAMED_MONTH = re.compile(r"(?<![\d/])\b(?:ngay|mong|mung)\s+(\d{1,2})\s+thang\s+(nay|sau|toi)\b")
# "xong hôm 12 rồi", "từ hôm 9", "bữa 16": a day of the month gone by (this month's, or last month's when ahead)
_PAST_DAY_NUMBER = re.compile(
    r"(?<![\d/])\b(?:hom|bua|hoi|tu)\s+(?:ngay\s+)?(\d{1,2})\b(?!\s*(?:/|-|\.\d|thang|gio|h\b|phut|ngay|nguoi|ho\b))"
    # "xong ngày 12 rồi", "hoàn thành vào ngày 3 rồi": done on a day gone by ("rồi" after it)
    rf"|(?<![\d/])\b{vocab.DONE_WORD}\s+(?:(?:tu|vao|trong)\s+)?ngay\s+(\d{{1,2}})\s+roi\b"
)
# "tuần này bận tiếp đoàn, tuần sau em làm": the time the unit is busy is not when the work is done
_BUSY_THEN = re.compile(
    r"\b(?:tuan nay|hom nay|thang nay|may hom nay|may bua nay|nay|mai)\s+(?:(?:em|e|minh|ben em|tui)\s+)?(?:dang\s+)?"
    r"ban\b"
    r"(?!\s+(?:giao|hanh|thao|ve|in|do|sao|ke|bao cao|chinh|mem|cung))")
_AFTER_TET_DAYS = 14  # "sau Tết": two weeks after the first day (the writers' brief: Tết 6/2/2027 -> 20/2/2027)
_WEEKDAY_INDEX = {"2": 0, "hai": 0, "3": 1, "ba": 1, "4": 2, "tu": 2, "5": 3, "nam": 3, "6": 4, "sau": 4,
                  "7": 5, "bay": 5}


_FINISHING = re.compile(rf"\b(?:nop|gui|ban giao|nghiem thu|{vocab.DONE_WORD})\b")


@dataclass(frozen=True)
class DateFound:
    value: date
    cued: bool  # next to a completion word ("dự kiến", "trước", "xong") or a relative phrase ("tuần sau")


def _month_phrase(clause: str, today: date) -> date | None:
    m = _MONTH.search(clause)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    month = int(m.group(2))
    year = int(m.group(3)) if m.group(3) else today.year
    if not m.group(3) and month_end(year, month) < today - timedelta(days=31):
        year += 1
    day = {"dau": 5, "giua": 15}.get(m.group(1) or "")
    return date(year, month, day) if day else month_end(year, month)


_NEXT_QUARTER = re.compile(r"\bquy\s+(?:sau|toi)\b")


def _quarter_phrase(clause: str, today: date) -> date | None:
    """"quý III", "cuối quý 4/2026": that quarter's last day; "quý sau": the next quarter's."""
    m = _QUARTER.search(clause)
    if not m and _NEXT_QUARTER.search(clause):
        quarter = (today.month - 1) // 3 + 2
        return quarter_end(today.year + 1, 1) if quarter > 4 else quarter_end(today.year, quarter)
    if not m:
        return None
    quarter = _ROMAN.get(m.group(1)) or int(m.group(1))
    year = int(m.group(2)) if m.group(2) else today.year
    return quarter_end(year, quarter)


# "lớp thứ 3", "xã thứ 2", "đợt thứ 3": an ordinal after a counted noun, not a weekday (unless "tuần sau" follows)
_ORDINAL_AFTER = re.compile(
    r"\b(?:lop|dot|lan|buoc|ky|khoa|phan|giai doan|vong|tuan|thang|nam|nguoi|xa|thon|ap|to|khu|truong|diem|tuyen"
    r"|muc|chuong|hoi nghi|buoi|nhiem vu|nv|hang muc|don vi|phuong|lang|buon|ban|xom|so|tap|quyen|bieu|mau|cau"
    r"|phong|nhom|doi|lo|goi|can|ho|hoc vien|hoc sinh|con|cai|chiec|bo|trang|dong|cot|file|bai|tin|video)\s+$"
)


def _weekday_phrase(clause: str, today: date) -> date | None:
    """"thứ 6 tuần sau"; "thứ 5" (the next one); "hôm/từ thứ 2", "thứ 6 tuần trước", "thứ 3 rồi" (the last one)."""
    m = next((m for m in _WEEKDAY.finditer(clause)
              if m.group(1) or m.group(4) or m.group(5) or m.group(3) or not _ORDINAL_AFTER.search(clause[:m.start()])),
             None)
    if not m:
        return None
    weekday = 6 if m.group(3) else _WEEKDAY_INDEX[m.group(2)]
    if m.group(4):
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    if m.group(5):
        last_monday = today - timedelta(days=today.weekday() + 7)
        return last_monday + timedelta(days=weekday)
    if m.group(1) in {"hom", "tu", "bua", "hoi"} or _PAST_TENSE.search(clause[m.end():]):
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _week_after_next(clause: str, today: date) -> date | None:
    """"tuần sau nữa": the Friday of the week after next; "thứ 3 tuần sau nữa": that day of it."""
    m = _WEEK_AFTER_NEXT.search(clause)
    if not m:
        return None
    monday = today + timedelta(days=14 - today.weekday())
    return monday + timedelta(days=_WEEKDAY_INDEX[m.group(1)] if m.group(1) else 4)


def _lunar_new_year(year: int) -> date:
    found = [d for d, name in vn_holidays(year).items() if name == "Lunar New Year"]
    return found[0] if found else date(year, 2, 1)


def _after_tet(clause: str, today: date) -> date | None:
    """"sau Tết", "qua Tết", "ra Tết": two weeks after the next Lunar New Year (or this one, if it is under way)."""
    if not _AFTER_TET.search(clause):
        return None
    tet = _lunar_new_year(today.year)
    if tet + timedelta(days=_AFTER_TET_DAYS) < today:
        tet = _lunar_new_year(today.year + 1)
    return tet + timedelta(days=_AFTER_TET_DAYS)


def _day_of_month(clause: str, today: date) -> date | None:
    """"ngày 25 em gửi": the 25th of this month, or of the next when it has passed ("xong ngày 12 rồi" is past)."""
    m = _DAY_OF_MONTH.search(clause)
    if not m or not 1 <= int(m.group(1)) <= 31:
        return None
    past = _PAST_DAY_NUMBER.search(clause)
    if past and past.group(2):
        return _past_day_number(clause, today)
    day, year, month = int(m.group(1)), today.year, today.month
    if day < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_of_named_month(clause: str, today: date) -> date | None:
    m = _DAY_OF_NAMED_MONTH.search(clause)
    if not m:
        return None
    year, month = today.year, today.month
    if m.group(2) != "nay":
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    try:
        return date(year, month, int(m.group(1)))
    except ValueError:
        return None


def _past_day_number(clause: str, today: date) -> date | None:
    """"xong hôm 12 rồi": the 12th of this month, or of last month when the 12th is still to come."""
    m = _PAST_DAY_NUMBER.search(clause)
    if not m or not 1 <= int(m.group(1) or m.group(2)) <= 31:
        return None
    day, year, month = int(m.group(1) or m.group(2)), today.year, today.month
    if day > today.day:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _past_day(clause: str, today: date) -> date | None:
    m = _PAST_DAY.search(clause)
    if not m:
        return None
    if m.group(1):
        return today - timedelta(days=2)
    return today if "nay" in m.group(0) or m.group(0) == "hoi sang" else today - timedelta(days=1)


def _mid_month(clause: str, today: date) -> date | None:
    """"giữa tháng" is the 15th of this month, "giữa tháng sau" of the next."""
    m = _MID_MONTH.search(clause)
    if not m:
        return None
    if not m.group(1):
        return date(today.year, today.month, 15)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, 15)


def _start_of_next_week(clause: str, today: date) -> date | None:
    """"đầu tuần sau" is next Monday."""
    return today + timedelta(days=7 - today.weekday()) if _NEXT_WEEK_START.search(clause) else None


def _start_of_next_month(clause: str, today: date) -> date | None:
    """"đầu tháng sau" is the 5th: the shared reader documents that, but its "tháng sau" rule matches first."""
    if not _NEXT_MONTH_START.search(clause):
        return None
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, 5)


def _clause_date(clause: str, today: date) -> tuple[date | None, bool]:
    """A clause's date and whether it was a relative phrase."""
    if find_dates(clause, default_year=today.year):
        return expected_date(clause, today=today), False
    for reader in (_past_day, _week_after_next, _after_tet, _day_of_named_month, _mid_month, _start_of_next_week,
                   _month_phrase, _quarter_phrase, _weekday_phrase, _start_of_next_month, _day_of_month):
        found = reader(clause, today)
        if found:
            return found, True
    found = relative_date(clause, today=today)
    return found, found is not None


def completion_date(folded: str, *, today: date) -> DateFound | None:
    """The expected completion date: the first one next to a completion word, else the last one."""
    dated: list[DateFound] = []
    finishing: list[DateFound] = []  # next to a word that ends the work: "thứ 2 tuần sau nộp", "thứ 6 xong"
    for clause in _CLAUSE.split(folded):
        if not clause.strip():
            continue
        found, relative = _clause_date(clause, today)
        if found and _BUSY_THEN.search(clause) and len(_CLAUSE.split(folded)) > 1:
            continue
        if found:
            dated.append(DateFound(found, relative or bool(vocab.COMPLETION_CUE.search(clause))))
            if _FINISHING.search(clause) and found > today:
                finishing.append(dated[-1])
    if not dated:
        return None
    if len(dated) > 1 and finishing:
        return finishing[0]
    return next((d for d in dated if d.cued), dated[-1])


def written_date(folded: str, *, today: date) -> date | None:
    """The date a finished task was finished on, as written: a missing year is this year, or last year when
    that would put it more than a month ahead."""
    dates = find_dates(folded, default_year=today.year)
    if not dates:
        return None
    chosen = dates[-1]
    if not has_explicit_year(folded) and chosen > today + timedelta(days=31):
        chosen = chosen.replace(year=chosen.year - 1) if (chosen.month, chosen.day) != (2, 29) else chosen
    return chosen


def done_day(folded: str, *, today: date) -> date | None:
    """The day a finished task was finished on, said relatively ("xong hôm qua", "từ thứ 2 rồi"); a month or a
    quarter ("xong từ tháng 3") names no day and gives None."""
    for clause in _CLAUSE.split(folded):
        for reader in (_past_day, _weekday_phrase, _past_day_number):
            found = reader(clause, today)
            if found is not None and found <= today:
                return found
    return today if _DONE_TODAY.search(folded) else None
