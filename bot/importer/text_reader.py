"""Plain text extracted from Word or PDF, and .csv/.tsv files.

Tab-separated lines are table rows; other lines are body text. Pipe tables (markdown rows, or web pages
copied with each cell on its own lines between "|" lines) are read by `pipe_table`. Text extracted from a PDF
has no tabs: there the task table is rebuilt from its header ("TT Nhiệm vụ ...") and the row numbers
that stand on their own lines (see `pdf_table`).
"""

from __future__ import annotations

import csv
import io

from bot.base.errors import UserError
from bot.importer.document import SourceDocument, TableRow, TextLine, clean_text, ends_bold
from bot.importer.limits import Budget
from bot.importer.pdf_table import looks_like_broken_table, rebuild_broken_table
from bot.importer.pipe_table import has_pipe_layout, read_pipe_layout


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UserError("Tệp không phải văn bản, Word (.docx) hay Excel (.xlsx): không đọc được nội dung.")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    raise UserError("Tệp văn bản không đọc được: hãy lưu tệp với mã UTF-8 (Unicode).")


def read_text(data: bytes, budget: Budget | None = None) -> SourceDocument:
    budget = budget or Budget()
    text = decode_text(data)
    budget.add_text(len(text))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = SourceDocument(kind="text")
    tabs = any("\t" in line for line in lines)
    if not tabs and has_pipe_layout(lines):
        doc.blocks.extend(read_pipe_layout(lines, budget))
        return doc
    if not tabs and looks_like_broken_table(lines):
        doc.blocks.extend(rebuild_broken_table(lines))
        return doc
    table = 0
    previous_was_row = False
    for number, line in enumerate(lines, start=1):
        where = f"dòng {number}"
        if "\t" in line:
            if not previous_was_row:
                table += 1
            cells = tuple(clean_text(cell) for cell in line.split("\t"))
            budget.add_row(len(cells))
            doc.blocks.append(TableRow(cells, where, table=table))
            previous_was_row = True
            continue
        cleaned = clean_text(line)
        if cleaned:
            doc.blocks.append(TextLine(cleaned, where, bold_end=ends_bold(line)))
        previous_was_row = False
    return doc


def read_delimited(data: bytes, *, delimiter: str | None, budget: Budget | None = None) -> SourceDocument:
    budget = budget or Budget()
    text = decode_text(data)
    budget.add_text(len(text))
    if delimiter is None:
        sample = text[:8192]
        delimiter = max((";", ",", "\t"), key=sample.count)
    doc = SourceDocument(kind="csv")
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            cleaned = tuple(clean_text(cell) for cell in cells)
            budget.add_row(len(cleaned))
            if any(cleaned):
                doc.blocks.append(TableRow(cleaned, f"hàng {number}", table=1))
    except csv.Error as exc:
        raise UserError(f"Tệp CSV không đọc được: {exc}.") from None
    return doc
