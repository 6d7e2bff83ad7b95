"""The section "N nhiệm vụ chưa có đơn vị chủ trì" in the Excel and Word summaries: read back from the files,
from the same Summary.unassigned the text and JSON summaries show."""

from __future__ import annotations

import io
import json

import docx
import openpyxl

from bot.summary.build import build_summary
from bot.summary.model import Summary
from bot.summary.render_docx import render_docx
from bot.summary.render_json import render_json
from bot.summary.render_xlsx import UNASSIGNED_HEADERS, UNASSIGNED_SHEET, render_xlsx
from storage.database import Database
from storage.models import Plan
from tests.summary.conftest import NOW, Seeder, scenario


def _with_unassigned(db: Database, count: int) -> Summary:
    """The shared scenario plus `count` tasks no lead unit answers for (the first with no name at all)."""
    ids = scenario(db)
    with db.session() as s:
        sd = Seeder(s)
        plan = s.get(Plan, ids["plan"])
        assert plan is not None
        for i in range(count):
            task = sd.task(plan, f"9.{i}", f"Hỗ trợ doanh nghiệp đợt {i} & <thử>", [])
            task.lead_names = [] if i == 0 else ["doanh nghiệp", f"Sở Chưa Có {i}"]
            s.add(task)
    return db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW)


def test_xlsx_has_a_sheet_of_tasks_without_a_lead(sqlite_db: Database) -> None:
    summary = _with_unassigned(sqlite_db, 3)
    assert [t["code"] for t in json.loads(render_json(summary))["unassigned"]] == ["9.0", "9.1", "9.2"]
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(summary)))
    assert book.sheetnames[-1] == UNASSIGNED_SHEET
    sheet = book[UNASSIGNED_SHEET]
    assert sheet["A1"].value == "3 NHIỆM VỤ CHƯA CÓ ĐƠN VỊ CHỦ TRÌ" and "nhacviec units import" in sheet["A2"].value
    assert tuple(c.value for c in sheet[4]) == UNASSIGNED_HEADERS and sheet.freeze_panes == "A5"
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows == [(1, "9.0", "Hỗ trợ doanh nghiệp đợt 0 & <thử>", "không ghi đơn vị"),
                    (2, "9.1", "Hỗ trợ doanh nghiệp đợt 1 & <thử>", "doanh nghiệp; Sở Chưa Có 1"),
                    (3, "9.2", "Hỗ trợ doanh nghiệp đợt 2 & <thử>", "doanh nghiệp; Sở Chưa Có 2")]
    assert "3 nhiệm vụ chưa có đơn vị chủ trì (trang «Chưa có đơn vị chủ trì»)" in book["Tổng hợp"]["A3"].value
    # none in the main table: they have no lead line to show there
    assert not any(str(r[0]).startswith("9.") for r in book["Tổng hợp"].iter_rows(min_row=5, values_only=True))


def test_xlsx_without_unassigned_tasks_has_no_such_sheet(sqlite_db: Database) -> None:
    summary = _with_unassigned(sqlite_db, 0)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(summary)))
    assert UNASSIGNED_SHEET not in book.sheetnames and "chủ trì" not in book["Tổng hợp"]["A3"].value


def _texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_docx_has_a_section_of_tasks_without_a_lead(sqlite_db: Database) -> None:
    summary = _with_unassigned(sqlite_db, 5)
    document = docx.Document(io.BytesIO(render_docx(summary, detail_limit=3)))
    texts = _texts(document)
    heading = "3. 5 nhiệm vụ chưa có đơn vị chủ trì"
    assert heading in texts
    assert texts.index("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ") < texts.index(heading) < texts.index(
        "III. KHÓ KHĂN, VƯỚNG MẮC")
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Đơn vị chủ trì (kế hoạch ghi)")
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [
        ["9.0", "Hỗ trợ doanh nghiệp đợt 0 & <thử>", "không ghi đơn vị"],
        ["9.1", "Hỗ trợ doanh nghiệp đợt 1 & <thử>", "doanh nghiệp; Sở Chưa Có 1"],
        ["9.2", "Hỗ trợ doanh nghiệp đợt 2 & <thử>", "doanh nghiệp; Sở Chưa Có 2"]]  # cut at detail_limit
    assert "- Và 2 nhiệm vụ khác (chi tiết tại Phụ lục)." in texts


def test_docx_without_unassigned_tasks_has_no_such_section(sqlite_db: Database) -> None:
    document = docx.Document(io.BytesIO(render_docx(_with_unassigned(sqlite_db, 0))))
    assert not any("chưa có đơn vị chủ trì" in t for t in _texts(document))
