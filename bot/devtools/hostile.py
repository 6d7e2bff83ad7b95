"""Hostile plan files, built small on disk and large once unpacked (issue 20, finding 2).

Each builder streams the big XML part straight into the zip archive, so building a 1 GB bomb needs a few MB.
The package around it (content types, relationships, styles) is what python-docx / openpyxl write themselves,
so the file is a valid .docx / .xlsx that Word or Excel would open.

- `paragraph_bomb(target)`: a plan (body, one task table, one task) followed by `target` bytes of paragraphs;
  `paragraph_bomb(200 * MB)` is ~650 KB on disk, `paragraph_bomb(GB)` ~3 MB.
- `continuation_sheet(rows)`: an .xlsx with one task and `rows` continuation rows (empty TT cell), each
  adding a different line to the task's product cell; 1,000,000 rows is ~5 MB on disk.
- `continuation_document(rows)`: the same rows as an already-read `SourceDocument`, for the extractor alone.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document
from openpyxl import Workbook

from bot.importer.document import SourceDocument, TableRow, TextLine

MB = 1024 * 1024
GB = 1024 * MB
BODY = ("Số: 77/KH-UBND", "KẾ HOẠCH", "Kế hoạch thử tệp lớn năm 2026",
        "Các đơn vị báo cáo hằng quý trước ngày 05 của tháng cuối quý về Sở Tài chính để tổng hợp.")
HEADER = ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Sản phẩm", "Thời gian thực hiện")
TASK = ("1", "Rà soát thủ tục hành chính", "Sở Tài chính", "Báo cáo", "Quý II/2026")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _repack(base: bytes, part: str, chunks: Iterator[bytes]) -> bytes:
    """`base` with `part` replaced by the streamed `chunks` (deflated as they come)."""
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(base)) as src,
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst):
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo(part, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w") as stream:  # under 2 GiB: no zip64, plain 32-bit sizes
            for chunk in chunks:
                stream.write(chunk)
    return out.getvalue()


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{_xml_text(text)}</w:t></w:r></w:p>".encode()


def _table(rows: tuple[tuple[str, ...], ...]) -> bytes:
    trs = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{_xml_text(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                  + "</w:tr>" for row in rows)
    return f"<w:tbl>{trs}</w:tbl>".encode()


def _paragraphs(target: int) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'.encode()
    for line in BODY:
        yield _paragraph(line)
    yield _paragraph("Phụ lục")
    yield _table((HEADER, TASK))
    written, n, batch = 0, 0, []
    while written < target:
        n += 1
        # a number changing every 128 paragraphs keeps deflate near 300:1 (the 645 KB for 200 MB)
        batch.append(_paragraph(f"Đoạn văn lặp lại số {n // 128} của phụ lục kèm theo kế hoạch"))
        if len(batch) == 2000:
            chunk = b"".join(batch)
            written += len(chunk)
            batch = []
            yield chunk
    yield b"".join(batch) + b"<w:sectPr/></w:body></w:document>"


def paragraph_bomb(target: int) -> bytes:
    """A .docx whose word/document.xml unpacks to about `target` bytes of paragraphs after one real task."""
    base = io.BytesIO()
    Document().save(base)
    return _repack(base.getvalue(), "word/document.xml", _paragraphs(target))


def _sheet_rows(rows: int) -> Iterator[bytes]:
    def row(r: int, cells: tuple[str, ...]) -> bytes:
        cols = "ABCDE"
        body = "".join(f'<c r="{cols[i]}{r}" t="inlineStr"><is><t>{_xml_text(c)}</t></is></c>'
                       for i, c in enumerate(cells) if c)
        return f'<row r="{r}">{body}</row>'.encode()

    yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
           b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    r = 0
    for line in BODY:
        r += 1
        yield row(r, (line,))
    for cells in (HEADER, TASK):
        r += 1
        yield row(r, cells)
    batch: list[bytes] = []
    for n in range(rows):
        r += 1
        batch.append(row(r, ("", "", "", f"Sản phẩm {n}", "")))
        if len(batch) == 5000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch) + b"</sheetData></worksheet>"


def continuation_sheet(rows: int) -> bytes:
    """An .xlsx of one task followed by `rows` continuation rows (empty TT, a new product line each)."""
    workbook = Workbook()
    workbook.active.title = "Phụ lục"
    base = io.BytesIO()
    workbook.save(base)
    return _repack(base.getvalue(), "xl/worksheets/sheet1.xml", _sheet_rows(rows))


def continuation_document(rows: int) -> SourceDocument:
    """What a reader makes of `continuation_sheet(rows)`: the same blocks, built directly."""
    doc = SourceDocument(kind="xlsx")
    doc.blocks.extend(TextLine(line, f"dòng {i}") for i, line in enumerate(BODY, start=1))
    doc.blocks.append(TableRow(HEADER, "hàng 1", table=1))
    doc.blocks.append(TableRow(TASK, "hàng 2", table=1))
    doc.blocks.extend(TableRow(("", "", "", f"Sản phẩm {n}", ""), f"hàng {n + 3}", table=1) for n in range(rows))
    return doc
