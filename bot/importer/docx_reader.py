"""Word .docx: body paragraphs and tables in document order, merged cells de-duplicated.

word/document.xml is streamed (lxml `iterparse`) through a byte counter, and each body paragraph and table
row is read and dropped as soon as it ends: memory holds one block at a time, and every bound of `Limits`
(unpacked bytes, XML elements, rows, cells, text) is checked as the file is read. Entities are never
expanded and no DTD or network resource is loaded (XXE, billion laughs).

A horizontally merged cell (`w:gridSpan`) keeps its text in its first grid column and leaves the others
empty, and a vertically merged continuation (`w:vMerge` without "restart") is empty, so a row whose TT cell
is merged with the row above reads as a continuation row.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from bot.base.errors import UserError
from bot.importer.document import SourceDocument, TableRow, TextLine, clean_text
from bot.importer.limits import Budget, TooComplex, open_part

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _BR, _CR, _TAB = qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")
_TCPR, _GRIDSPAN, _VMERGE, _VAL = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
_SDT, _SDTCONTENT, _BODY = qn("w:sdt"), qn("w:sdtContent"), qn("w:body")
PART = "word/document.xml"
BLOCK_ELEMENTS = 200_000  # one paragraph or one table row held in memory at a time: at most this many elements

# what an open element is, for the blocks it holds
_OTHER, _CONTAINER, _SDT_IN_CONTAINER, _BLOCK_P, _BLOCK_TBL, _ROW = range(6)


def read_docx(data: bytes, budget: Budget | None = None) -> SourceDocument:
    budget = budget or Budget()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        budget.check_declared(archive)
        stream = open_part(archive, PART, budget)
        return _read(stream, budget)
    except (UserError, MemoryError):  # a bound crossed, or the worker's memory ceiling: not a broken file
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, etree.XMLSyntaxError) as exc:
        raise UserError(
            f"Không mở được tệp Word (.docx): tệp hỏng hoặc không đúng định dạng ({exc.__class__.__name__})."
        ) from None
    except Exception as exc:  # lxml and zlib raise a variety of errors on broken packages
        raise UserError(f"Không mở được tệp Word (.docx): {exc.__class__.__name__}.") from None


def _read(stream: Any, budget: Budget) -> SourceDocument:
    doc = SourceDocument(kind="docx")
    counters = {"p": 0, "t": 0, "row": 0}
    kinds: list[int] = []  # what each open element is
    in_block = 0  # elements of the current block (paragraph or row)
    events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, load_dtd=False,
                             no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    for event, element in events:
        if event == "start":
            budget.add_elements()
            parent = kinds[-1] if kinds else _OTHER
            kinds.append(_kind(element.tag, parent, len(kinds)))
            if kinds[-1] == _BLOCK_TBL:
                counters["t"] += 1
                counters["row"] = 0
            if kinds[-1] in (_BLOCK_P, _ROW):
                in_block = 0
            in_block += 1
            if in_block > BLOCK_ELEMENTS:
                raise TooComplex(f"một đoạn văn hoặc một hàng của bảng có hơn {BLOCK_ELEMENTS:,} phần tử XML"
                                 .replace(",", "."))
            continue
        kind = kinds.pop()
        parent = kinds[-1] if kinds else _OTHER
        if kind == _BLOCK_P:
            counters["p"] += 1
            text = clean_text(_paragraph_text(element))
            if text:
                budget.add_text(len(text))
                doc.blocks.append(TextLine(text, f"đoạn {counters['p']}"))
        elif kind == _ROW:
            counters["row"] += 1
            row = _table_row(element, counters["t"], counters["row"])
            budget.add_row(len(row.cells))
            budget.add_text(sum(map(len, row.cells)))
            doc.blocks.append(row)
        if parent in (_CONTAINER, _BLOCK_TBL):  # read: drop it, and whatever stood before it
            element.clear()
            owner = element.getparent()
            if owner is not None:
                owner.remove(element)
    return doc


def _kind(tag: str, parent: int, depth: int) -> int:
    if tag == _BODY and depth == 1:
        return _CONTAINER
    if parent == _CONTAINER:
        return {_P: _BLOCK_P, _TBL: _BLOCK_TBL, _SDT: _SDT_IN_CONTAINER}.get(tag, _OTHER)
    if parent == _SDT_IN_CONTAINER and tag == _SDTCONTENT:
        return _CONTAINER
    if parent == _BLOCK_TBL and tag == _TR:
        return _ROW
    return _OTHER


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


def _table_row(tr: Any, number: int, index: int) -> TableRow:
    cells: list[str] = []
    for tc in tr.iterchildren(_TC):
        span, continued = 1, False
        props = tc.find(_TCPR)
        if props is not None:
            grid_span = props.find(_GRIDSPAN)
            if grid_span is not None:
                try:
                    span = max(1, min(64, int(grid_span.get(_VAL) or 1)))  # 64: Word's own column limit is 63
                except ValueError:
                    span = 1
            v_merge = props.find(_VMERGE)
            if v_merge is not None and (v_merge.get(_VAL) or "continue") != "restart":
                continued = True
        cells.append("" if continued else _cell_text(tc))
        cells.extend([""] * (span - 1))
    return TableRow(tuple(cells), f"bảng {number}, hàng {index}", table=number)
