"""Excel .xlsx (read-only mode): every sheet is a stream of rows; merged cells hold their value once.

openpyxl opens the archive itself, so every part is first unpacked once through the byte counter (and
dropped): a part whose declared size lies is refused before openpyxl parses it. Rows, cells and text are
then counted as openpyxl streams them, and reading stops at the first bound crossed.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from bot.base.errors import UserError
from bot.importer.document import SourceDocument, TableRow, TextLine, clean_text
from bot.importer.limits import Budget, unpack_all

MAX_COLUMNS = 64  # a plan's table has a dozen columns; a sheet claiming 16,384 does not make rows that wide


def read_xlsx(data: bytes, budget: Budget | None = None) -> SourceDocument:
    budget = budget or Budget()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            budget.check_declared(archive)
            unpack_all(archive, budget)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (UserError, MemoryError):  # a bound crossed, or the worker's memory ceiling: not a broken file
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise UserError(
            f"Không mở được tệp Excel (.xlsx): tệp hỏng hoặc không đúng định dạng ({exc.__class__.__name__})."
        ) from None
    except Exception as exc:  # openpyxl raises many kinds of errors on broken packages
        raise UserError(f"Không mở được tệp Excel (.xlsx): {exc.__class__.__name__}.") from None
    doc = SourceDocument(kind="xlsx")
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            doc.blocks.append(TextLine(str(sheet.title), f"trang tính «{sheet.title}»", boundary=True))
            for index, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
                cells = tuple(_cell(v) for v in values)
                while cells and not cells[-1]:
                    cells = cells[:-1]
                budget.add_row(len(cells))  # empty rows too: openpyxl fills a gap of a million rows one by one
                if not cells:
                    continue
                budget.add_text(sum(map(len, cells)))
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
