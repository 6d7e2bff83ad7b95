"""The summary as an Excel workbook a coordinator pastes into the official report.

Sheets (write-only mode: rows stream to the file, so 100,000 task lines stay fast and small in memory):
- "Tổng hợp": one row per (task, lead unit) in the official layout — TT, Nhiệm vụ, Đơn vị chủ trì,
  Đơn vị phối hợp, Thời hạn, Kết quả thực hiện, Tiến độ, Khó khăn vướng mắc — under a three-line title.
- "Đơn vị": one row per unit that had to report (state, reported/total, late, completion, who answered).
- "Chi tiết theo đơn vị": each unit's submission record, one row per task, sorted by unit (filterable);
  left out above `detail_sheet_limit` lines, where it would double the file (filter "Tổng hợp" by unit instead).
- "Vướng mắc": the blockers grouped by what they are about.
Every sheet has frozen headers, an autofilter, set column widths and wrapped long text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.clock import local
from bot.summary.blockers import LABELS as BLOCKER_LABELS
from bot.summary.labels import (
    clean,
    deadline_text,
    percent,
    progress_text,
    result_text,
    status_label,
    unit_state_label,
    vn_date,
)
from bot.summary.model import Summary
from bot.text import fold

SUMMARY_HEADERS = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả thực hiện",
                   "Tiến độ", "Khó khăn vướng mắc")
SUMMARY_WIDTHS = (8, 55, 26, 26, 18, 50, 20, 38)
UNIT_HEADERS = ("TT", "Đơn vị", "Tình trạng", "Đã báo cáo", "Phải báo cáo kỳ này", "Báo cáo trễ",
                "Tổng số nhiệm vụ", "Đã hoàn thành", "Tỷ lệ hoàn thành (%)", "Quá hạn", "Có vướng mắc",
                "Người báo cáo")
UNIT_WIDTHS = (6, 40, 18, 11, 12, 11, 12, 12, 13, 10, 12, 40)
DETAIL_HEADERS = ("Đơn vị", "Mã nhiệm vụ", "Nhiệm vụ", "Trạng thái", "Tỷ lệ (%)", "Ghi chú", "Vướng mắc",
                  "Dự kiến hoàn thành", "Quá hạn", "Báo cáo trễ", "Người báo cáo", "Thời điểm báo cáo")
DETAIL_WIDTHS = (32, 10, 50, 18, 9, 40, 36, 14, 9, 10, 24, 18)
BLOCKER_HEADERS = ("Nhóm vướng mắc", "Mã nhiệm vụ", "Nhiệm vụ", "Đơn vị chủ trì", "Nội dung vướng mắc")
BLOCKER_WIDTHS = (20, 10, 50, 30, 60)

_THIN = Side(style="thin", color="999999")
_HEADER_FONT = Font(name="Times New Roman", bold=True, size=12)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(name="Times New Roman", bold=True, size=14)
_WRAP = Alignment(vertical="top", wrap_text=True)


def render_xlsx(summary: Summary, *, detail_sheet_limit: int = 20_000) -> bytes:
    """The workbook as .xlsx bytes."""
    book = Workbook(write_only=True)
    _summary_sheet(book.create_sheet("Tổng hợp"), summary)
    _units_sheet(book.create_sheet("Đơn vị"), summary)
    if len(summary.tasks) <= detail_sheet_limit:
        _detail_sheet(book.create_sheet("Chi tiết theo đơn vị"), summary)
    _blockers_sheet(book.create_sheet("Vướng mắc"), summary)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _prepare(ws: WriteOnlyWorksheet, widths: Sequence[int], header_row: int, columns: int, rows: int) -> None:
    """Widths, frozen header and autofilter: set before any row is written (write-only mode)."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{header_row + max(rows, 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"


def _header(ws: WriteOnlyWorksheet, headers: Iterable[str]) -> None:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill, cell.alignment, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN, _HEADER_BORDER
        cells.append(cell)
    ws.append(cells)


def _title(ws: WriteOnlyWorksheet, text: str) -> None:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = _TITLE_FONT
    ws.append([cell])


def _wrapped(ws: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.alignment = _WRAP
    return cell


def _summary_sheet(ws: WriteOnlyWorksheet, summary: Summary) -> None:
    plan, period, totals = summary.plan, summary.period, summary.totals
    _prepare(ws, SUMMARY_WIDTHS, 4, len(SUMMARY_HEADERS), len(summary.tasks))
    when = local(summary.generated_at)
    _title(ws, f"TỔNG HỢP KẾT QUẢ THỰC HIỆN {plan.label().upper()} — {period.label.upper()}")
    ws.append([plan.title])
    ws.append([f"Số liệu đến {when:%H:%M} ngày {when:%d/%m/%Y}: {totals.units_reported}/{totals.units_total} "
               f"đơn vị đã báo cáo; tỷ lệ hoàn thành {percent(totals.completion_rate)}; "
               f"{totals.overdue} nhiệm vụ quá hạn; {totals.blocked} vướng mắc."])
    _header(ws, SUMMARY_HEADERS)
    for line in summary.tasks:
        ws.append([
            clean(line.code),
            _wrapped(ws, clean(line.title)),
            _wrapped(ws, clean(line.lead)),
            _wrapped(ws, clean(", ".join(line.supports))) if line.supports else None,
            clean(deadline_text(line)) or None,
            _wrapped(ws, clean(result_text(line))),
            progress_text(line),
            _wrapped(ws, clean(line.blocker or (line.note if line.is_blocked else None))),
        ])


def _units_sheet(ws: WriteOnlyWorksheet, summary: Summary) -> None:
    _prepare(ws, UNIT_WIDTHS, 1, len(UNIT_HEADERS), len(summary.units))
    _header(ws, UNIT_HEADERS)
    for index, unit in enumerate(summary.units, start=1):
        ws.append([index, clean(unit.unit), unit_state_label(unit), unit.reported, unit.total, unit.late,
                   unit.lines, unit.done, unit.completion_rate, unit.overdue, unit.blocked,
                   clean(", ".join(unit.reporters)) or None])


def _detail_sheet(ws: WriteOnlyWorksheet, summary: Summary) -> None:
    _prepare(ws, DETAIL_WIDTHS, 1, len(DETAIL_HEADERS), len(summary.tasks))
    _header(ws, DETAIL_HEADERS)
    order = sorted(range(len(summary.tasks)), key=lambda i: fold(summary.tasks[i].lead))  # stable: task order kept
    for i in order:
        line = summary.tasks[i]
        reported = local(line.reported_at).strftime("%d/%m/%Y %H:%M") if line.reported_at else None
        ws.append([
            clean(line.lead), clean(line.code), clean(line.title),
            "Đã hoàn thành (kỳ trước)" if line.carried and line.reported_at is None else status_label(line.status),
            line.percent, clean(line.note), clean(line.blocker), vn_date(line.expected_date) or None,
            "x" if line.overdue else None, "x" if line.late else None, clean(line.reported_by), reported,
        ])


def _blockers_sheet(ws: WriteOnlyWorksheet, summary: Summary) -> None:
    items = [item for group in summary.totals.blockers.values() for item in group]
    _prepare(ws, BLOCKER_WIDTHS, 1, len(BLOCKER_HEADERS), len(items))
    _header(ws, BLOCKER_HEADERS)
    for item in items:
        ws.append([BLOCKER_LABELS.get(item.category, item.category), clean(item.code), _wrapped(ws, clean(item.title)),
                   clean(item.lead), _wrapped(ws, clean(item.text) or "(không ghi rõ)")])
