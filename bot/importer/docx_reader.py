"""Word .docx: body paragraphs and tables in document order, merged cells de-duplicated.

The XML is walked directly (python-docx opens the package): a horizontally merged cell
(`w:gridSpan`) keeps its text in its first grid column and leaves the others empty, and a
vertically merged continuation (`w:vMerge` without "restart") is empty, so a row whose TT cell
is merged with the row above reads as a continuation row.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from bot.errors import UserError
from bot.importer.document import SourceDocument, TableRow, TextLine, clean_text

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _BR, _CR, _TAB = qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")
_TCPR, _GRIDSPAN, _VMERGE, _VAL = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
_SDT, _SDTCONTENT = qn("w:sdt"), qn("w:sdtContent")


def read_docx(data: bytes) -> SourceDocument:
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UserError(
            f"Không mở được tệp Word (.docx): tệp hỏng hoặc không đúng định dạng ({exc.__class__.__name__})."
        ) from None
    except Exception as exc:  # python-docx raises a variety of lxml/opc errors on broken packages
        raise UserError(f"Không mở được tệp Word (.docx): {exc.__class__.__name__}.") from None
    doc = SourceDocument(kind="docx")
    counters = {"p": 0, "t": 0}
    for child in _body_children(document.element.body):
        if child.tag == _P:
            counters["p"] += 1
            text = clean_text(_paragraph_text(child))
            if text:
                doc.blocks.append(TextLine(text, f"đoạn {counters['p']}"))
        elif child.tag == _TBL:
            counters["t"] += 1
            doc.blocks.extend(_table_rows(child, counters["t"]))
    return doc


def _body_children(body: Any) -> Any:
    for child in body.iterchildren():
        if child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                yield from _body_children(content)
        else:
            yield child


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for node in p.iter(_T, _BR, _CR, _TAB):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    paragraphs = [_paragraph_text(p) for p in tc.iter(_P)]
    return clean_text("\n".join(paragraphs))


def _table_rows(tbl: Any, number: int) -> list[TableRow]:
    rows: list[TableRow] = []
    for index, tr in enumerate(tbl.iterchildren(_TR), start=1):
        cells: list[str] = []
        for tc in tr.iterchildren(_TC):
            span, continued = 1, False
            props = tc.find(_TCPR)
            if props is not None:
                grid_span = props.find(_GRIDSPAN)
                if grid_span is not None:
                    try:
                        span = max(1, int(grid_span.get(_VAL) or 1))
                    except ValueError:
                        span = 1
                v_merge = props.find(_VMERGE)
                if v_merge is not None and (v_merge.get(_VAL) or "continue") != "restart":
                    continued = True
            cells.append("" if continued else _cell_text(tc))
            cells.extend([""] * (span - 1))
        rows.append(TableRow(tuple(cells), f"bảng {number}, hàng {index}", table=number))
    return rows
