"""The summary as an Excel workbook a coordinator pastes into the official report.

Sheets:
- "Tổng hợp": one row per (task, lead unit) in the official layout — TT, Nhiệm vụ, Đơn vị chủ trì,
  Đơn vị phối hợp, Thời hạn, Kết quả thực hiện, Tiến độ, Khó khăn vướng mắc — under a three-line title.
- "Đơn vị": one row per unit that had to report (state, reported/total, late, completion, who answered).
- "Chi tiết theo đơn vị": each unit's submission record, one row per task, sorted by unit (filterable);
  left out above `detail_sheet_limit` lines, where it would double the file (filter "Tổng hợp" by unit instead).
- "Vướng mắc": the blockers grouped by what they are about.
- "Chưa có đơn vị chủ trì" (only when there are some): the reported tasks no lead unit answers for, with the
  names the plan wrote, so nobody reads the workbook as complete while tasks are left out.
Every sheet has frozen headers, an autofilter, set column widths and wrapped long text.

Written with XlsxWriter (twice as fast as openpyxl's write-only mode at 100,000 task lines). Its default mode
keeps a shared string table, so each distinct text (unit names, statuses, deadlines repeat) is escaped and
stored once; that is faster than its constant-memory mode, which escapes every cell's text inline. The rows of
"Tổng hợp" (one per line), "Đơn vị" and "Vướng mắc" go through `_BulkSheet`: each row's XML is made once as it
is written (shared string indexes and style ids, as XlsxWriter writes them), instead of a cell object per value
that XlsxWriter turns into XML through five calls at save time (10 of the renderer's 14 s at 100,000 lines under
load; the units and blockers sheets' 37,000 cells were a quarter of what was left); a repeated text's cell XML is
made once per column. The parts are compressed at zlib level 3 (`ZIP_LEVEL`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import xlsxwriter.workbook
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from bot.base.clock import local
from bot.base.text import fold
from bot.summary.blockers import LABELS as BLOCKER_LABELS
from bot.summary.gc_pause import gc_paused
from bot.summary.labels import (
    UNASSIGNED_HINT,
    clean,
    deadline_text,
    note_text,
    overdue_label,
    percent,
    progress_text,
    reading,
    reporting_phrase,
    unassigned_heading,
    unit_state_label,
    vn_date,
    written_leads,
)
from bot.summary.model import Summary

ZIP_LEVEL = 3  # zlib's level for the workbook's parts (XlsxWriter's own is zlib's default, 6)


class _ZipFile(zipfile.ZipFile):
    """The ZipFile XlsxWriter writes the workbook with, at ZIP_LEVEL: at 100,000 lines (41 MiB of XML) level 6
    spends 0.45 s of CPU compressing, level 3 0.18 s for a file 12% larger (3.9 instead of 3.5 MiB; level 1:
    0.13 s, 4.7 MiB). XlsxWriter has no option for it; its module's ZipFile is the one it calls."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)


xlsxwriter.workbook.ZipFile = _ZipFile  # type: ignore[misc]  # only this module writes workbooks

SUMMARY_HEADERS = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả thực hiện",
                   "Tiến độ", "Khó khăn vướng mắc", "Ghi chú (nguyên văn báo cáo)")
SUMMARY_WIDTHS = (8, 55, 26, 26, 18, 40, 22, 38, 45)
SUMMARY_WRAPPED = (False, True, True, True, False, True, True, True, True)
UNIT_HEADERS = ("TT", "Đơn vị", "Tình trạng", "Đã báo cáo", "Phải báo cáo kỳ này", "Báo cáo trễ",
                "Tổng số nhiệm vụ", "Đã hoàn thành", "Tỷ lệ hoàn thành (%)", "Quá hạn", "Có vướng mắc",
                "Người báo cáo")
UNIT_WIDTHS = (6, 40, 18, 11, 12, 11, 12, 12, 13, 10, 12, 40)
DETAIL_HEADERS = ("Đơn vị", "Mã nhiệm vụ", "Nhiệm vụ", "Trạng thái", "Tỷ lệ (%)", "Ghi chú", "Vướng mắc",
                  "Dự kiến hoàn thành", "Quá hạn", "Báo cáo trễ", "Người báo cáo", "Thời điểm báo cáo")
DETAIL_WIDTHS = (32, 10, 50, 18, 9, 40, 36, 14, 9, 10, 24, 18)
BLOCKER_HEADERS = ("Nhóm vướng mắc", "Mã nhiệm vụ", "Nhiệm vụ", "Đơn vị chủ trì", "Nội dung vướng mắc")
BLOCKER_WIDTHS = (20, 10, 50, 30, 60)
BLOCKER_WRAPPED = (False, False, True, False, True)
UNASSIGNED_SHEET = "Chưa có đơn vị chủ trì"
UNASSIGNED_HEADERS = ("TT", "Mã nhiệm vụ", "Nhiệm vụ", "Đơn vị chủ trì (kế hoạch ghi)")
UNASSIGNED_WIDTHS = (6, 12, 60, 45)


class _Styles:
    """The workbook's formats: made once per workbook (XlsxWriter formats belong to one workbook)."""

    def __init__(self, book: Workbook) -> None:
        font = {"font_name": "Times New Roman"}
        self.header: Format = book.add_format({
            **font, "bold": True, "font_size": 12, "bg_color": "#DDEBF7", "pattern": 1, "align": "center",
            "valign": "vcenter", "text_wrap": True, "border": 1, "border_color": "#999999",
        })
        self.title: Format = book.add_format({**font, "bold": True, "font_size": 14})
        self.wrap: Format = book.add_format({"valign": "top", "text_wrap": True})


def render_xlsx(summary: Summary, *, detail_sheet_limit: int = 20_000) -> bytes:
    """The workbook as .xlsx bytes."""
    out = io.BytesIO()
    with gc_paused():  # the workbook holds a cell object per written cell until it is saved
        book = Workbook(out, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
        styles = _Styles(book)
        _summary_sheet(book.add_worksheet("Tổng hợp", worksheet_class=_BulkSheet), styles, summary)
        _units_sheet(book.add_worksheet("Đơn vị", worksheet_class=_BulkSheet), styles, summary)
        if len(summary.tasks) <= detail_sheet_limit:
            _detail_sheet(book.add_worksheet("Chi tiết theo đơn vị"), styles, summary)
        _blockers_sheet(book.add_worksheet("Vướng mắc", worksheet_class=_BulkSheet), styles, summary)
        if summary.unassigned:
            _unassigned_sheet(book.add_worksheet(UNASSIGNED_SHEET), styles, summary)
        book.close()
    return out.getvalue()


def _prepare(ws: Worksheet, styles: _Styles, widths: Sequence[int], header_row: int, headers: Sequence[str],
             rows: int) -> None:
    """Widths, frozen header, autofilter and print titles; then the header row (`header_row` counts from 1)."""
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    ws.freeze_panes(header_row, 0)
    ws.autofilter(header_row - 1, 0, header_row - 1 + max(rows, 1), len(headers) - 1)
    ws.repeat_rows(header_row - 1)
    for col, text in enumerate(headers):
        ws.write_string(header_row - 1, col, text, styles.header)


def _row_writer(ws: Worksheet, wrap: Format, wrapped: Sequence[bool]) -> Callable[[int, Sequence[Any]], None]:
    """A function writing one row of values: strings (wrapped in the columns that say so), numbers; None
    leaves the cell empty."""
    write_string, write_number = ws.write_string, ws.write_number
    formats = [wrap if flag else None for flag in wrapped]

    def write(row: int, values: Sequence[Any]) -> None:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(row, col, value, formats[col])
            else:
                write_number(row, col, value, formats[col])

    return write


def _summary_sheet(ws: Worksheet, styles: _Styles, summary: Summary) -> None:
    plan, period, totals = summary.plan, summary.period, summary.totals
    when = local(summary.generated_at)
    ws.write_string(0, 0, f"TỔNG HỢP KẾT QUẢ THỰC HIỆN {plan.label().upper()} — {period.label.upper()}", styles.title)
    ws.write_string(1, 0, clean(plan.title) or "")
    ws.write_string(2, 0, f"Số liệu đến {when:%H:%M} ngày {when:%d/%m/%Y}: {reporting_phrase(totals)}; "
                          "tỷ lệ hoàn thành "
                          f"{percent(totals.completion_rate)}; {totals.overdue} nhiệm vụ quá hạn; "
                          f"{totals.blocked} vướng mắc"
                          + (f"; {unassigned_heading(len(summary.unassigned))} (trang «{UNASSIGNED_SHEET}»)."
                             if summary.unassigned else "."))
    _prepare(ws, styles, SUMMARY_WIDTHS, 4, SUMMARY_HEADERS, len(summary.tasks))
    ws.write_text_rows(4, _summary_rows(summary), [styles.wrap if flag else None for flag in SUMMARY_WRAPPED],
                       inline=(0, 1))  # codes and titles: one each per line


def _summary_rows(summary: Summary) -> Iterable[tuple[str | None, ...]]:
    """The hot loop (one row per task line): repeated texts cleaned and built once."""
    cleaned = _Memo(lambda text: clean(text) or "")
    deadlines: dict[tuple[Any, ...], str] = {}
    for line in summary.tasks:
        deadline = deadlines.get(key := (line.timeframe, line.deadlines))
        if deadline is None:
            deadline = deadlines[key] = clean(deadline_text(line)) or ""
        blocker = line.blocker or (line.note if line.is_blocked else None)
        note = note_text(line)
        yield (cleaned[line.code], clean(line.title) or "", cleaned[line.lead],
               cleaned[", ".join(line.supports)] if line.supports else None, deadline, cleaned[reading(line)],
               progress_text(line), cleaned[blocker] if blocker else None, cleaned[note] if note else None)


class _BulkSheet(Worksheet):
    """A worksheet with one long run of text rows below its other cells (`write_text_rows`), made into XML as
    they are written. The XML is what XlsxWriter writes for those cells (shared strings, the cells' style ids),
    without a cell object per value; the cells above the run are written by XlsxWriter as usual. Columns whose
    texts are all different (codes, titles) may be written as inline strings, which spares the shared string
    table a hundred thousand entries that XlsxWriter escapes one by one when it saves."""

    MAX_TEXT = 32_767  # Excel's limit on a cell's text (XlsxWriter cuts longer strings there too)

    def __init__(self) -> None:
        super().__init__()
        self._bulk_first: int | None = None
        self._bulk_xml: list[str] = []

    def write_text_rows(self, first_row: int, rows: Iterable[Sequence[Any]],
                        formats: Sequence[Format | None], *, inline: Collection[int] = (),
                        numbers: Collection[int] = ()) -> None:
        """Rows of texts from `first_row` (counted from 0) on, column by column with `formats`; None or ""
        leaves a cell empty; the columns in `inline` hold inline strings, those in `numbers` numbers (written
        as XlsxWriter's write_number writes them, 0 included). Called once, after every other cell of the
        sheet that lies above the run."""
        table = self.str_table
        index = table._get_shared_string_index
        styles = [f' s="{fmt._get_xf_index()}"' if fmt is not None else "" for fmt in formats]
        starts = [f'<c r="{xl_col_to_name(col)}' for col in range(len(formats))]
        # the cell's XML after its row number, by text: made once per distinct text of a shared-string column
        # (unit names, statuses, deadlines repeat), each later use counted in the table's total below
        shared: list[dict[str, str] | None] = [None if col in inline or col in numbers else {}
                                               for col in range(len(formats))]
        inlined = [f'"{style} t="inlineStr"><is>' for style in styles]
        numbered = [f'"{style}><v>' if col in numbers else None for col, style in enumerate(styles)]
        out, row, limit, reused = self._bulk_xml, first_row, self.MAX_TEXT, 0
        for values in rows:
            number = str(row + 1)
            cells = [f'<row r="{number}">']
            for col, value in enumerate(values):
                if not value and (value is None or value == ""):  # a number 0 is written
                    continue
                if (head := numbered[col]) is not None:
                    cells += (starts[col], number, head, f"{value:.16G}</v></c>")
                    continue
                known = shared[col]
                if known is not None:
                    tail = known.get(value)
                    if tail is None:
                        tail = known[value] = f'"{styles[col]} t="s"><v>{index(value[:limit])}</v></c>'
                    else:
                        reused += 1
                    cells += (starts[col], number, tail)
                    continue
                if len(value) > limit:
                    value = value[:limit]
                if (text := _inline_text(value)) is not None:
                    cells += (starts[col], number, inlined[col], text, "</is></c>")
                else:
                    cells += (starts[col], number, f'"{styles[col]} t="s"><v>{index(value)}</v></c>')
            cells.append("</row>")
            out.append("".join(cells))
            row += 1
        table.count += reused  # the cells that reused a known text's XML: counted as XlsxWriter counts each use
        if row > first_row:
            self._bulk_first = first_row
            self._check_dimensions(first_row, 0)
            self._check_dimensions(row - 1, len(formats) - 1)

    def _write_rows(self) -> None:
        if self._bulk_first is None:
            super()._write_rows()
            return
        last = self.dim_rowmax
        self.dim_rowmax = self._bulk_first - 1  # XlsxWriter's own cells, all above the run
        try:
            if self.dim_rowmax >= self.dim_rowmin:
                super()._write_rows()
        finally:
            self.dim_rowmax = last
        self.fh.write("".join(self._bulk_xml))


def _inline_text(value: str) -> str | None:
    """The <t> element of an inline string holding `value`, or None when the text needs what only XlsxWriter's
    shared strings do (control characters or new lines, "_xHHHH_" sequences Excel would read as escapes)."""
    if not value.isprintable() or "_x" in value:
        return None
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if len(value.strip()) != len(value) else ""  # a space first or last
    return f"<t{space}>{value}</t>"


class _Memo(dict[str, str]):
    """fn(text) computed once per distinct text (unit names, statuses and deadlines repeat)."""

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self._fn = fn

    def __missing__(self, text: str) -> str:
        value = self[text] = self._fn(text)
        return value


def _units_sheet(ws: _BulkSheet, styles: _Styles, summary: Summary) -> None:
    _prepare(ws, styles, UNIT_WIDTHS, 1, UNIT_HEADERS, len(summary.units))
    ws.write_text_rows(1, ((index, clean(unit.unit), unit_state_label(unit), unit.reported, unit.total, unit.late,
                            unit.lines, unit.done, unit.completion_rate, unit.overdue, unit.blocked,
                            clean(", ".join(unit.reporters)) or None)
                           for index, unit in enumerate(summary.units, start=1)),
                       [None] * len(UNIT_HEADERS), numbers=(0, *range(3, 11)))


def _detail_sheet(ws: Worksheet, styles: _Styles, summary: Summary) -> None:
    _prepare(ws, styles, DETAIL_WIDTHS, 1, DETAIL_HEADERS, len(summary.tasks))
    write = _row_writer(ws, styles.wrap, (False,) * len(DETAIL_HEADERS))
    order = sorted(range(len(summary.tasks)), key=lambda i: fold(summary.tasks[i].lead))  # stable: task order kept
    for row, i in enumerate(order, start=1):
        line = summary.tasks[i]
        reported = local(line.reported_at).strftime("%d/%m/%Y %H:%M") if line.reported_at else None
        write(row, (
            clean(line.lead), clean(line.code), clean(line.title),
            clean(reading(line)),
            line.percent, clean(line.note), clean(line.blocker), vn_date(line.expected_date) or None,
            overdue_label(line) or None, "x" if line.late else None, clean(line.reported_by), reported,
        ))


def _blockers_sheet(ws: _BulkSheet, styles: _Styles, summary: Summary) -> None:
    items = [item for group in summary.totals.blockers.values() for item in group]
    _prepare(ws, styles, BLOCKER_WIDTHS, 1, BLOCKER_HEADERS, len(items))
    ws.write_text_rows(1, ((BLOCKER_LABELS.get(item.category, item.category), clean(item.code), clean(item.title),
                            clean(item.lead), clean(item.text) or "(không ghi rõ)") for item in items),
                       [styles.wrap if flag else None for flag in BLOCKER_WRAPPED])


def _unassigned_sheet(ws: Worksheet, styles: _Styles, summary: Summary) -> None:
    ws.write_string(0, 0, unassigned_heading(len(summary.unassigned)).upper(), styles.title)
    ws.write_string(1, 0, UNASSIGNED_HINT)
    _prepare(ws, styles, UNASSIGNED_WIDTHS, 4, UNASSIGNED_HEADERS, len(summary.unassigned))
    write = _row_writer(ws, styles.wrap, (False, False, True, True))
    for row, task in enumerate(summary.unassigned, start=4):
        write(row, (row - 3, clean(task.code), clean(task.title), clean(written_leads(task))))
