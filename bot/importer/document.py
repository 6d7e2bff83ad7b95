"""What every file format is turned into: text lines and table rows, in document order."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

_TAGS = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)[^>]*>")
_BLOCK_TAGS = {"p", "br", "div", "li", "tr"}
_MARKDOWN = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|^#{1,6}\s+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_LATEX = re.compile(r"\\geq|\\leq|\\%|\$")
_LATEX_SYMBOLS = {"\\geq": "≥ ", "\\leq": "≤ ", "\\%": "%"}


@dataclass(frozen=True)
class TextLine:
    """A paragraph of body text (or a heading such as "Phụ lục II")."""

    text: str
    where: str
    boundary: bool = False  # a new sheet: the table before it has ended
    bold_end: bool = False  # the line as written ended a bold span ("Pháp chế**"): a heading set in bold ends there


def ends_bold(raw: str) -> bool:
    """Whether a markdown line ends with the close of a bold span (the emphasis `clean_text` removes)."""
    return raw.rstrip().endswith(("**", "__"))


@dataclass(frozen=True)
class TableRow:
    """One row of a table, cells already cleaned; merged cells appear once, then as empty strings."""

    cells: tuple[str, ...]
    where: str  # "dòng 147", "bảng 2, hàng 5", "trang tính «Phụ lục», hàng 7"
    table: int  # physical table index: a new table may repeat the header after a page break
    # the row's text as the lines it was written on (text files): read as body text when no task table holds it
    lines: tuple[TextLine, ...] = field(default=(), compare=False)

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    @property
    def blank(self) -> bool:
        return not any(self.cells)


Block = TextLine | TableRow


@dataclass
class SourceDocument:
    """A plan file as a stream of blocks; `kind` says where it came from (docx, xlsx, csv, text)."""

    kind: str
    blocks: list[Block] = field(default_factory=list)

    def body_text(self) -> str:
        """The text before the first table: metadata and the reporting rules live there."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, TableRow):
                break
            lines.append(block.text)
        return "\n".join(lines)

    def all_text(self) -> str:
        return "\n".join(b.text for b in self.blocks if isinstance(b, TextLine))

    @property
    def has_rows(self) -> bool:
        return any(isinstance(b, TableRow) for b in self.blocks)


def _tag_break(match: re.Match[str]) -> str:
    """Paragraph-level tags become line breaks (</p>, <br>); inline ones (<b>, <i>) vanish."""
    name = match.group(2).lower()
    return "\n" if name in _BLOCK_TAGS and (match.group(1) or name == "br") else ""


def clean_text(text: str) -> str:
    """Strip HTML tags and markdown emphasis left by converters; keep paragraph breaks as newlines."""
    if "<" in text:
        text = _TAGS.sub(_tag_break, text)
        text = html.unescape(text)
    if "$" in text:
        text = _LATEX.sub(lambda m: _LATEX_SYMBOLS.get(m.group(0), ""), text)
    if "*" in text or "_" in text or "#" in text:
        text = _MARKDOWN.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)
