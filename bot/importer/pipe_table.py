"""Tables written with pipes in a text file: markdown rows on one line ("| 1 | Rà soát ... | Sở Tư pháp |"),
and the "pipe per line" layout of web pages copied to markdown (thuvienphapluat.vn and the like), where each
cell's text stands on its own lines and the cells are separated by lines holding only "|":

    1
    |
    Rà soát, bổ sung
    quy hoạch ...
    |
    Sở Khoa học và Công nghệ
    |
    |            <- two "|" lines in a row: the next row starts
    2

Markdown tables cannot hold a blank line, so a blank line ends the table; a stretch of text longer than a cell
ever is (the letter's body copied between the letterhead and the signature) is body text, not a cell. The
letterhead in that layout comes out as rows outside any task table, which the importer reads as text. A row
whose header cells follow other text (the appendix heading written in the cell before "STT") is split there:
the text before it stays text.
"""

from __future__ import annotations

import re

from bot.importer.document import Block, TableRow, TextLine, clean_text, ends_bold
from bot.importer.headers import match_header
from bot.importer.limits import Budget

_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_BULLET = re.compile(r"^[-–+•]\s")
MAX_CELL_LINES = 30  # longer than any table cell: body text between two "|" lines
_LEADING_CELL_LINES = 5  # text just before the first "|" (no blank line between) is its row's first cell

Line = tuple[int, str]  # (1-based line number, raw text)


def has_pipe_layout(lines: list[str]) -> bool:
    """Four or more lines holding only "|", or a markdown row with at least two cells."""
    bare = 0
    for line in lines:
        text = line.strip()
        if text == "|":
            bare += 1
            if bare >= 4:
                return True
        elif _is_markdown_row(text):
            return True
    return False


def _is_markdown_row(text: str) -> bool:
    return len(text) > 2 and text.startswith("|") and text.endswith("|") and text.count("|") >= 3


def _cell_text(lines: list[Line]) -> str:
    """A cell's wrapped lines joined by spaces; a bullet ("- ...") starts a new line."""
    parts: list[str] = []
    for _, raw in lines:
        cleaned = clean_text(raw)
        if not cleaned:
            continue
        if parts:
            parts.append("\n" if _BULLET.match(cleaned) else " ")
        parts.append(cleaned)
    return "".join(parts)


def _text_lines(lines: list[Line]) -> list[TextLine]:
    out = []
    for number, raw in lines:
        cleaned = clean_text(raw)
        if cleaned:
            out.append(TextLine(cleaned, f"dòng {number}", bold_end=ends_bold(raw)))
    return out


class _Reader:
    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.blocks: list[Block] = []
        self.table = 0
        self.cells: list[list[Line]] = []  # the row being read
        self.in_run = False
        self.markdown_run = False

    def text(self, lines: list[Line]) -> None:
        self.blocks.extend(_text_lines(lines))

    def end_row(self) -> None:
        cells, self.cells = self.cells, []
        if not any(_cell_text(c) for c in cells):
            return
        texts = [_cell_text(c) for c in cells]
        layout = match_header(tuple(texts))
        if layout is not None:
            first = min(layout.roles.values())
            if first > 0 and all(texts[:first]):  # the appendix heading written in the cells before "STT"
                for cell in cells[:first]:
                    self.text(cell)
                cells, texts = cells[first:], texts[first:]
        self.row(tuple(texts), cells)

    def row(self, texts: tuple[str, ...], cells: list[list[Line]]) -> None:
        self.budget.add_row(len(texts))
        first = next((c[0][0] for c, t in zip(cells, texts, strict=True) if t and c), cells[0][0][0])
        lines = tuple(line for cell in cells for line in _text_lines(cell))
        self.blocks.append(TableRow(texts, f"dòng {first}", table=self.table, lines=lines))

    def end_run(self) -> None:
        self.end_row()
        self.in_run = False

    def separator(self, segment: list[Line]) -> None:
        """A "|" line; `segment` is the text since the one before."""
        if self.in_run and (_outside(segment)):
            self.end_run()
        if not self.in_run:
            self.in_run = True
            self.table += 1
            body, cell = _split_leading(segment)
            self.text(body)
            if cell:
                self.cells.append(cell)
            return
        if not segment:  # "|" right after "|": the row has ended, the next starts
            self.end_row()
            return
        self.cells.append(segment)

    def markdown(self, number: int, text: str) -> None:
        if not self.markdown_run:
            self.table += 1
            self.markdown_run = True
        if _SEPARATOR_ROW.match(text):
            return
        body = text[1:-1]
        parts = [p for p in re.split(r"(?<!\\)\|", body)]
        texts = tuple(clean_text(p.replace("\\|", "|")) for p in parts)
        if not any(texts):
            return
        self.budget.add_row(len(texts))
        line = (number, " ".join(t for t in texts if t))
        self.blocks.append(TableRow(texts, f"dòng {number}", table=self.table, lines=tuple(_text_lines([line]))))


def _outside(segment: list[Line]) -> bool:
    return len(segment) > MAX_CELL_LINES or any(not raw.strip() for _, raw in segment)


def _split_leading(segment: list[Line]) -> tuple[list[Line], list[Line]]:
    """Text before a table's first "|": body text, then (after its last blank line) the first cell of a row
    written without its opening pipe, when that is short."""
    blanks = [i for i, (_, raw) in enumerate(segment) if not raw.strip()]
    start = blanks[-1] + 1 if blanks else 0
    tail = segment[start:]
    if tail and len(tail) <= _LEADING_CELL_LINES:
        return segment[:start], tail
    return segment, []


def read_pipe_layout(lines: list[str], budget: Budget) -> list[Block]:
    """The blocks of a text file holding pipe tables (see the module doc); other lines are body text."""
    reader = _Reader(budget)
    segment: list[Line] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text == "|":
            reader.markdown_run = False
            reader.separator(segment)
            segment = []
            continue
        if _is_markdown_row(text) or (reader.markdown_run and _SEPARATOR_ROW.match(text) and "|" in text):
            if reader.in_run:
                reader.end_run()
            reader.text(segment)
            segment = []
            reader.markdown(number, text)
            continue
        if reader.markdown_run:
            reader.markdown_run = False
        if not reader.in_run:
            if text:
                segment.append((number, line))
            else:
                reader.text(segment)
                segment = []
            continue
        segment.append((number, line))
        if _outside(segment):  # a blank line (or a page of text) after a "|": the table has ended
            reader.end_run()
            tail = [s for s in segment if s[1].strip()]
            reader.text(tail)
            segment = []
    if reader.in_run:
        reader.end_run()
    reader.text(segment)
    return reader.blocks
