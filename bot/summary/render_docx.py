"""A draft report in the Vietnamese administrative layout (Nghị định 30/2020/NĐ-CP), as editable .docx.

Layout: A4, margins 20/20/30/15 mm, Times New Roman 13 (title 14); a borderless two-column header
(issuing body left, national motto right), number and place/date line, the title "BÁO CÁO / Kết quả thực
hiện Kế hoạch số ... (Quý II/2026)", then I. reporting situation, II. results (a task table, or a per-unit
table when the plan has more than `DETAIL_LIMIT` task lines, the full list being in the Excel appendix),
III. difficulties by kind, IV. proposals, and the closing block ("Nơi nhận", signature placeholder).
Table rows are written as raw WordprocessingML so a thousand-row table takes milliseconds, not minutes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.base.clock import local
from bot.base.text import and_more
from bot.summary.blockers import LABELS as BLOCKER_LABELS
from bot.summary.labels import (
    STATUS_ORDER,
    clean,
    deadline_text,
    note_text,
    overdue_label,
    percent,
    progress_text,
    reading,
    reporting_phrase,
    shorten,
    signed_points,
    status_label,
    unassigned_heading,
    unit_state_label,
    written_leads,
)
from bot.summary.model import Summary, UnitState

FONT = "Times New Roman"
DETAIL_LIMIT = 300  # task lines above which the report shows a per-unit table instead
LIST_LIMIT = 30  # names or items listed in running text before "và N ... khác"

PROPOSALS: dict[str, str] = {
    "kinh_phi": "Đề nghị cơ quan tài chính xem xét, bố trí kinh phí kịp thời cho các nhiệm vụ đang vướng về kinh phí.",
    "huong_dan": "Đề nghị các cơ quan chuyên môn sớm ban hành văn bản hướng dẫn để các đơn vị triển khai thống nhất.",
    "nhan_luc": "Đề nghị các đơn vị bố trí, bổ sung nhân lực phụ trách các nhiệm vụ còn thiếu cán bộ thực hiện.",
    "thu_tuc": "Đề nghị các cơ quan liên quan đẩy nhanh việc thẩm định, phê duyệt hồ sơ, văn bản còn tồn đọng.",
    "phoi_hop": "Đề nghị các đơn vị phối hợp tăng cường trao đổi, cung cấp thông tin kịp thời cho đơn vị chủ trì.",
    "thiet_bi": "Đề nghị xem xét đầu tư, nâng cấp trang thiết bị, hạ tầng phục vụ triển khai nhiệm vụ.",
}


def render_docx(summary: Summary, *, detail_limit: int = DETAIL_LIMIT) -> bytes:
    """The draft report as .docx bytes."""
    doc = Document()
    _page_and_fonts(doc)
    _header_block(doc, summary)
    _title(doc, summary)
    _situation(doc, summary)
    _results(doc, summary, detail_limit)
    _unassigned(doc, summary, detail_limit)
    _difficulties(doc, summary)
    _proposals(doc, summary)
    _closing(doc, summary)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- building blocks ------------------------------------------------------------------------------------


def _page_and_fonts(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


def _para(container: DocumentType | object, text: str = "", *, bold: bool = False, italic: bool = False,
          size: float | None = None, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
          underline: bool = False, after: float | None = None) -> Paragraph:
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    if text:
        run = paragraph.add_run(clean(text))
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _body(doc: DocumentType, text: str) -> Paragraph:
    return _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)


def _heading(doc: DocumentType, text: str) -> Paragraph:
    return _para(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_lines(cell: object, lines: Sequence[tuple[str, dict[str, object]]]) -> None:
    """Fill a layout cell with centred lines; each line's options go to `_para`."""
    first = True
    for text, options in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        run = paragraph.add_run(clean(text))
        run.bold = bool(options.get("bold"))
        run.italic = bool(options.get("italic"))
        run.underline = bool(options.get("underline"))
        run.font.size = Pt(float(options.get("size", 13)))  # type: ignore[arg-type]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)


def _fixed_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """A layout table whose columns keep their widths in Word and LibreOffice (grid, cells, fixed layout)."""
    twips = [str(int(w / 2.54 * 1440)) for w in widths_cm]
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=False):
        col.set(qn("w:w"), width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


NUMBER_BLANK = "\u00a0" * 10  # the number the clerk writes in (Nghị định 30: left blank until registered)
PLACE_BLANK = "\u00a0" * 14  # the place name when the issuer does not say it
_PLACE_PREFIXES = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "sở", "thành phố",
                   "tỉnh", "huyện", "thị xã", "quận", "xã", "phường", "thị trấn")


def place_name(issuer: str | None) -> str:
    """ "UBND tỉnh Sơn La" -> "Sơn La" (the place of the place/date line); "" when it cannot be told."""
    text = " ".join((issuer or "").split())
    changed = True
    while text and changed:
        changed = False
        for prefix in _PLACE_PREFIXES:
            if text.lower().startswith(prefix + " "):
                text, changed = text[len(prefix) + 1:], True
    return text if text and text[0].isupper() and len(text) <= 40 else ""


def _initials(name: str) -> str:
    """ "PHÒNG VĂN HÓA - XÃ HỘI" -> "PVHXH" (the issuing body's abbreviation after /BC-)."""
    letters = [w[0] for w in name.replace("-", " ").split() if w[0].isalpha()]
    return "".join(letters).upper()[:10] or "…"


def _header_block(doc: DocumentType, summary: Summary) -> None:
    plan = summary.plan
    parent = (plan.issuer or "").upper()
    body = (plan.coordinator or "CƠ QUAN TỔNG HỢP").upper()
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, (6.0, 10.5))
    left, right = table.rows[0].cells
    left_lines: list[tuple[str, dict[str, object]]] = []
    if parent and parent != body:
        left_lines.append((parent, {"size": 12}))
    left_lines += [(body, {"bold": True, "size": 12}), ("", {}), (f"Số:{NUMBER_BLANK}/BC-{_initials(body)}",
                                                                    {"size": 13})]
    _cell_lines(left, left_lines)
    _cell_lines(right, [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
        ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 13, "underline": True}),
        ("", {}),
    ])
    when = local(summary.generated_at)
    place = right.add_paragraph()
    where = place_name(plan.issuer) or PLACE_BLANK
    run = place.add_run(f"{where}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}")
    run.italic = True
    run.font.size = Pt(13)
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _title(doc: DocumentType, summary: Summary) -> None:
    _para(doc, "", after=0)
    _para(doc, "BÁO CÁO", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, f"Kết quả thực hiện {summary.plan.label()} ({summary.period.label})", bold=True, size=14,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    if summary.plan.number:
        _para(doc, summary.plan.title, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "_______________", align=WD_ALIGN_PARAGRAPH.CENTER)
    plan, period = summary.plan, summary.period
    if plan.issuer:
        _para(doc, f"Kính gửi: {plan.issuer}.", align=WD_ALIGN_PARAGRAPH.CENTER)
    who = plan.coordinator or "Cơ quan tổng hợp"
    _body(doc, f"Thực hiện {plan.label()} về {plan.title}, trên cơ sở báo cáo của các đơn vị, {who} "
               f"báo cáo kết quả thực hiện {period.label} như sau:")


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:LIST_LIMIT])
    more = and_more(len(names), LIST_LIMIT, "đơn vị")
    return f"{shown} {more}" if more else shown


def _situation(doc: DocumentType, summary: Summary) -> None:
    t = summary.totals
    _heading(doc, "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")
    _body(doc, f"Tổng số {t.units_total} đơn vị chủ trì phải báo cáo: {reporting_phrase(t)}.")
    late = [u.unit for u in summary.units if u.state is UnitState.LATE]
    missing = [u.unit if u.state is UnitState.MISSING else f"{u.unit} ({unit_state_label(u).lower()})"
               for u in summary.missing_units()]
    if missing:
        _body(doc, f"Các đơn vị chưa báo cáo hoặc chưa báo cáo đủ: {_names(missing)}.")
    if late:
        _body(doc, f"Các đơn vị báo cáo trễ hạn: {_names(late)}.")


def _results(doc: DocumentType, summary: Summary, detail_limit: int) -> None:
    t, changes = summary.totals, summary.changes
    _heading(doc, "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    _heading(doc, "1. Kết quả chung")
    parts = [f"{status_label(s).lower()} {t.by_status[s]}" for s in STATUS_ORDER if t.by_status.get(s)]
    _body(doc, f"Tổng số {t.lines} nhiệm vụ (tính theo đơn vị chủ trì): {'; '.join(parts)}. Tỷ lệ hoàn thành "
               f"{percent(t.completion_rate)}; {t.overdue} nhiệm vụ quá hạn chưa hoàn thành.")
    if changes.previous_label and changes.completion_rate_delta is not None:
        _body(doc, f"So với {changes.previous_label}, tỷ lệ hoàn thành thay đổi "
                   f"{signed_points(changes.completion_rate_delta)}; có {len(changes.newly_done)} nhiệm vụ mới "
                   f"hoàn thành và {len(changes.newly_blocked)} nhiệm vụ mới phát sinh khó khăn, vướng mắc.")
    _heading(doc, "2. Kết quả cụ thể")
    if len(summary.tasks) <= detail_limit:
        _table(doc, ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả thực hiện", "Tiến độ", "Ghi chú"),
               (1.4, 3.8, 2.6, 2.4, 2.7, 2.0, 2.2),
               ((line.code, line.title, line.lead, deadline_text(line), reading(line), progress_text(line),
                 note_text(line)) for line in summary.tasks))
        return
    _body(doc, f"Do số lượng lớn ({len(summary.tasks)} nhiệm vụ), kết quả được tổng hợp theo đơn vị dưới đây; "
               "chi tiết từng nhiệm vụ tại Phụ lục (tệp Excel) kèm theo.")
    _table(doc, ("TT", "Đơn vị", "Số nhiệm vụ", "Hoàn thành", "Tỷ lệ", "Quá hạn", "Vướng mắc"),
           (1.2, 7.0, 2.0, 2.2, 2.0, 2.0, 2.2),
           ((str(i), u.unit, str(u.lines), str(u.done), percent(u.completion_rate), str(u.overdue), str(u.blocked))
            for i, u in enumerate(summary.units, start=1)))
    overdue = summary.overdue_tasks()
    if overdue:
        _body(doc, f"Các nhiệm vụ quá hạn chưa hoàn thành ({len(overdue)}):")
        for line in overdue[:LIST_LIMIT]:
            _body(doc, f"- {line.code}. {shorten(line.title, 200)} ({line.lead}; {overdue_label(line).lower()}).")
        if len(overdue) > LIST_LIMIT:
            _body(doc, f"- Và {len(overdue) - LIST_LIMIT} nhiệm vụ khác (chi tiết tại Phụ lục).")


def _unassigned(doc: DocumentType, summary: Summary, detail_limit: int) -> None:
    """Tasks no lead unit answers for: said in the report, never dropped from it silently."""
    tasks = summary.unassigned
    if not tasks:
        return
    _heading(doc, f"3. {unassigned_heading(len(tasks))}")
    _body(doc, "Các nhiệm vụ sau chưa xác định được đơn vị chủ trì nên chưa được đôn đốc, tổng hợp trong kỳ:")
    _table(doc, ("TT", "Nhiệm vụ", "Đơn vị chủ trì (kế hoạch ghi)"), (1.4, 9.0, 6.0),
           ((task.code, task.title, written_leads(task)) for task in tasks[:detail_limit]))
    if more := and_more(len(tasks), detail_limit, "nhiệm vụ"):
        _body(doc, f"- {more.capitalize()} (chi tiết tại Phụ lục).")


def _difficulties(doc: DocumentType, summary: Summary) -> None:
    _heading(doc, "III. KHÓ KHĂN, VƯỚNG MẮC")
    groups = summary.totals.blockers
    if not groups:
        _body(doc, "Các đơn vị chưa phản ánh khó khăn, vướng mắc trong kỳ.")
        return
    for number, (category, items) in enumerate(groups.items(), start=1):
        _body(doc, f"{number}. Về {BLOCKER_LABELS.get(category, category).lower()} ({len(items)} nhiệm vụ):")
        for item in items[:LIST_LIMIT]:
            text = shorten(item.text, 400) or "không ghi rõ"
            _body(doc, f"- {item.lead}, nhiệm vụ {item.code} ({shorten(item.title, 150)}): {text}.")
        if len(items) > LIST_LIMIT:
            _body(doc, f"- Và {len(items) - LIST_LIMIT} vướng mắc khác (chi tiết tại Phụ lục).")


def _proposals(doc: DocumentType, summary: Summary) -> None:
    _heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    lines = [PROPOSALS[c] for c in summary.totals.blockers if c in PROPOSALS]
    if summary.totals.units_missing:
        lines.insert(0, "Đề nghị các đơn vị chưa báo cáo hoặc báo cáo chưa đầy đủ khẩn trương gửi báo cáo.")
    if summary.totals.overdue:
        lines.append("Đề nghị các đơn vị có nhiệm vụ quá hạn tập trung chỉ đạo, hoàn thành trong thời gian sớm nhất.")
    lines.append("(Bổ sung đề xuất, kiến nghị cụ thể khác.)")
    for number, line in enumerate(lines, start=1):
        _body(doc, f"{number}. {line}")
    last = _body(doc, f"Trên đây là báo cáo kết quả thực hiện {summary.plan.label()} ({summary.period.label})./.")
    last.paragraph_format.keep_with_next = True


def _closing(doc: DocumentType, summary: Summary) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, (8.0, 8.5))
    _keep_rows_whole(table)
    left, right = table.rows[0].cells
    receivers = ["- Như trên;", "- Lưu: VT."] if summary.plan.issuer else ["- Lưu: VT."]  # "Như trên": Kính gửi
    paragraph = left.paragraphs[0]
    run = paragraph.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    paragraph.paragraph_format.space_after = Pt(0)
    for text in receivers:
        p = left.add_paragraph()
        r = p.add_run(clean(text))
        r.font.size = Pt(11)
        p.paragraph_format.space_after = Pt(0)
    _cell_lines(right, [
        ("THỦ TRƯỞNG CƠ QUAN", {"bold": True, "size": 13}),
        ("(Ký, ghi rõ họ tên, đóng dấu)", {"italic": True, "size": 13}),
        ("", {}), ("", {}), ("", {}), ("", {}),
    ])
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _keep_rows_whole(table: Table) -> None:
    """Rows of a layout table never split across pages."""
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# --- fast tables -----------------------------------------------------------------------------------------


TEXT_WIDTH_CM = 21.0 - 3.0 - 1.5  # A4 minus the left and right margins


def _table(doc: DocumentType, headers: Sequence[str], widths_cm: Sequence[float],
           rows: Iterable[Sequence[str]]) -> Table:
    """A bordered table with a repeated bold header row; body rows appended as raw XML (linear time)."""
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    scale = min(1.0, TEXT_WIDTH_CM / sum(widths_cm))  # never wider than the page's text area
    twips = [str(int(w * scale / 2.54 * 1440)) for w in widths_cm]
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), twips, strict=False):
        col.set(qn("w:w"), width)
    tbl = table._tbl
    tbl.append(_row(headers, twips, bold=True, header=True))
    for values in rows:
        tbl.append(_row(values, twips))
    return table


def _row(values: Sequence[str], twips: Sequence[str], *, bold: bool = False, header: bool = False) -> object:
    """One table row that never splits across pages; the header row is repeated on each page."""
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    tr.append(tr_pr)
    for value, width in zip(values, twips, strict=False):
        tc = OxmlElement("w:tc")
        tc_pr = OxmlElement("w:tcPr")
        tc_w = OxmlElement("w:tcW")
        tc_w.set(qn("w:w"), width)
        tc_w.set(qn("w:type"), "dxa")
        tc_pr.append(tc_w)
        tc.append(tc_pr)
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:after"), "0")
        p_pr.append(spacing)
        if bold:
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), "center")
            p_pr.append(jc)
        p.append(p_pr)
        r = OxmlElement("w:r")
        r_pr = OxmlElement("w:rPr")
        if bold:
            r_pr.append(OxmlElement("w:b"))
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "24")  # 12 pt inside tables
        r_pr.append(size)
        r.append(r_pr)
        t = OxmlElement("w:t")
        t.text = clean(" ".join(str(value or "").split()))
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        p.append(r)
        tc.append(p)
        tr.append(tc)
    return tr
