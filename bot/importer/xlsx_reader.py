"""Excel .xlsx (read-only mode): every sheet is a stream of rows; merged cells hold their value once."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from bot.errors import UserError
from bot.importer.document import SourceDocument, TableRow, TextLine, clean_text


def read_xlsx(data: bytes) -> SourceDocument:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UserError(
            f"Không mở được tệp Excel (.xlsx): tệp hỏng hoặc không đúng định dạng ({exc.__class__.__name__})."
        ) from None
    except Exception as exc:  # openpyxl raises many kinds of errors on broken packages
        raise UserError(f"Không mở được tệp Excel (.xlsx): {exc.__class__.__name__}.") from None
    doc = SourceDocument(kind="xlsx")
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            doc.blocks.append(TextLine(str(sheet.title), f"trang tính «{sheet.title}»", boundary=True))
            for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = tuple(_cell(v) for v in values)
                while cells and not cells[-1]:
                    cells = cells[:-1]
                if not cells:
                    continue
                doc.blocks.append(TableRow(cells, f"trang tính «{sheet.title}», hàng {index}", table=number))
    finally:
        workbook.close()
    return doc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))
