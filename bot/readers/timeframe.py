"""The "Thời gian thực hiện" column: a phrase plus the plan's year -> deadlines, recurrence, flags.

Domain code: plain text in, a frozen `Timeframe` out; nothing here reads the clock.

How phrases are read (every rule is pinned by tests/readers/timeframe_cases.py):

- A period means its last day: "Quý II/2026" -> 30/06/2026, "Tháng 6/2026" -> 30/06/2026,
  "Năm 2026" / "2026" -> 31/12/2026, "6 tháng đầu năm" -> 30/06, "Tuần đầu tháng 7" -> 07/07.
  A period without a year takes the year written later in the same list or range ("Quý I, II/2026"),
  a year earlier when the list would otherwise run backwards ("Quý IV, Quý I/2027" -> Q4 of 2026),
  else the last year written before it, else the plan year.
- Several periods or dates give several deadlines, sorted, without duplicates. A range
  ("Tháng 6 - 9/2026", "Từ tháng 3 đến tháng 6/2026", "Quý II - III/2026") gives only its end.
- "Hằng năm", "Hàng quý", "Hằng tháng", "Định kỳ 6 tháng" (and the list "Báo cáo: Quý, 6 tháng, năm")
  are recurring: the recurrence is the most frequent one named, and the deadlines are that
  recurrence's period ends in the plan year (or the dates the phrase states: "trước 15/6 hằng năm").
- "Thường xuyên" (and "Định kỳ" naming no period) is continuous: reported every period, no deadline of its own.
- A multi-year stage ("Giai đoạn 2025-2030", "2026 - 2030") that contains the plan year reads as
  yearly work with the plan year's 31 December as its deadline: the plan is a yearly plan, the bot
  nudges and collects reports inside that year, and a stage end years away would never trigger a
  nudge. A stage that does not contain the plan year gives the stage's end as a one-off deadline.
- "Đã hoàn thành" sets `completed`; a date after it is when the work was done, not a deadline
  ("Trước 30/6/2026 (Đã hoàn thành 15/5/2026)"). "đột xuất", "khi có yêu cầu" set `ad_hoc`.
- A phrase that names a date "before" something keeps the date itself ("Trước 30/11/2026" -> 30/11),
  since the bot nudges ahead of every deadline anyway; "before" a period means before it starts
  ("Trước Quý III/2026" -> 30/06/2026, "Trước tháng 12/2026" -> 30/11/2026, "Trước năm 2027" -> 31/12/2026).
- "(nhiệm vụ 2025 chuyển tiếp)" (carried over from 2025) is a note, not a deadline.
- Anything else ("Theo Kế hoạch của UBND tỉnh", "Trong giai đoạn", empty) is `unspecified`, with a
  short Vietnamese reason; the reader never guesses a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from bot.readers.dates import find_dates, has_explicit_year, month_end, quarter_end
from bot.readers.folding import aligned_fold, clean_text


class Recurrence(StrEnum):
    NONE = "none"
    CONTINUOUS = "continuous"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    UNSPECIFIED = "unspecified"


RECURRENCE_VI = {
    Recurrence.NONE: "không lặp lại (làm một lần)",
    Recurrence.CONTINUOUS: "thường xuyên (báo cáo mọi kỳ, không có hạn riêng)",
    Recurrence.WEEKLY: "hằng tuần (báo cáo mỗi tuần theo lịch của kế hoạch)",
    Recurrence.MONTHLY: "hằng tháng",
    Recurrence.QUARTERLY: "hằng quý",
    Recurrence.HALF_YEARLY: "6 tháng một lần",
    Recurrence.YEARLY: "hằng năm",
    Recurrence.UNSPECIFIED: "chưa xác định",
}

REASON_EMPTY = "Không ghi thời gian thực hiện"
REASON_OTHER_PLAN = "Theo kế hoạch/văn bản khác, không nêu thời hạn cụ thể"
REASON_STAGE = "Giai đoạn không nêu rõ năm"
REASON_UNREADABLE = "Không đọc được thời hạn"
REASON_TOO_LONG = "Nội dung quá dài, không phải một thời hạn"

MAX_LENGTH = 2000  # a timeframe cell is a phrase; anything longer is not read


@dataclass(frozen=True)
class Timeframe:
    raw: str
    deadlines: tuple[date, ...]  # in order, no duplicates
    recurrence: str  # a Recurrence value
    completed: bool
    ad_hoc: bool  # "khi có yêu cầu", "đột xuất"
    reason: str | None  # why unspecified

    def to_json(self) -> dict[str, object]:
        return {
            "deadlines": [d.isoformat() for d in self.deadlines],
            "recurrence": str(self.recurrence),
            "completed": self.completed,
            "ad_hoc": self.ad_hoc,
            "reason": self.reason,
        }

    def describe_vi(self) -> str:
        """A short Vietnamese explanation, one fact a line."""
        lines = [f"Thời gian thực hiện: “{self.raw}”" if self.raw.strip() else "Thời gian thực hiện: (trống)"]
        if self.deadlines:
            lines.append("Hạn: " + ", ".join(d.strftime("%d/%m/%Y") for d in self.deadlines))
        else:
            lines.append("Hạn: không có hạn cụ thể")
        lines.append(f"Lặp lại: {RECURRENCE_VI[Recurrence(self.recurrence)]}")
        lines.append("Trạng thái: đã hoàn thành" if self.completed else "Trạng thái: chưa ghi là hoàn thành")
        if self.ad_hoc:
            lines.append("Có báo cáo đột xuất / khi có yêu cầu")
        if self.reason:
            lines.append(f"Lý do chưa xác định: {self.reason}")
        return "\n".join(lines)


# --- the tokenizer ----------------------------------------------------------------------------
# One pass of one regular expression over the folded phrase (lower case, no diacritics, one space
# between words). Every quantifier is bounded or separated by literals: no catastrophic backtracking.

_YEAR = r"((?:19|20|21)\d{2})(?!\d)"
_YEAR_SUFFIX = rf"(?:\s?(?:[/.-]|nam)\s?{_YEAR})?"
_ROMAN = r"(iv|i{1,3}|[1-4])"
_NOT_AFTER_THEO_QUY = r"(?!\s?(?:dinh|che|trinh|mo|hoach|tac|chuan|pham|uoc|doi)\b)"

_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<carry>\(?\s?(?:nhiem vu|nv) (?:nam )?\d{4} chuyen tiep\s?\)?|chuyen tiep tu (?:nam )?\d{4})",
            r"(?P<done>\bda (?:hoan thanh|thuc hien xong|xong)\b)",
            r"(?P<adhoc>\bdot xuat\b|\b(?:khi|neu) co yeu cau\b|\btheo yeu cau\b|\bkhi can(?: thiet)?\b)",
            # "Định kỳ" naming no period ("Định kỳ", "định kỳ, đột xuất") is reported every period, like
            # "Thường xuyên"; "định kỳ hằng quý", "định kỳ 6 tháng" are read by the tokens of their period
            r"(?P<cont>\bthuong xuyen\b|\blien tuc\b|\b(?:hang|moi) ngay\b"
            r"|\bdinh ky\b(?! ?(?:0?6 thang|hang|moi|cac|nam|quy|thang|tuan|theo (?:0?6 thang|quy\b(?! dinh)))))",
            r"(?P<dayeach>\bngay (\d{1,2}) (?:cua )?(?:hang|moi|cac) thang\b)",
            r"(?P<cutq>\bngay (\d{1,2}) (?:cua )?thang cuoi (?:moi )?(?:quy|ky)\b)",
            r"(?P<half>\b(?:dinh ky|hang|moi|theo) 0?6 thang\b(?! (?:dau|cuoi))|\b0?6 thang (?:mot|1) lan\b"
            r"|\bnua nam (?:mot|1) lan\b)",
            r"(?P<yearly>\b(?:dinh ky )?(?:hang|moi) nam\b|\bdinh ky nam\b|\bcac nam (?:tiep theo|sau)\b)",
            rf"(?P<quarterly>\b(?:dinh ky )?(?:hang|moi|cac) quy\b(?! ?{_ROMAN}\b)|\b(?:dinh ky|theo) quy\b"
            rf"{_NOT_AFTER_THEO_QUY}(?! ?{_ROMAN}\b))",
            r"(?P<monthly>\b(?:dinh ky )?(?:hang|moi) thang\b(?! ?\d)|\bdinh ky thang\b(?! ?\d))",
            r"(?P<weekly>\b(?:dinh ky )?(?:hang|moi) tuan\b|\bdinh ky tuan\b)",
            # the day of a weekly report ("trước 16 giờ thứ Năm"): neither the hour nor the weekday is a date
            r"(?P<weekday>(?<!\d)(?:\d{1,2} ?(?:gio|h)(?: ?\d{1,2})?(?: phut)? (?:(?:ngay|vao|cua) )*)?"
            r"\bthu (?:hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b)",
            rf"(?P<nmonths>\b(\d{{1,2}}) thang (dau|cuoi) nam\b(?: ?(?:nam )?{_YEAR})?)",
            rf"(?P<partyear>\b(dau|giua|cuoi) nam\b(?: ?{_YEAR})?)",
            rf"(?P<week>\btuan (dau|cuoi|thu \d) (?:cua )?thang (\d{{1,2}})(?!\d){_YEAR_SUFFIX})",
            rf"(?P<stage>(?:\bgiai doan |\btu (?:nam )?|\bnam )?(?<!\d){_YEAR} ?(?:-|den|toi) ?(?:nam )?{_YEAR})",
            rf"(?P<isodate>(?<![\d/.-]){_YEAR}-(\d{{1,2}})-(\d{{1,2}})(?![\d/.-]))",
            rf"(?P<dateword>\bngay (\d{{1,2}}) thang (\d{{1,2}})(?!\d)(?: nam {_YEAR})?)",
            rf"(?P<quarter>(?<![a-z0-9])(?:quy|qui|q\.?) ?{_ROMAN}(?![a-z0-9]){_YEAR_SUFFIX})",
            rf"(?P<month>(?<![a-z0-9])(?:thang|t) ?(\d{{1,2}})(?!\d){_YEAR_SUFFIX})",
            r"(?P<date>(?<![\d/])\d{1,2} ?(?P<dsep>[/.-]) ?\d{1,2}(?: ?(?P=dsep) ?(?:\d{4}|\d{2}))?(?![\d/]))",
            rf"(?P<year>(?:\b(?:trong|ca) )?(?:\bnam )?(?<!\d){_YEAR})",
            r"(?P<yearword>\b(?:trong|ca) nam\b)",
            r"(?P<freqbare>(?<![a-z0-9])(?:quy|0?6 thang|nam|thang)(?![a-z0-9]))",
            rf"(?P<bare>(?<![\d/(a-z])(iv|i{{1,3}}|\d{{1,2}})(?![\d)a-z])(?: ?(?:/|nam) ?{_YEAR})?)",
            r"(?P<other>\btheo (?:ke hoach|kh|chuong trinh|lich|huong dan|van ban|quy dinh|chi dao|tien do)\b)",
            r"(?P<stagebare>\bgiai doan\b)",
            r"(?P<sep>\bdot \d{1,2}\b)",
            r"(?P<range>-|\bden\b|\btoi\b)",
            r"(?P<list>[,;&+]|\bva\b|\bhoac\b)",
        )
    )
)

_ROMAN_VALUE = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDER = (Recurrence.WEEKLY, Recurrence.MONTHLY, Recurrence.QUARTERLY, Recurrence.HALF_YEARLY, Recurrence.YEARLY)
_FREQUENCY_TOKENS = {
    "half": Recurrence.HALF_YEARLY, "yearly": Recurrence.YEARLY,
    "quarterly": Recurrence.QUARTERLY, "monthly": Recurrence.MONTHLY, "weekly": Recurrence.WEEKLY,
}
_BARE_FREQUENCY = {"quy": Recurrence.QUARTERLY, "nam": Recurrence.YEARLY, "thang": Recurrence.MONTHLY}


@dataclass
class _Token:
    kind: str
    start: int
    end: int
    text: str
    groups: list[str]  # the matched alternative's inner groups, unmatched optional ones left out


@dataclass
class _Item:
    """A dated period found in the phrase."""

    kind: str  # quarter | month | date | year | stage | part | week | bare
    token: int  # index of its token
    year: int | None  # None until resolved
    value: tuple[int, ...] = ()
    explicit_year: bool = False
    before_start: bool = False  # "Trước Quý III/2026": due the day before the period starts


@dataclass
class _Scan:
    items: list[_Item]
    frequencies: set[Recurrence]
    continuous: bool = False
    completed: bool = False
    ad_hoc: bool = False
    other_plan_token: int | None = None
    done_token: int | None = None
    stage_without_years: bool = False
    monthly_day: int | None = None
    quarterly_day: int | None = None


def _tokens(folded: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(folded):
        inner = [g for g in match.groups() if g is not None][1:]
        tokens.append(_Token(match.lastgroup or "", match.start(), match.end(), match.group(0), inner))
    return tokens


def _quarter_number(raw: str) -> int | None:
    value = _ROMAN_VALUE.get(raw) or (int(raw) if raw.isdigit() else None)
    return value if value is not None and 1 <= value <= 4 else None


def _in_a_list(folded: str, token: _Token) -> bool:
    """A bare "quý"/"năm"/"6 tháng" is a frequency only as an item of a list ("Quý, 6 tháng, năm")."""
    before = folded[max(0, token.start - 12):token.start].rstrip()
    after = folded[token.end:token.end + 8].lstrip()
    before_ok = token.start == 0 or not before or before[-1] in ":,;(" or re.search(
        r"\b(?:va|hoac|bao cao)$", before) is not None
    after_ok = not after or after[0] in ",;).-" or re.match(r"(?:va|hoac)\b", after) is not None
    return before_ok and after_ok


_BEFORE = re.compile(r"\btruoc (?:khi (?:bat dau|sang) )?$")


def _scan(folded: str, tokens: list[_Token], plan_year: int) -> _Scan:
    scan = _Scan(items=[], frequencies=set())
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind == "done":
            scan.completed = True
            scan.done_token = index if scan.done_token is None else scan.done_token
        elif kind == "adhoc":
            scan.ad_hoc = True
        elif kind == "cont":
            scan.continuous = True
        elif kind in _FREQUENCY_TOKENS:
            scan.frequencies.add(_FREQUENCY_TOKENS[kind])
        elif kind in ("dayeach", "cutq"):
            day = int(token.groups[0])
            if 1 <= day <= 31:
                scan.frequencies.add(Recurrence.MONTHLY if kind == "dayeach" else Recurrence.QUARTERLY)
                if kind == "dayeach":
                    scan.monthly_day = day
                else:
                    scan.quarterly_day = day
        elif kind == "freqbare":
            if _in_a_list(folded, token):
                scan.frequencies.add(_BARE_FREQUENCY.get(token.text, Recurrence.HALF_YEARLY))
        elif kind == "other":
            if scan.other_plan_token is None:
                scan.other_plan_token = index
        elif kind == "stagebare":
            scan.stage_without_years = True
        elif kind == "weekday":
            pass
        else:
            item = _item(token, index, plan_year)
            if item is not None:
                item.before_start = item.kind in ("quarter", "month", "year") and _BEFORE.search(
                    folded, 0, token.start) is not None
                scan.items.append(item)
    return scan


def _item(token: _Token, index: int, plan_year: int) -> _Item | None:
    kind, inner = token.kind, token.groups
    last = inner[-1] if inner else ""
    year_at_end = int(last) if len(last) == 4 and last.isdigit() else None
    if kind == "quarter":
        quarter = _quarter_number(inner[0])
        return _Item("quarter", index, year_at_end, (quarter,), year_at_end is not None) if quarter else None
    if kind == "month":
        month = int(inner[0])
        return _Item("month", index, year_at_end, (month,), year_at_end is not None) if 1 <= month <= 12 else None
    if kind == "isodate":
        year, month, day = (int(x) for x in inner[:3])
        valid = 1 <= month <= 12 and 1 <= day <= month_end(year, month).day
        return _Item("date", index, year, (month, day), True) if valid else None
    if kind in ("date", "dateword"):
        found = find_dates(token.text, default_year=2000)  # a leap year, so that 29/2 survives
        if not found:
            return None
        explicit = has_explicit_year(token.text)
        return _Item("date", index, found[0].year if explicit else None, (found[0].month, found[0].day), explicit)
    if kind == "year":
        return _Item("year", index, year_at_end, (), True)
    if kind == "yearword":
        return _Item("year", index, plan_year, (), False)
    if kind == "stage":
        first, end = sorted((int(inner[0]), int(inner[1])))
        return _Item("stage", index, end, (first, end), True)
    if kind == "nmonths":
        months = int(inner[0])
        if not 1 <= months <= 12:
            return None
        return _Item("part", index, year_at_end, (months if inner[1] == "dau" else 12,), year_at_end is not None)
    if kind == "partyear":
        last_month = {"dau": 3, "giua": 6, "cuoi": 12}[inner[0]]
        return _Item("part", index, year_at_end, (last_month,), year_at_end is not None)
    if kind == "week":
        month = int(inner[1])
        if not 1 <= month <= 12:
            return None
        nth = 1 if inner[0] == "dau" else 0 if inner[0] == "cuoi" else int(inner[0].split()[-1])
        return _Item("week", index, year_at_end, (month, nth), year_at_end is not None)
    if kind == "bare":
        return _Item("bare", index, year_at_end, (), year_at_end is not None)
    return None


def _link(tokens: list[_Token], folded: str, left: int, right: int) -> str | None:
    """How the tokens at `left` and `right` are joined: "range", "list", or None (other text between)."""
    kinds = []
    cursor = tokens[left].end
    for token in tokens[left + 1:right + 1]:
        if folded[cursor:token.start].strip():
            return None
        cursor = token.end
        kinds.append(token.kind)
    kinds.pop()  # the right-hand token itself
    if kinds == ["range"]:
        return "range"
    if all(k in ("list", "sep") for k in kinds):
        return "list"
    return None


def _links(items: list[_Item], tokens: list[_Token], folded: str) -> list[str | None]:
    """links[i] joins items[i] and items[i + 1]."""
    return [_link(tokens, folded, a.token, b.token) for a, b in pairwise(items)]


def _continue_bare(items: list[_Item], tokens: list[_Token], folded: str) -> list[_Item]:
    """A bare number continues the period next to it.

    "Quý II - III/2026", "Tháng 6 - 9/2026": the period just before it. A bare number with a year and
    nothing before it is a month ("9/2026"; roman "II/2026" a quarter), and a bare number joined to
    such a one reads the same way ("6 - 9/2026", "6, 9/2026").
    """
    kept: list[_Item] = []
    for position, item in enumerate(items):
        if item.kind != "bare":
            kept.append(item)
            continue
        raw = tokens[item.token].groups[0]
        previous = kept[-1] if kept and kept[-1].kind in ("quarter", "month") else None
        if previous is not None and _link(tokens, folded, previous.token, item.token) is None:
            previous = None
        kind = previous.kind if previous is not None else _bare_kind(item, items[position + 1:], tokens, folded)
        if kind is None:
            continue
        number = _quarter_number(raw) if kind == "quarter" else (
            int(raw) if raw.isdigit() and 1 <= int(raw) <= 12 else None)
        if number is not None:
            kept.append(_Item(kind, item.token, item.year, (number,), item.explicit_year))
    return kept


def _bare_kind(item: _Item, following: list[_Item], tokens: list[_Token], folded: str) -> str | None:
    """What a bare number with no period before it names: read from its own year, or the next bare one's."""
    anchor = item
    for later in following:
        if anchor.explicit_year or later.kind != "bare" or _link(tokens, folded, anchor.token, later.token) is None:
            break
        anchor = later
    if not anchor.explicit_year:
        return None
    start, end = tokens[item.token].start, tokens[anchor.token].end
    if _DOCUMENT_BEFORE.search(folded, 0, start) or folded.startswith("/", end):
        return None  # "Nghị quyết 05/2026", "Quyết định số 10/2026/QĐ-UBND": a document's number, not a month
    return "month" if tokens[anchor.token].groups[0].isdigit() else "quarter"


_DOCUMENT_BEFORE = re.compile(
    r"\b(?:so|nq|qd|kh|cv|tt|nd|ct|tb|nghi quyet|nghi dinh|quyet dinh|ke hoach|van ban|cong van|thong tu|chi thi"
    r"|thong bao|chuong trinh|de an)\s?[.:]?\s?$"
)


def _end_month(item: _Item) -> int:
    """The month a period ends in (quarter 2 -> 6), to keep a list's periods in order."""
    if item.kind == "quarter":
        return 3 * item.value[0]
    if item.kind in ("month", "date", "part", "week"):
        return item.value[0]
    return 12


def _resolve_years(items: list[_Item], links: list[str | None], plan_year: int) -> None:
    """A missing year: the one written later in the same list/range, else the last one before, else the plan's.

    Periods of a list run forward, so "Quý IV, Quý I/2027" puts the fourth quarter in 2026.
    """
    later: list[_Item | None] = [None] * len(items)
    carry: _Item | None = None
    for i in reversed(range(len(items))):
        later[i] = carry if i < len(links) and links[i] is not None else None
        carry = items[i] if items[i].explicit_year and items[i].kind != "stage" else later[i]
    before: int | None = None
    for i, item in enumerate(items):
        supplier = later[i]
        if item.year is None and supplier is not None and supplier.year is not None:
            item.year = supplier.year - (1 if _end_month(item) > _end_month(supplier) else 0)
        if item.year is None:
            item.year = before or plan_year
        if item.explicit_year and item.kind != "stage":
            before = item.year


def _last_day(item: _Item, plan_year: int) -> date | None:
    year = item.year or plan_year
    if item.before_start:
        first_month = 3 * item.value[0] - 2 if item.kind == "quarter" else item.value[0] if item.kind == "month" else 1
        return date(year, first_month, 1) - timedelta(days=1)
    if item.kind == "quarter":
        return quarter_end(year, item.value[0])
    if item.kind in ("month", "part"):
        return month_end(year, item.value[0])
    if item.kind == "date":
        month, day = item.value
        return date(year, month, day) if day <= month_end(year, month).day else None
    if item.kind == "year":
        return date(year, 12, 31)
    if item.kind == "week":
        month, nth = item.value
        last = month_end(year, month)
        return last if nth == 0 else date(year, month, min(7 * nth, last.day))
    if item.kind == "stage":
        first, end = item.value
        return date(plan_year if first <= plan_year <= end else end, 12, 31)
    return None


def _period_ends(recurrence: Recurrence, year: int, scan: _Scan) -> list[date]:
    """The ends (or stated days) of a recurrence's periods in one year."""
    if recurrence is Recurrence.MONTHLY:
        day = scan.monthly_day
        return [date(year, m, min(day, month_end(year, m).day)) if day else month_end(year, m) for m in range(1, 13)]
    if recurrence is Recurrence.QUARTERLY:
        day = scan.quarterly_day
        return [date(year, 3 * q, min(day, quarter_end(year, q).day)) if day else quarter_end(year, q)
                for q in range(1, 5)]
    if recurrence is Recurrence.HALF_YEARLY:
        return [date(year, 6, 30), date(year, 12, 31)]
    if recurrence is Recurrence.WEEKLY:
        return []  # every week: the plan's weekly periods carry the report, no deadline of its own
    return [date(year, 12, 31)]


def _unspecified(raw: str, reason: str) -> Timeframe:
    return Timeframe(raw, (), Recurrence.UNSPECIFIED, False, False, reason)


def parse_timeframe(text: str | None, plan_year: int) -> Timeframe:
    """Read one timeframe cell against the plan's year; any text gives an answer, nothing raises."""
    if not 1900 <= plan_year <= 2199:
        raise ValueError(f"plan year out of range: {plan_year}")
    raw = text or ""
    cleaned = clean_text(raw)
    if not cleaned:
        return _unspecified(raw, REASON_EMPTY)
    if len(cleaned) > MAX_LENGTH:
        return _unspecified(raw, REASON_TOO_LONG)
    folded = aligned_fold(cleaned)
    tokens = _tokens(folded)
    scan = _scan(folded, tokens, plan_year)
    items = _continue_bare(scan.items, tokens, folded)
    if scan.other_plan_token is not None:  # "Theo kế hoạch năm 2026": that year names a document
        items = [i for i in items if not (i.kind == "year" and i.token > scan.other_plan_token)]
    if scan.done_token is not None and any(i.token < scan.done_token for i in items):
        items = [i for i in items if i.token < scan.done_token]  # "(Đã hoàn thành 15/5/2026)": when, not a deadline
    links = _links(items, tokens, folded)
    _resolve_years(items, links, plan_year)

    ends: list[tuple[_Item, date]] = []
    for index, item in enumerate(items):
        if index < len(links) and links[index] == "range":
            continue  # a range gives only its end
        day = _last_day(item, plan_year)
        if day is not None:
            ends.append((item, day))
    frequencies = set(scan.frequencies)
    if any(i.kind == "stage" and i.value[0] <= plan_year <= i.value[1] for i, _ in ends):
        frequencies.add(Recurrence.YEARLY)  # a stage containing the plan year: yearly work (see module doc)

    if frequencies:
        recurrence = next(r for r in _ORDER if r in frequencies)
        # years and stages next to a frequency only say which year the periods fall in ("Hằng quý năm 2027")
        deadlines = [d for i, d in ends if i.kind not in ("year", "stage")]
        if not deadlines:
            years = [i.year for i, _ in ends if i.kind == "year" and i.year]
            deadlines = _period_ends(recurrence, years[0] if years else plan_year, scan)
    else:
        deadlines = [d for _, d in ends]
        if scan.continuous:
            recurrence = Recurrence.CONTINUOUS
        elif deadlines or scan.completed or scan.ad_hoc:
            recurrence = Recurrence.NONE
        else:
            reason = (REASON_OTHER_PLAN if scan.other_plan_token is not None
                      else REASON_STAGE if scan.stage_without_years else REASON_UNREADABLE)
            return _unspecified(raw, reason)
    return Timeframe(raw, tuple(sorted(set(deadlines))), recurrence, scan.completed, scan.ad_hoc, None)
