"""Walk a document's blocks and collect the appendix rows as items.

Rules, in the order they apply to a table row:
- a header row sets the columns; the same header again (a page break) is skipped, with the
  sub-header row under it;
- a row whose TT cell is a roman numeral is a section ("II. PHÁT TRIỂN HẠ TẦNG SỐ");
- a row with an empty TT cell continues the previous item: its cells are appended (with a space
  right after a page break, where a sentence was cut; on a new line otherwise, where a merged
  TT cell spans several rows);
- a numbered row is an item; "1" becomes a group when "1.1", "1.2" follow it.
Tables without a TT column (targets) number their items in order and treat a title-only row in
capitals as a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.base.errors import UserError
from bot.base.text import and_more
from bot.importer.document import SourceDocument, TableRow, TextLine
from bot.importer.headers import Layout, apply_subheader, is_subheader, match_header
from bot.importer.items import ParsedItem

_ROMAN = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")
_NUMBERED = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
_LETTER = re.compile(r"^[a-zđ]$")
_APPENDIX = re.compile(r"^(?:phụ lục|phu luc)\s*(?-i:([IVXLC]+|\d+)(?![a-zđ]))?", re.IGNORECASE)


@dataclass
class Extraction:
    items: list[ParsedItem] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # text before the first table (and pre-header rows)
    text_lines: list[str] = field(default_factory=list)  # every line of text outside the tables
    warnings: list[str] = field(default_factory=list)
    untitled: list[str] = field(default_factory=list)  # rows with a number but no title
    tables_seen: int = 0  # tables whose header was recognised
    unrecognised_headers: list[str] = field(default_factory=list)
    table_rows: set[int] = field(default_factory=set)  # id() of the rows read as a table's (header or item)


@dataclass
class _State:
    layout: Layout | None = None
    expect_subheader: bool = False
    after_break: bool = False
    appendix: str | None = None
    appendix_title: str | None = None
    appendix_kind: str | None = None
    section: str | None = None
    section_code: str | None = None
    last: ParsedItem | None = None
    last_table: int = -1
    seq: int = 0
    position: int = 0
    joining: _Joining | None = None  # the item continuation rows are being added to


def extract(doc: SourceDocument) -> Extraction:
    out = Extraction()
    state = _State()
    seen_table = False
    for block in doc.blocks:
        if isinstance(block, TextLine):
            if not seen_table:
                out.preamble.append(block.text)
            out.text_lines.append(block.text)
            if block.boundary:
                state.layout = None
            _on_text(block, state)
            continue
        layout = match_header(block.cells)
        if layout is not None and _accept_header(layout, block, state):
            _on_header(layout, block, state, out)
            out.table_rows.add(id(block))
            seen_table = True
            continue
        if state.layout is None:
            text = " ".join(c for c in block.cells if c)
            if text:
                if not seen_table:
                    out.preamble.append(text)
                out.text_lines.append(text)
                _on_text(TextLine(text, block.where), state)
                if _looks_like_header(block.cells):
                    out.unrecognised_headers.append(f"{block.where}: {text[:120]}")
            continue
        out.table_rows.add(id(block))
        _on_row(block, state, out)
    _flush(state)
    _mark_groups(out.items)
    return out


def _accept_header(layout: Layout, row: TableRow, state: _State) -> bool:
    """Inside a table, only the same header again, or a clear new header (3+ roles, no row number), counts."""
    if state.layout is None or layout.signature == state.layout.signature:
        return True
    code = row.cell(layout.col("code"))
    return len(layout.roles) >= 3 and not _NUMBERED.match(code.strip().rstrip("."))


def _looks_like_header(cells: tuple[str, ...]) -> bool:
    return sum(1 for c in cells if c) >= 3 and all(len(c) < 60 for c in cells if c)


def _on_text(line: TextLine, state: _State) -> None:
    match = _APPENDIX.match(line.text)
    if match:
        number = match.group(1)
        state.appendix = f"Phụ lục {number.upper()}" if number else "Phụ lục"
        rest = line.text[match.end():].strip(" .:-")
        state.appendix_title = rest or None
        state.appendix_kind = None
        state.layout = None
        state.section = state.section_code = None
        state.last = None
        state.seq = 0
    elif state.appendix is not None and state.appendix_title is None and state.layout is None:
        state.appendix_title = line.text


def _reads_as_tasks(layout: Layout) -> bool:
    """A table headed "Các chỉ tiêu" whose rows carry an expected output or a timeframe but no target value
    (seed 001) lists work to do and report on, not numbers to reach: its rows are tasks. With a unit of measure
    ("Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi": "%", "100%") its "Kết quả" is the number to reach."""
    has_value = layout.measured or any(p.kind == "value" for p in layout.periods)
    return not has_value and bool({"product", "timeframe"} & layout.roles.keys())


def _on_header(layout: Layout, row: TableRow, state: _State, out: Extraction) -> None:
    state.last_table = row.table
    if state.layout is not None and layout.signature == state.layout.signature:
        state.after_break = True
        state.expect_subheader = True
        return
    if state.appendix_title and "chi tieu" in _fold(state.appendix_title) and "nhiem vu" not in _fold(
            state.appendix_title):
        layout.kind = "target"
    if layout.kind == "target" and _reads_as_tasks(layout):
        layout.kind = "task"
    if state.layout is not None:  # a second, different table: a new appendix even without a heading
        state.section = state.section_code = None
        state.seq = 0
        if state.appendix is None or state.appendix_kind not in (None, layout.kind):
            state.appendix = f"Bảng {out.tables_seen + 1}" if state.appendix is None else state.appendix
    state.appendix_kind = layout.kind
    state.layout = layout
    state.expect_subheader = True
    state.after_break = False
    state.last = None
    out.tables_seen += 1


def _fold(text: str) -> str:
    from bot.base.text import fold

    return fold(text)


def _on_row(row: TableRow, state: _State, out: Extraction) -> None:
    layout = state.layout
    assert layout is not None
    if row.table != state.last_table:
        state.last_table = row.table
        state.after_break = True
    if row.blank:
        return
    if state.expect_subheader:
        state.expect_subheader = False
        if is_subheader(row.cells, layout):
            if not layout.periods or not any(row.cell(p.index) == p.label for p in layout.periods):
                apply_subheader(row.cells, layout)
            return
    code_col = layout.col("code")
    title = row.cell(layout.col("title"))
    raw_code = row.cell(code_col).strip().rstrip(".").strip() if code_col is not None else ""
    others = [c for i, c in enumerate(row.cells) if c and i not in (code_col, layout.col("title"))]
    if code_col is not None:
        if _ROMAN.match(raw_code):
            _start_section(raw_code, title, state)
            return
        if not raw_code:
            _continue(row, state, out)
            return
    else:
        if not title:
            _continue(row, state, out)
            return
        if not others and _is_heading(title):
            _start_section(None, title, state)
            return
    if not title:
        if not others and raw_code and not _NUMBERED.match(raw_code) and not _LETTER.match(raw_code):
            _start_section(None, raw_code, state)  # a section whose heading sits in the TT column
            return
        out.untitled.append(f"{row.where} (số thứ tự {raw_code})" if raw_code else row.where)
        return
    _new_item(row, raw_code, title, state, out)
    state.after_break = False


def _is_heading(title: str) -> bool:
    letters = [ch for ch in title if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters)


def _start_section(code: str | None, title: str, state: _State) -> None:
    state.section_code = code
    state.section = f"{code}. {title}" if code and title else (title or code)
    state.last = None
    state.after_break = False


def _new_item(row: TableRow, raw_code: str, title: str, state: _State, out: Extraction) -> None:
    layout = state.layout
    assert layout is not None
    state.seq += 1
    state.position += 1
    warnings: list[str] = []
    if not raw_code:
        base = str(state.seq)
    elif _NUMBERED.match(raw_code) or _LETTER.match(raw_code):
        base = raw_code
        if _LETTER.match(raw_code) and state.last is not None:
            base = f"{state.last.raw_code.split('.')[0]}.{raw_code}"
    else:
        base = str(state.seq)
        warnings.append(f"Số thứ tự «{raw_code}» không chuẩn; dùng mã {base}.")
    if state.section_code:
        base = f"{state.section_code}.{base}"
    code = base
    if layout.kind == "target":
        code = f"T{base}" if base[0].isdigit() else f"T.{base}"
    item = ParsedItem(
        kind=layout.kind, appendix=state.appendix, section=state.section, code=code, title=title,
        where=row.where, position=state.position, raw_code=raw_code or str(state.seq),
        section_code=state.section_code, warnings=warnings,
        lead_cell=row.cell(layout.col("lead")), support_cell=row.cell(layout.col("support")),
        product=row.cell(layout.col("product")) or None, timeframe_cell=_timeframe_cell(row, layout),
        period_cells={p.index: row.cell(p.index) for p in layout.periods if row.cell(p.index)},
        periods=list(layout.periods),
    )
    out.items.append(item)
    state.last = item


def _timeframe_cell(row: TableRow, layout: Layout) -> str:
    """The timeframe as written; with "Bắt đầu" / "Hoàn thành" columns, "start - end" (a range: its end is the
    deadline)."""
    end = row.cell(layout.col("timeframe"))
    start = row.cell(layout.col("timeframe_start"))
    return f"{start} - {end}" if start and end else end or start


def _continue(row: TableRow, state: _State, out: Extraction) -> None:
    layout = state.layout
    item = state.last
    assert layout is not None
    if item is None:
        text = " ".join(c for c in row.cells if c)
        out.warnings.append(f"{row.where}: bỏ qua dòng không thuộc nhiệm vụ nào («{text[:80]}»).")
        return
    if state.joining is None or state.joining.item is not item:
        _flush(state)
        state.joining = _Joining(item)
    joining = state.joining
    joiner = " " if state.after_break else "\n"
    joining.title.add(row.cell(layout.col("title")), " ")
    joining.lead.add(row.cell(layout.col("lead")), joiner)
    joining.support.add(row.cell(layout.col("support")), joiner)
    joining.product.add(row.cell(layout.col("product")), joiner)
    joining.timeframe.add(_timeframe_cell(row, layout), joiner)
    for period in layout.periods:
        text = row.cell(period.index)
        if text:
            joining.periods.setdefault(period.index, _Joined(item.period_cells.get(period.index, ""))).add(
                text, joiner)
    state.after_break = False


def _flush(state: _State) -> None:
    """Write the joined cells back into their item (once per item, however many rows continued it)."""
    joining, state.joining = state.joining, None
    if joining is None:
        return
    item = joining.item
    item.title, item.lead_cell = joining.title.value(), joining.lead.value()
    item.support_cell, item.timeframe_cell = joining.support.value(), joining.timeframe.value()
    item.product = joining.product.value() or None
    for index, joined in joining.periods.items():
        item.period_cells[index] = joined.value()


class _Joined:
    """A cell growing by continuation rows, in time linear in what is added.

    The same as `old + joiner + new` each time, except that a new line equal to a line already there is
    dropped (a merged cell repeats its text on every row it spans); kept as lines and the parts of the last
    one, so nothing is copied or split again per row (that was quadratic: 100k rows took 9.8 s, 1M over 300 s).
    """

    def __init__(self, text: str) -> None:
        lines = text.split("\n") if text else []
        self.done: list[str] = lines[:-1]
        self.seen: set[str] = set(self.done)
        self.tail: list[str] = lines[-1:]  # the parts of the last line, joined by nothing
        self.tail_len = sum(map(len, self.tail))

    def add(self, new: str, joiner: str) -> None:
        if not new:
            return
        if not self.tail and not self.done:
            self._extend(new)
            return
        if joiner == "\n":
            if new in self.seen or (len(new) == self.tail_len and "".join(self.tail) == new):
                return
            self._close()
        else:
            self.tail.append(joiner)
            self.tail_len += len(joiner)
        self._extend(new)

    def _extend(self, text: str) -> None:
        first, *rest = text.split("\n")
        self.tail.append(first)
        self.tail_len += len(first)
        for line in rest:
            self._close()
            self.tail, self.tail_len = [line], len(line)

    def _close(self) -> None:
        line = "".join(self.tail)
        self.done.append(line)
        self.seen.add(line)
        self.tail, self.tail_len = [], 0

    def value(self) -> str:
        return "\n".join([*self.done, "".join(self.tail)]) if self.tail or self.done else ""


@dataclass
class _Joining:
    """The item continuation rows are being added to, and its growing cells."""

    item: ParsedItem
    title: _Joined = field(init=False)
    lead: _Joined = field(init=False)
    support: _Joined = field(init=False)
    product: _Joined = field(init=False)
    timeframe: _Joined = field(init=False)
    periods: dict[int, _Joined] = field(default_factory=dict)

    def __post_init__(self) -> None:
        item = self.item
        self.title, self.lead, self.support = _Joined(item.title), _Joined(item.lead_cell), _Joined(item.support_cell)
        self.product, self.timeframe = _Joined(item.product or ""), _Joined(item.timeframe_cell)


def _mark_groups(items: list[ParsedItem]) -> None:
    """"1" is a group when "1.1" follows it in the same section; sub-items point to their parent."""
    by_code = {item.code: item for item in items}
    for item in items:
        if "." not in item.raw_code:
            continue
        parent_raw = item.raw_code.rsplit(".", 1)[0]
        prefix = item.code[: len(item.code) - len(item.raw_code)]
        parent = by_code.get(prefix + parent_raw)
        if parent is not None:
            item.parent_code = parent.code
            if parent.kind == "task" and not parent.lead_cell and not parent.timeframe_cell and not parent.period_cells:
                parent.kind = "group"


def require_items(extraction: Extraction) -> None:
    """Refuse a file without any task; numbered rows without a title are skipped with a warning naming them."""
    if extraction.untitled:
        more = and_more(len(extraction.untitled), 5, "hàng")
        rows = "; ".join(extraction.untitled[:5]) + (f" {more}" if more else "")
        if not extraction.items:
            raise UserError(f"Bảng nhiệm vụ có hàng không có tên nhiệm vụ: {rows}. Hãy bổ sung rồi gửi lại.")
        extraction.warnings.append(f"Bỏ qua hàng không có tên nhiệm vụ: {rows}. Hãy bổ sung nếu cần rồi gửi lại.")
    if not extraction.items:
        if extraction.tables_seen:
            raise UserError("Đã thấy tiêu đề bảng nhiệm vụ nhưng bảng không có hàng nào.")
        hint = ""
        if extraction.unrecognised_headers:
            hint = f" Tiêu đề bảng không nhận ra được ({extraction.unrecognised_headers[0]})."
        raise UserError(
            "Không tìm thấy bảng nhiệm vụ trong tệp (no task table): cần một bảng có cột «TT», «Nhiệm vụ» "
            "(hoặc «Nội dung») và «Đơn vị chủ trì» hoặc «Thời gian thực hiện»." + hint
        )
