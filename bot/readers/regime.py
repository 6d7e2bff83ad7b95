"""The plan's reporting rules: how often units report, by when, and to whom (the coordinator).

Domain code: the plan's body text in, a frozen `ReportingRules` out.

What is read, clause by clause (a clause is a sentence part between semicolons):
- Frequencies, in clauses about reporting ("báo cáo", "gửi", "nộp"): "hằng tuần", "hằng tháng", "hàng quý",
  "6 tháng", "hằng năm", "định kỳ quý", and the list form "Báo cáo: Quý, 6 tháng, năm và đột xuất".
- Cutoffs in the same clause: "trước ngày 05 của tháng cuối quý" (day 5, this month),
  "ngày 10 tháng đầu quý sau" (day 10, one month on), "trước ngày 20 hằng tháng",
  "trước ngày 15/6 và 15/12 hằng năm", "trước ngày 15 tháng 6 và ngày 15 tháng 12" (fixed days: the first
  half-year and the year); a weekly report's day: "thứ Sáu hằng tuần", "hằng tuần trước 16 giờ thứ Năm".
  A frequency without a stated cutoff takes the calendar's default rule (`CutoffRule()`: before the
  5th of the period's last month). No frequency anywhere: `DEFAULT_REGIMES`, with `defaulted` set.
- "đột xuất", "khi có yêu cầu", "theo yêu cầu" set `ad_hoc` (ad hoc reports come from requests, so
  they are a flag, not a regime).
- The coordinator, strongest evidence first: "(qua X)" beats the nominal recipient; then
  "gửi/báo cáo ... về X để tổng hợp" and "X là đầu mối"; then "X chủ trì theo dõi/đôn đốc/tổng hợp";
  last the bare recipient "báo cáo ... về X". Ties go to the earliest sentence.
Everything from the first appendix heading ("PHỤ LỤC ...") on is ignored: task rows are not rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.calendar import DEFAULT_REGIMES, CutoffRule, Frequency, Level, Regime, periods_for_year
from bot.readers.folding import aligned_fold, clean_text

MAX_BODY = 400_000  # characters read; a plan body is a few pages
MAX_CLAUSE = 3_000  # characters read per clause; a real clause is a few lines

_ORDER = (Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY, Frequency.YEARLY)
_DK = r"dinh k[yi]"  # "định kỳ" and the spelling "định kì"
_LIST_END = r"(?= ?(?:,|;|\.|\)|\bva\b|\bhoac\b|$))"

_FREQUENCY_PATTERNS: dict[Frequency, re.Pattern[str]] = {
    Frequency.WEEKLY: re.compile(rf"\b(?:hang|moi) tuan\b|\b{_DK} (?:hang )?tuan\b|\bbao cao tuan\b"),
    Frequency.MONTHLY: re.compile(
        rf"\b(?:hang|moi) thang\b(?! ?\d)|\b{_DK} (?:hang )?thang\b(?! ?\d)|\bbao cao thang\b(?! ?\d)"
        rf"|(?:[:,]|\bbao cao) ?thang{_LIST_END}"
    ),
    Frequency.QUARTERLY: re.compile(
        rf"\b(?:hang|moi|cac) quy\b(?! ?(?:i|ii|iii|iv|\d)\b)|\b{_DK} (?:hang )?quy\b(?! ?(?:dinh|che|trinh))"
        rf"|\bbao cao quy\b(?! ?(?:dinh|che|trinh|i|ii|iii|iv|\d)\b)|(?:[:,]|\bbao cao) ?quy{_LIST_END}"
        rf"|\bthang cuoi quy\b"
    ),
    Frequency.HALF_YEARLY: re.compile(r"(?<![\d/])\b0?6 thang\b|\bnua nam\b"),
    Frequency.YEARLY: re.compile(
        rf"\b(?:hang|moi) nam\b|\b{_DK} (?:hang )?nam\b(?! ?\d)|\bbao cao nam\b(?! ?\d)|\btong ket nam\b(?! ?\d)"
        rf"|, ?nam{_LIST_END}"
    ),
}
_AD_HOC = re.compile(r"\bdot xuat\b|\b(?:khi|neu) co yeu cau\b|\btheo yeu cau\b")
_REPORTING = re.compile(r"\bbao cao\b|\bgui\b|\bnop\b")

_CUT_LAST_MONTH = re.compile(
    r"\bngay (\d{1,2}) (?:cua )?thang cuoi(?: cung)? (?:cua )?(?:moi |hang |cac )?(quy|ky|nam)\b"
)
_CUT_NEXT_PERIOD = re.compile(
    r"\bngay (\d{1,2}) (?:cua )?thang (?:dau|thu nhat) (?:cua )?(quy|ky) (?:sau|tiep theo|ke tiep)\b"
)
_CUT_MONTHLY = re.compile(r"\bngay (\d{1,2}) (?:cua )?(?:hang|moi) thang\b")
_CUT_DAY_MONTH = re.compile(
    r"(?<![\d/])(\d{1,2}) ?/ ?(\d{1,2})(?![\d/])|(?:(?<=ngay )|(?<=truoc ))(\d{1,2}) thang (\d{1,2})\b"
)
_CUT_BEFORE = re.compile(r"\b(?:truoc|cham nhat(?: (?:vao|la|truoc))?)(?: ngay)? ")
# Nghị định 09/2019/NĐ-CP: figures close on the 14th of the period's last month ("chốt số liệu ... đến ngày 14 của
# tháng cuối quý") and the report is due at least one working day after; a plan that only names the decree gets its
# quarterly, 6-month and yearly regimes.
_DATA_CLOSE = re.compile(r"\bchot (?:so lieu|du lieu)\b")
_ND09 = re.compile(r"\b(?:nghi dinh|nd)(?: so)? ?09/2019\b")
_ND09_DATA_CLOSE_DAY = 14
# A weekly report's day: "thứ Sáu hằng tuần" (due Friday), "trước 16 giờ thứ Năm" (due Thursday, before the hour),
# "trước thứ Năm" (due the day before: Thursday is late).
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_CUT_WEEKDAY = re.compile(
    r"(?:\b(?P<before>truoc|cham nhat(?: (?:vao|la|truoc))?) )?(?:(?P<hour>\d{1,2}) ?(?:gio|h)(?: ?\d{1,2})?(?: phut)? "
    r"(?:(?:ngay|vao|cua) )*)?\b(?:thu (?P<day>hai|ba|tu|nam|sau|bay)|(?P<sunday>chu nhat))\b")
_CUT_BARE_DAY = re.compile(r"\b(?:truoc|cham nhat(?: (?:vao|la|truoc))?) ngay (\d{1,2})\b(?! ?/)")

_UNIT_HEAD = (
    r"(?:phong|so|ban|van phong|uy ban|ubnd|hdnd|trung tam|bo|cuc|chi cuc|hoi dong|thuong truc|tinh uy|"
    r"dang uy|cong an|bo chi huy|lanh dao|chanh van phong|thanh tra|kho bac|tong cuc|vien|truong|doan|hoi|"
    r"ngan hang|bao hiem|bhxh)\b"
)
_QUA = re.compile(rf"\(\s?qua ({_UNIT_HEAD}[^()]{{0,100}})\)|\bqua ({_UNIT_HEAD}[^,;.()]{{0,100}}?)(?= de\b|[,;.(]|$)")
_TO_AGGREGATE = re.compile(rf"\bve ({_UNIT_HEAD}[^;()]{{0,100}}?) (?:de|de tham muu) (?:tong hop|theo doi)\b")
_FOCAL_POINT = re.compile(rf"\b({_UNIT_HEAD}[^,;()]{{0,100}}?) (?:la|lam) (?:co quan |don vi )?dau moi\b")
_LEADS_FOLLOW_UP = re.compile(
    rf"^(?:[\divxlc]+[.)] ?|- ?)?({_UNIT_HEAD}[^,;()]{{0,100}}?) chu tri\b.{{0,200}}?\b(?:theo doi|don doc|tong hop)\b"
)
_NOMINAL = re.compile(
    rf"\bbao cao\b[^;]{{0,120}}?\bve ({_UNIT_HEAD}[^,;.()]{{0,100}}?)"
    r"(?= (?:de|theo|truoc|dinh k[yi]|hoac|vao|trong|qua|dung)\b| ?[,;.(]|$)"
)
_COORDINATOR_RULES = ((_QUA, 4), (_TO_AGGREGATE, 3), (_FOCAL_POINT, 3), (_LEADS_FOLLOW_UP, 2), (_NOMINAL, 1))

_APPENDIX = re.compile(r"^(?:[#*_\s]|<[^>]+>)*phu luc\b")
_NUMBERING = re.compile(r"(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.)]")
_ITEM_START = re.compile(r"^(?:[-–•+*]\s|\d+(?:\.\d+)*[.)]\s|[IVXLC]+[.)]\s|[a-zđ]\)\s|#)")


@dataclass(frozen=True)
class ReportingRules:
    regimes: list[Regime]
    coordinator: str | None  # the coordinating unit's name as written (cleaned)
    ad_hoc: bool
    evidence: list[str]  # the sentences the rules were read from
    defaulted: bool = False  # no frequency was stated: the regimes are DEFAULT_REGIMES

    def to_json(self) -> dict[str, object]:
        return {
            "regimes": [r.to_dict() for r in self.regimes],
            "coordinator": self.coordinator,
            "ad_hoc": self.ad_hoc,
            "evidence": list(self.evidence),
            "defaulted": self.defaulted,
        }

    def describe_vi(self) -> str:
        names = {Frequency.WEEKLY: "Hằng tuần", Frequency.MONTHLY: "Hằng tháng", Frequency.QUARTERLY: "Hằng quý",
                 Frequency.HALF_YEARLY: "6 tháng", Frequency.YEARLY: "Hằng năm"}
        lines = [f"Đơn vị đầu mối tổng hợp: {self.coordinator or 'không thấy trong kế hoạch'}"]
        lines.append("Chế độ báo cáo" + (" (mặc định, kế hoạch không nêu):" if self.defaulted else ":"))
        for regime in self.regimes:
            line = f"- {names.get(regime.frequency, regime.frequency.value)}: {regime.cutoff.describe_vi()}"
            if regime.data_close is not None:
                close = regime.data_close
                line += (f" (số liệu từ ngày {close + 1:02d} tháng trước kỳ đến ngày {close:02d}"
                         " tháng cuối kỳ, Nghị định 09/2019/NĐ-CP)")
            lines.append(line)
            lines += [f"  + {level.sender} gửi lên{' ' + level.recipient if level.recipient else ''}: "
                      f"{level.cutoff.describe_vi()}" for level in regime.levels]
        if self.ad_hoc:
            lines.append("- Đột xuất: khi có yêu cầu")
        return "\n".join(lines)


# --- sentences ---------------------------------------------------------------------------------

def _strip_markup(line: str) -> str:
    line = re.sub(r"</?[a-zA-Z][^>]*>", " ", line)
    return re.sub(r"\*\*|__|^#+\s*|(?<!\w)\*|\*(?!\w)", " ", line).strip()


def body_sentences(body_text: str) -> list[str]:
    """The body's sentences, with lines broken by PDF extraction joined again; appendix and tables left out."""
    paragraphs: list[str] = []
    open_paragraph = False
    for raw_line in body_text[:MAX_BODY].splitlines():
        if _APPENDIX.match(aligned_fold(raw_line.strip())):
            break
        if "\t" in raw_line:  # a table row: tasks, not rules
            open_paragraph = False
            continue
        line = clean_text(_strip_markup(raw_line))
        if not line:
            continue
        if open_paragraph and paragraphs and not _ITEM_START.match(line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        open_paragraph = paragraphs[-1][-1] not in ".!?:;"
    sentences: list[str] = []
    for paragraph in paragraphs:
        pending = ""  # an item number ("3.", "III.") belongs to the sentence after it
        for piece in re.split(r"(?<=[.!?])\s+", paragraph):
            if _NUMBERING.fullmatch(piece):
                pending += piece + " "
            elif sentences and not pending and piece[:1].islower():
                sentences[-1] += " " + piece  # "... số 57-NQ/TW. về ..." was not a sentence end
            elif piece:
                sentences.append(pending + piece)
                pending = ""
        if pending:
            sentences.append(pending.strip())
    return sentences


# --- frequencies and cutoffs -------------------------------------------------------------------

def _frequencies(folded: str) -> list[Frequency]:
    return [f for f in _ORDER if _FREQUENCY_PATTERNS[f].search(folded)]


def _day(raw: str) -> int | None:
    value = int(raw)
    return value if 1 <= value <= 31 else None


def _fixed_day_cutoffs(folded: str, found: list[Frequency]) -> dict[Frequency, CutoffRule]:
    """ "trước ngày 15/6 và 15/12 hằng năm" (or "ngày 15 tháng 6 và ngày 15 tháng 12") -> first half-year 15/6,
    year 15/12; one date -> the clause's frequency."""
    before = _CUT_BEFORE.search(folded)
    if before is None:
        return {}
    pairs = []
    for match in _CUT_DAY_MONTH.finditer(folded, before.end()):  # "15/6" or "ngày 15 tháng 6"
        day_text, month_text = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        day, month = _day(day_text), int(month_text)
        if day is not None and 1 <= month <= 12:
            pairs.append(CutoffRule(day=day, month=month))
    if not pairs:
        return {}
    if len(pairs) == 1 and len(found) == 1:
        return {found[0]: pairs[0]}
    if len(pairs) == 2 and set(found) <= {Frequency.HALF_YEARLY, Frequency.YEARLY}:
        first, second = sorted(pairs, key=lambda r: (r.month or 0, r.day))
        if (first.month or 0) <= 6 < (second.month or 0):
            return {Frequency.HALF_YEARLY: first, Frequency.YEARLY: second}
    if len(pairs) == 4 and len({p.day for p in pairs}) == 1:
        offsets = {((p.month or 0) - 1) % 3 for p in pairs}
        if len(offsets) == 1:  # 3, 6, 9, 12 -> offset 0; 4, 7, 10, 1 -> offset 1
            offset = (offsets.pop() + 1) % 3
            return {Frequency.QUARTERLY: CutoffRule(day=pairs[0].day, month_offset=offset)}
    return {}


def due_after_data_close(day: int) -> CutoffRule:
    """Figures closed on `day`: the report is due one working day after (Nghị định 09/2019/NĐ-CP), late the day
    after that."""
    return CutoffRule(day=day, after_close=1)


_CLOSE_DAY = re.compile(r"\bden(?: het)? ngay (\d{1,2})\b")
# Whom a clause reports to: "báo cáo ... về Sở Nội vụ", "báo cáo UBND tỉnh", "gửi Văn phòng"
_RECIPIENT = re.compile(rf"\b(?:bao cao|gui)(?: (?:ve|len|cho))? ({_UNIT_HEAD}[^,;.()]{{0,80}}?)"
                        r"(?= (?:truoc|cham nhat|de|vao|trong|theo|qua)\b| ?[,;.(]|$)")


def _data_close_day(folded: str) -> int | None:
    """"Thời gian chốt số liệu ... đến ngày 14 của tháng cuối quý": the day the figures close."""
    if _DATA_CLOSE.search(folded) is None:
        return None
    found = _CLOSE_DAY.search(folded) or _CUT_LAST_MONTH.search(folded)
    return _day(found.group(1)) if found else None


def _recipient(clause: str, folded: str) -> str | None:
    found = _NOMINAL.search(folded) or _RECIPIENT.search(folded)
    return _clean_name(clause[found.start(1):found.end(1)]) if found else None


def _with_levels(frequency: Frequency,
                 stated: list[tuple[CutoffRule, str | None]]) -> tuple[CutoffRule, tuple[Level, ...]]:
    """A report aggregated upward, a deadline per level ("các phòng gửi Văn phòng trước ngày 16 ...; Văn phòng tổng hợp,
    báo cáo UBND tỉnh trước ngày 18 ..."): the earliest is the units', each later one the level its recipient sends
    up (named after the recipient of the level below)."""
    sample = periods_for_year(2026, [Regime(frequency)])[0].end
    ordered = sorted(dict.fromkeys(stated), key=lambda pair: pair[0].cutoff_for(sample))  # stable: as written
    levels = tuple(Level(ordered[i - 1][1] or "cấp tổng hợp", rule, recipient)
                   for i, (rule, recipient) in enumerate(ordered) if i)
    return ordered[0][0], levels


def _weekday_cutoff(folded: str) -> CutoffRule | None:
    """The day a weekly report is due, as a weekly cutoff rule (see `_CUT_WEEKDAY`)."""
    found = _CUT_WEEKDAY.search(folded)
    if found is None:
        return None
    weekday = 6 if found.group("sunday") else _WEEKDAYS[found.group("day")]
    if found.group("before") and not found.group("hour"):  # "trước thứ Năm": Wednesday is the last day
        weekday = (weekday - 1) % 7
    return CutoffRule(weekday=weekday)


def _cutoffs(folded: str, found: list[Frequency]) -> dict[Frequency, CutoffRule]:
    rules: dict[Frequency, CutoffRule] = {}
    if Frequency.WEEKLY in found and (weekly := _weekday_cutoff(folded)) is not None:
        rules[Frequency.WEEKLY] = weekly
    data_close = _DATA_CLOSE.search(folded) is not None
    for match in _CUT_LAST_MONTH.finditer(folded):
        day = _day(match.group(1))
        if day is None:
            continue
        if data_close:
            targets = {"quy": [Frequency.QUARTERLY], "nam": [Frequency.YEARLY]}.get(match.group(2), found)
            for frequency in targets:
                rules.setdefault(frequency, due_after_data_close(day))
            continue
        targets = {"quy": [Frequency.QUARTERLY], "nam": [Frequency.YEARLY]}.get(match.group(2), found)
        for frequency in targets:
            rules.setdefault(frequency, CutoffRule(day=day))
    for match in _CUT_NEXT_PERIOD.finditer(folded):
        day = _day(match.group(1))
        if day is not None:
            for frequency in [Frequency.QUARTERLY] if match.group(2) == "quy" else found:
                rules.setdefault(frequency, CutoffRule(day=day, month_offset=1))
    for match in _CUT_MONTHLY.finditer(folded):
        day = _day(match.group(1))
        if day is not None:
            rules.setdefault(Frequency.MONTHLY, CutoffRule(day=day))
    for frequency, rule in _fixed_day_cutoffs(folded, found).items():
        rules.setdefault(frequency, rule)
    bare = _CUT_BARE_DAY.search(folded)
    if not rules and bare is not None and (day := _day(bare.group(1))) is not None:
        for frequency in found:
            rules.setdefault(frequency, CutoffRule(day=day))
    return rules


# --- the coordinator ---------------------------------------------------------------------------

def _clean_name(name: str) -> str | None:
    name = re.sub(r"\s*[-–—]\s*", " - ", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:.-\"'“”")
    if not 3 <= len(name) <= 120:
        return None
    return name[0].upper() + name[1:]


def _coordinator_candidates(clause: str, folded: str, *, reporting: bool) -> list[tuple[int, str]]:
    found = []
    for pattern, score in _COORDINATOR_RULES:
        if score in (4, 1) and not reporting:
            continue
        if pattern is _TO_AGGREGATE and not _REPORTING.search(folded):
            continue
        for match in pattern.finditer(folded):
            group = next(g for g in range(1, (match.lastindex or 0) + 1) if match.group(g) is not None)
            name = _clean_name(clause[match.start(group):match.end(group)])
            if name:
                found.append((score, name))
    return found


# --- the reader --------------------------------------------------------------------------------

def parse_reporting_rules(body_text: str) -> ReportingRules:
    """Read the reporting regimes, the ad hoc flag and the coordinator from a plan's body text."""
    rules: dict[Frequency, CutoffRule | None] = {}
    evidence: list[str] = []
    ad_hoc = False
    best: tuple[int, int, str] | None = None  # (score, -order, name)
    order = 0
    names_nd09 = False
    close_day: int | None = None
    stated: dict[Frequency, list[tuple[CutoffRule, str | None]]] = {}  # the deadlines stated, with their recipient
    for sentence in body_sentences(body_text or ""):
        used = False
        leading_clause = True
        for clause in (c.strip()[:MAX_CLAUSE] for c in sentence.split(";")):
            if not clause:
                continue
            folded = aligned_fold(clause)
            reporting = _REPORTING.search(folded) is not None
            if (day := _data_close_day(folded)) is not None:
                close_day, used = day, True
            if reporting:
                if _ND09.search(folded):
                    names_nd09 = used = True
                found = _frequencies(folded)
                cutoffs = _cutoffs(folded, found)
                for frequency in list(found) + [f for f in cutoffs if f not in found]:
                    if rules.get(frequency) is None:
                        rules[frequency] = cutoffs.get(frequency)
                    if frequency in cutoffs and _DATA_CLOSE.search(folded) is None:
                        stated.setdefault(frequency, []).append((cutoffs[frequency], _recipient(clause, folded)))
                if _AD_HOC.search(folded):
                    ad_hoc = True
                used = used or bool(found or cutoffs) or _AD_HOC.search(folded) is not None
            for score, name in _coordinator_candidates(clause, folded, reporting=reporting):
                if score == 2 and not leading_clause:
                    continue  # "X chủ trì ...": X is the subject, at the start of the sentence
                order += 1
                used = True
                if best is None or (score, -order) > (best[0], best[1]):
                    best = (score, -order, name)
            leading_clause = False
        if used:
            evidence.append(sentence)
    if names_nd09 and close_day is None:
        close_day = _ND09_DATA_CLOSE_DAY
    if not rules and names_nd09:
        rules = {f: due_after_data_close(close_day or _ND09_DATA_CLOSE_DAY) for f in _ORDER
                 if f not in (Frequency.WEEKLY, Frequency.MONTHLY)}
    if rules:
        regimes = []
        for frequency in (f for f in _ORDER if f in rules):
            rule, levels = rules[frequency] or CutoffRule(), ()
            if len(set(stated.get(frequency, []))) >= 2 and frequency is not Frequency.WEEKLY:
                rule, levels = _with_levels(frequency, stated[frequency])
            elif frequency in stated and rules[frequency] != stated[frequency][0][0]:
                rule = stated[frequency][0][0]  # a stated deadline beats the one derived from the data close
            regimes.append(Regime(frequency, rule, None if frequency is Frequency.WEEKLY else close_day, levels))
        defaulted = False
    else:
        regimes, defaulted = list(DEFAULT_REGIMES), True
    return ReportingRules(regimes, best[2] if best else None, ad_hoc, evidence, defaulted)
