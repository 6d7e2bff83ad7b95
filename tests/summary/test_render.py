"""The renderers on real summaries: open the files they produce and read them back."""

from __future__ import annotations

import io
import json
import textwrap

import docx
import openpyxl
import pytest
from docx.shared import Pt
from PIL import Image

from bot.summary.build import build_summary
from bot.summary.labels import unit_state_label
from bot.summary.model import Summary
from bot.summary.render_docx import render_docx
from bot.summary.render_json import render_json
from bot.summary.render_png import LABEL_WIDTH, STATES, render_png, unit_state_counts
from bot.summary.render_text import TELEGRAM_LIMIT, render_text
from bot.summary.render_xlsx import SUMMARY_HEADERS, render_xlsx
from storage.database import Database
from tests.summary.conftest import NOW, Seeder, scenario


@pytest.fixture
def summary(sqlite_db: Database) -> Summary:
    ids = scenario(sqlite_db)
    return sqlite_db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW)


def _crowded(db: Database, units: int, tag: str = "") -> Summary:
    """Many units with long names, one unreported task each and one blocker, some with markup in names."""
    with db.session() as s:
        sd = Seeder(s)
        plan = sd.plan(number=f"9{tag}/KH-UBND", title="Kế hoạch <thử> & kiểm tra")
        q2 = sd.quarter(plan, 2)
        for i in range(units):
            unit = sd.unit(f"Ủy ban nhân dân xã Mường Sại số {i:03d}{tag} thuộc huyện Quỳnh Nhai <A&B>")
            sd.task(plan, f"{i}.1", f"Triển khai nền tảng số cấp xã đợt {i}", unit, deadlines=("2026-05-31",))
            blocked = sd.task(plan, f"{i}.2", f"Nâng cấp đường truyền {i}", unit)
            sd.report(blocked, unit, q2, "blocked", blocker="Đường truyền internet yếu, thiếu máy tính")
        plan_id = plan.id
    return db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)


# --- chat text -----------------------------------------------------------------------------------------


def test_text_headline_missing_units_and_blockers(summary: Summary) -> None:
    chunks = render_text(summary)
    assert len(chunks) == 1 and len(chunks[0]) <= TELEGRAM_LIMIT
    text = chunks[0]
    first_lines = text.splitlines()[:4]
    assert first_lines[0] == "<b>TỔNG HỢP BÁO CÁO QUÝ II/2026</b>"
    assert "Kế hoạch số 125/KH-UBND" in first_lines[1]
    assert "1/2 đơn vị đã báo cáo" in first_lines[2] and "tỷ lệ hoàn thành 50%" in first_lines[2]
    assert "• Sở Y tế: chưa báo cáo (0/1 nhiệm vụ)" in text
    assert "[3] Tập huấn kỹ năng số cho cán bộ — Sở Y tế (quá hạn từ 30/04/2026" in text
    assert "<b>Kinh phí (1):</b>" in text and "Chưa được cấp kinh phí" in text
    assert "So với Quý I/2026: +16,7 điểm %" in text
    plain = "\n\n".join(render_text(summary, html=False))
    assert "<b>" not in plain and "Sở Y tế: chưa báo cáo (0/1 nhiệm vụ)" in plain


def test_text_splits_long_summaries_between_lines_and_escapes(sqlite_db: Database) -> None:
    summary = _crowded(sqlite_db, 120)
    chunks = render_text(summary, max_items=500)
    assert len(chunks) > 2 and all(len(c) <= TELEGRAM_LIMIT for c in chunks)
    whole = render_text(summary, max_items=500, limit=10**7)
    assert len(whole) == 1
    # every line arrives whole and in order: chunking only moved the cuts between lines
    assert [x for c in chunks for x in c.splitlines() if x] == [x for x in whole[0].splitlines() if x]
    assert all(c.count("<b>") == c.count("</b>") for c in chunks)
    assert "&lt;A&amp;B&gt;" in chunks[1] and "<A&B>" not in "".join(chunks)
    assert "Kế hoạch &lt;thử&gt; &amp; kiểm tra" in chunks[0]
    short = render_text(summary)  # default caps: lists end with a pointer to the Excel file
    assert "… và 90 đơn vị khác (xem tệp Excel)." in "\n".join(short)
    assert "<b>Thiết bị/hạ tầng (120):</b>" in "\n".join(short)


# --- JSON ----------------------------------------------------------------------------------------------


def test_json_shape(summary: Summary) -> None:
    data = json.loads(render_json(summary))
    assert {"plan", "period", "units", "tasks", "totals", "changes"} <= set(data)
    assert data["period"]["key"] == "2026-Q2" and data["plan"]["number"] == "125/KH-UBND"
    assert {u["unit"]: u["state"] for u in data["units"]} == {"Sở Tài chính": "late", "Sở Y tế": "missing"}
    task3 = next(t for t in data["tasks"] if t["code"] == "3")
    assert task3["lead"] == "Sở Y tế" and task3["status"] == "no_report" and task3["overdue"] is True
    assert data["totals"]["completion_rate"] == 50.0
    assert data["changes"]["previous_period"] == "2026-Q1"
    assert [t["code"] for t in data["changes"]["newly_done"]] == ["1"]


# --- Excel ---------------------------------------------------------------------------------------------


def test_xlsx_layout_and_content(summary: Summary) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(summary)))
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Chi tiết theo đơn vị", "Vướng mắc"]
    sheet = book["Tổng hợp"]
    assert sheet.freeze_panes == "A5"
    assert "KẾ HOẠCH SỐ 125/KH-UBND — QUÝ II/2026" in sheet["A1"].value
    assert tuple(c.value for c in sheet[4]) == SUMMARY_HEADERS
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["2"][1:4] == ("Xây dựng kho dữ liệu dùng chung", "Sở Tài chính", None)
    assert rows["2"][7] == "Chưa được cấp kinh phí"
    assert rows["1"][3] == "Sở Y tế" and rows["1"][5] == "Hoàn thành"  # the reading; the words as typed:
    assert rows["1"][8] == "Đã số hoá 12.000 hồ sơ"
    assert rows["2"][5] == "Vướng mắc: Chưa được cấp kinh phí"
    for ws in book.worksheets:  # every column in use has a width
        for col in range(1, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(col)
            assert ws.column_dimensions[letter].width and ws.column_dimensions[letter].width > 5, (ws.title, letter)
    assert rows["3"][6] == "Quá hạn từ 30/04/2026"
    # 55 characters wide as Excel shows it (the file stores it with the cell padding added: 55.71)
    assert sheet.column_dimensions["B"].width == pytest.approx(55, abs=1) and sheet["B6"].alignment.wrap_text
    assert sheet.max_row == 4 + len(summary.tasks) and not sheet["A6"].alignment.wrap_text  # the rows of _BulkSheet
    units = book["Đơn vị"]
    assert units.freeze_panes == "A2"
    states = {r[1]: r[2] for r in units.iter_rows(min_row=2, values_only=True) if r[1]}
    assert states == {"Sở Tài chính": "Trễ hạn", "Sở Y tế": "Chưa báo cáo"}
    listed = [r for r in units.iter_rows(min_row=2, values_only=True) if r[1]]  # the rows of _BulkSheet, numbers
    assert listed == [(i, u.unit, unit_state_label(u), u.reported, u.total, u.late, u.lines, u.done,
                       u.completion_rate, u.overdue, u.blocked, ", ".join(u.reporters) or None)
                      for i, u in enumerate(summary.units, start=1)]
    assert any(0 in row[3:11] for row in listed) and units["D2"].data_type == "n"  # a 0 is written, as a number
    detail = [r for r in book["Chi tiết theo đơn vị"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert [r[0] for r in detail] == sorted(r[0] for r in detail)  # grouped by unit
    blockers = list(book["Vướng mắc"].iter_rows(min_row=2, values_only=True))
    assert blockers[0][:2] == ("Kinh phí", "2")
    assert book["Vướng mắc"]["C2"].alignment.wrap_text and not book["Vướng mắc"]["B2"].alignment.wrap_text
    big = openpyxl.load_workbook(io.BytesIO(render_xlsx(summary, detail_sheet_limit=3)))
    assert big.sheetnames == ["Tổng hợp", "Đơn vị", "Vướng mắc"]  # the duplicate detail sheet is left out


def test_xlsx_survives_control_characters(sqlite_db: Database) -> None:
    with sqlite_db.session() as s:
        sd = Seeder(s)
        unit = sd.unit("Phòng Kinh tế")
        plan = sd.plan()
        q2 = sd.quarter(plan, 2)
        task = sd.task(plan, "1", "Nhiệm vụ\x0b có ký tự lạ", unit)
        sd.report(task, unit, q2, "blocked", blocker="thiếu\x01 kinh phí")
        plan_id = plan.id
    summary = sqlite_db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(summary)))["Tổng hợp"]
    assert sheet["B5"].value == "Nhiệm vụ có ký tự lạ" and sheet["H5"].value == "thiếu kinh phí"
    assert docx.Document(io.BytesIO(render_docx(summary))).tables[1].rows[1].cells[1].text == "Nhiệm vụ có ký tự lạ"


# --- Word ----------------------------------------------------------------------------------------------


def _texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_docx_administrative_layout(summary: Summary) -> None:
    document = docx.Document(io.BytesIO(render_docx(summary)))
    header = document.tables[0].rows[0].cells
    assert "UBND TỈNH SƠN LA" in header[0].text and "PHÒNG VĂN HÓA - XÃ HỘI" in header[0].text
    assert "Số:" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text and "ngày 10 tháng 06 năm 2026" in header[1].text
    texts = _texts(document)
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện Kế hoạch số 125/KH-UBND (Quý II/2026)" in texts
    for heading in ("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
                    "III. KHÓ KHĂN, VƯỚNG MẮC", "IV. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in texts
    assert "Các đơn vị chưa báo cáo hoặc chưa báo cáo đủ: Sở Y tế." in texts
    blockers = texts[texts.index("III. KHÓ KHĂN, VƯỚNG MẮC"):texts.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")]
    assert any("Chưa được cấp kinh phí" in t for t in blockers)
    results = document.tables[1]
    assert [c.text for c in results.rows[0].cells] == ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn",
                                                       "Kết quả thực hiện", "Tiến độ", "Ghi chú"]
    row3 = next(r for r in results.rows if r.cells[0].text == "3")
    assert [c.text for c in row3.cells][1:] == ["Tập huấn kỹ năng số cho cán bộ", "Sở Y tế", "30/04/2026",
                                                "Chưa báo cáo", "Quá hạn từ 30/04/2026", ""]
    assert "Kính gửi: UBND tỉnh Sơn La." in texts and "- Như trên;" in document.tables[2].rows[0].cells[0].text
    assert "Sơn La, ngày 10 tháng 06 năm 2026" in header[1].text
    everything = "\n".join([*texts, *(c.text for t in document.tables for r in t.rows for c in r.cells)])
    assert "…" not in everything and "..." not in everything  # no dot placeholders left
    closing = document.tables[2].rows[0].cells
    assert closing[0].text.startswith("Nơi nhận:") and "(Ký, ghi rõ họ tên" in closing[1].text
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_docx_large_plans_get_a_unit_table(sqlite_db: Database) -> None:
    summary = _crowded(sqlite_db, 40)
    document = docx.Document(io.BytesIO(render_docx(summary, detail_limit=50)))
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells][:3] == ["TT", "Đơn vị", "Số nhiệm vụ"]
    assert len(table.rows) == 41
    assert any("chi tiết từng nhiệm vụ tại Phụ lục" in t for t in _texts(document))
    assert any(t.startswith("- Và 10 vướng mắc khác") for t in _texts(document))


# --- chart ---------------------------------------------------------------------------------------------


def test_chart_stacks_each_unit_by_state(summary: Summary) -> None:
    counts = unit_state_counts(summary)
    by_name = {u.unit: counts[u.unit_id] for u in summary.units}
    assert by_name["Sở Tài chính"] == {"done": 1, "in_progress": 1, "blocked": 1}  # T1 60%, task 2 blocked
    assert by_name["Sở Y tế"] == {"done": 1, "silent": 1}
    assert len({key for key, *_ in STATES}) == 4 and len({(colour, hatch) for _k, _l, colour, hatch in STATES}) == 4
    image = Image.open(io.BytesIO(render_png(summary)))
    assert image.width == 1080


def test_chart_of_a_hundred_long_named_units_fits_one_telegram_photo(sqlite_db: Database) -> None:
    crowded = _crowded(sqlite_db, 100)
    image = Image.open(io.BytesIO(render_png(crowded)))
    assert image.width + image.height <= 10_000 and image.height / image.width <= 20  # Telegram's photo limits
    name = crowded.units[0].unit
    assert textwrap.fill(name, LABEL_WIDTH).replace("\n", " ") == name  # the label is the whole name, wrapped


def test_xlsx_inline_texts_read_back_as_written(sqlite_db: Database) -> None:
    """Codes and titles are inline strings in «Tổng hợp»: markup characters, edge spaces and a literal
    "_x0041_" (which Excel would read as an escape) come back as written."""
    titles = ["Tin bài <Sở> & «báo» \"hay\"", "  cách hai đầu  ", "Mã _x0041_ nguyên văn", "Dòng một\nDòng hai"]
    with sqlite_db.session() as s:
        sd = Seeder(s)
        unit = sd.unit("Phòng Kinh tế")
        plan = sd.plan()
        sd.quarter(plan, 2)
        for number, title in enumerate(titles, start=1):
            sd.task(plan, f"<{number}>&", title, unit)
        plan_id = plan.id
    summary = sqlite_db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(summary)))["Tổng hợp"]
    rows = list(sheet.iter_rows(min_row=5, max_col=2, values_only=True))
    assert sorted(rows) == sorted((f"<{n}>&", title) for n, title in enumerate(titles, start=1))
