"""Recognise a table's header: which column is the number, the title, the lead unit, ... and the periods.

Headers are matched on folded text (no case, no diacritics), so "Cơ quan chủ trì", "ĐƠN VỊ CHỦ TRÌ"
and "Don vi chu tri" are one role. A header may span two rows: "Thời gian thực hiện" above
"Năm 2025 | Giai đoạn 2025 - 2030 | ...", or "Đến hết 2025" above "Mục tiêu | Kết quả 2025".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.base.text import fold

_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})(?!\d)")
_UNTIL = re.compile(r"\b(den het|den nam|den)\b\s*(nam\s*)?((?:19|20)\d{2})")
_CODE = re.compile(r"^(s?tt|so tt|so thu tu|ma|ma so)$")
_TITLE_PREFIXES = (
    "nhiem vu", "noi dung", "ten nhiem vu", "cac chi tieu", "chi tieu", "cac muc tieu", "muc tieu", "ten chi tieu",
    "cong viec", "ten cong viec", "nhiem vu, giai phap", "danh muc", "cac nhiem vu", "cac noi dung", "hoat dong",
    "ten hoat dong", "cac hoat dong", "ten de an", "ten du an",
)
_TARGET_WORDS = ("chi tieu",)


@dataclass(frozen=True)
class PeriodColumn:
    """A column that belongs to a span of years: a timeframe ("Năm 2025") or a target value ("Đến hết 2030")."""

    index: int
    label: str
    start: int | None
    end: int | None
    kind: str  # "timeframe" | "value" | "result"

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)

    @property
    def width(self) -> int:
        if self.start is None or self.end is None:
            return 10_000
        return self.end - self.start


@dataclass
class Layout:
    """Where each role sits in a table, and whether its rows are tasks or targets."""

    roles: dict[str, int]
    kind: str = "task"  # task | target
    periods: list[PeriodColumn] = field(default_factory=list)
    header_texts: tuple[str, ...] = ()
    signature: tuple[tuple[str, int], ...] = ()
    measured: bool = False  # a unit-of-measure column ("Đơn vị" beside a "chủ trì" one, "Đơn vị tính"): values

    def __post_init__(self) -> None:
        self.signature = tuple(sorted(self.roles.items()))

    def col(self, role: str) -> int | None:
        return self.roles.get(role)


def _key(text: str) -> str:
    return re.sub(r"[\s.:;*()]+", " ", fold(text)).strip()


def cell_role(text: str) -> str | None:
    """The role a header cell names, or None for an unknown or empty header."""
    key = _key(text)
    if not key:
        return None
    if _CODE.match(key):
        return "code"
    if "ghi chu" in key:
        return "note"
    if "phoi hop" in key:
        return "support"
    if "chu tri" in key or key in ("don vi", "co quan") or (
            key.startswith(("don vi", "co quan", "trach nhiem")) and "thuc hien" in key):
        return "lead"  # "Cơ quan chủ trì", "Cơ quan, đơn vị thực hiện", "Trách nhiệm thực hiện"
    if key.startswith(("san pham", "ket qua dau ra")) or key == "ket qua" or "san pham" in key:
        return "product"  # "Sản phẩm", "Kết quả/sản phẩm", "Hình thức sản phẩm"
    if key.startswith(("thoi gian", "thoi han", "tien do", "moc thoi gian", "ngay")) and "bat dau" in key:
        return "timeframe_start"  # "Thời gian bắt đầu" next to "Thời gian hoàn thành"
    if key.startswith(("thoi gian", "thoi han", "tien do", "moc thoi gian", "thoi diem", "han hoan thanh",
                       "han chot")):
        return "timeframe"
    if _YEAR.search(key):
        if key.startswith(("ket qua", "thuc hien", "uoc")):
            return "result"
        return "period"
    if key.startswith(_TITLE_PREFIXES):
        return "title"
    return None


def period_label(text: str) -> str:
    """The period words of a header ("Chỉ tiêu năm 2026" -> "Năm 2026"; "Đến hết 2030" stays)."""
    cleaned = " ".join(text.split())
    match = re.search(r"(?i)(năm|giai đoạn|đến hết|đến năm|đến)\s.*$", cleaned)
    label = match.group(0) if match else cleaned
    return label[:1].upper() + label[1:]


_TITLE_HINTS = ("nhiệm vụ", "nhiem vu", "nội dung", "noi dung", "chỉ tiêu", "chi tieu", "mục tiêu", "muc tieu",
                "công việc", "cong viec", "danh mục", "danh muc", "hoạt động", "hoat dong", "đề án", "de an",
                "dự án", "du an")


def _may_be_header(cells: tuple[str, ...]) -> bool:
    """A cheap test before the real one: some short cell names a title column."""
    return any(len(c) < 80 and any(h in c.lower() for h in _TITLE_HINTS) for c in cells if c)


def match_header(cells: tuple[str, ...]) -> Layout | None:
    """A Layout when the row is a header: a title column and at least one unit, product or time column."""
    if not _may_be_header(cells):
        return None
    roles: dict[str, int] = {}
    periods: list[int] = []
    measured = any(_key(c) in ("don vi tinh", "dvt") for c in cells)
    for index, text in enumerate(cells):
        role = cell_role(text)
        if role == "period":
            periods.append(index)
        elif role in ("code", "title", "lead", "support", "product", "timeframe", "timeframe_start") and (
                role not in roles):
            roles[role] = index
        elif role == "lead" and "chu tri" in _key(text) and _key(cells[roles["lead"]]) in ("don vi", "co quan"):
            # "Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi": the bare "Đơn vị" beside a "chủ trì"
            # column is the unit of measure ("%", "hệ thống"), not who does the work
            roles["lead"] = index
            measured = True
    if "title" not in roles or not ({"lead", "support", "product", "timeframe"} & roles.keys() or periods):
        return None
    title_key = _key(cells[roles["title"]])
    kind = "target" if any(w in title_key for w in _TARGET_WORDS) else "task"
    layout = Layout(roles=roles, kind=kind, header_texts=cells, measured=measured)
    layout.periods = _periods([(i, cells[i], "value") for i in periods])
    return layout


# Under "Thời gian thực hiện": when the work starts and when it must be done.
_START_LABELS = ("bat dau", "tu ngay", "tu", "khoi cong", "thoi gian bat dau", "ngay bat dau")
_END_LABELS = ("hoan thanh", "ket thuc", "den ngay", "den", "thoi han", "thoi han hoan thanh", "ngay hoan thanh",
               "thoi gian hoan thanh", "han hoan thanh")


def _start_or_end(key: str) -> str | None:
    return "start" if key in _START_LABELS else "end" if key in _END_LABELS else None


def is_subheader(cells: tuple[str, ...], layout: Layout) -> bool:
    """The second header row: only period labels, "Mục tiêu"/"Kết quả", or the header's own text repeated."""
    meaningful = False
    for index, text in enumerate(cells):
        if not text:
            continue
        key = _key(text)
        header = layout.header_texts[index] if index < len(layout.header_texts) else ""
        if header and _key(header) == key:
            continue
        if cell_role(text) in ("period", "result") or key in ("muc tieu", "chi tieu", "ke hoach") or (
                _start_or_end(key) and _under_timeframe(index, layout)):
            meaningful = True
            continue
        return False
    return meaningful or all(
        not text or (index < len(layout.header_texts) and _key(layout.header_texts[index]) == _key(text))
        for index, text in enumerate(cells)
    )


def _under_timeframe(index: int, layout: Layout) -> bool:
    """Whether column `index` lies under the (possibly merged, so spanning) "Thời gian thực hiện" header cell."""
    heads = layout.header_texts
    for i in range(min(index, len(heads) - 1), -1, -1):
        if heads[i]:
            return cell_role(heads[i]) == "timeframe"
    return False


def apply_subheader(cells: tuple[str, ...], layout: Layout) -> None:
    """Turn the header's spanning cells and the sub-header's labels into period columns, and "Bắt đầu" /
    "Hoàn thành" under the timeframe header into the start and end (the deadline) of the timeframe."""
    for index, text in enumerate(cells):
        which = _start_or_end(_key(text)) if text else None
        if which and _under_timeframe(index, layout):
            layout.roles["timeframe" if which == "end" else "timeframe_start"] = index
    heads = list(layout.header_texts) + [""] * max(0, len(cells) - len(layout.header_texts))
    columns: list[tuple[int, str, str]] = []
    group_text, group_role = "", None
    for index in range(len(heads)):
        if heads[index]:
            group_text, group_role = heads[index], cell_role(heads[index])
        sub = cells[index] if index < len(cells) else ""
        sub_key = _key(sub)
        if not sub or _key(heads[index]) == sub_key:
            continue
        sub_role = cell_role(sub)
        if group_role == "timeframe" and sub_role == "period":
            columns.append((index, sub, "timeframe"))
        elif group_role == "period":
            kind = "result" if sub_role == "result" else "value"
            columns.append((index, group_text if kind == "value" else sub, kind))
        elif sub_role == "period":
            columns.append((index, sub, "value"))
    if not columns:
        return
    overridden = {index for index, _, _ in columns}
    merged = [(c.index, c.label, c.kind) for c in layout.periods if c.index not in overridden] + columns
    merged.sort()
    layout.periods = _periods(merged)
    if any(c.kind == "timeframe" for c in layout.periods):
        layout.roles.pop("timeframe", None)


def _periods(columns: list[tuple[int, str, str]]) -> list[PeriodColumn]:
    result: list[PeriodColumn] = []
    previous_end: dict[str, int] = {}
    for index, text, kind in columns:
        key = _key(text)
        start: int | None
        end: int | None
        if (match := _RANGE.search(key)) is not None:
            start, end = int(match.group(1)), int(match.group(2))
        elif (match := _UNTIL.search(key)) is not None:
            end = int(match.group(3))
            start = previous_end[kind] + 1 if kind in previous_end else None
        elif (match := _YEAR.search(key)) is not None:
            start = end = int(match.group(0))
        else:
            start = end = None
        if kind != "result" and end is not None:
            previous_end[kind] = end
        result.append(PeriodColumn(index, period_label(text), start, end, kind))
    return result
