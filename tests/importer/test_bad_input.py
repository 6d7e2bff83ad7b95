"""Bad files give one clear Vietnamese message, naming the problem (and the row), write nothing, never a traceback."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from sqlmodel import select

from bot.base.errors import UserError
from bot.cli import main
from bot.importer import parse_plan
from storage.database import Database
from storage.models import Plan, Task
from tests.importer.builders import build_docx


def _docx(paragraphs: list[str], rows: list[list[str]] | None = None) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if rows:
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


RANDOM = random.Random(20260101).randbytes(4096)


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "kehoach.docx", "rỗng"),
    (RANDOM, "kehoach.docx", "không phải tệp .docx hợp lệ"),
    (RANDOM, "kehoach.xlsx", "không phải tệp .xlsx hợp lệ"),
    (RANDOM, "kehoach.txt", "không"),
    (b"PK\x03\x04" + RANDOM, "kehoach.docx", "hỏng"),
    (b"\xd0\xcf\x11\xe0" + RANDOM, "kehoach.doc", "định dạng Word/Excel cũ"),
    (b"%PDF-1.7\n" + RANDOM, "kehoach.pdf", "PDF"),
    (b"just text", "kehoach.odt", "Chưa hỗ trợ định dạng"),
    (_docx(["KẾ HOẠCH", "Không có phụ lục nào."]), "kehoach.docx", "Không tìm thấy bảng nhiệm vụ"),
    (_xlsx([["Mã", "Việc gì", "Ai làm"], ["1", "Việc A", "Phòng A"]]), "kehoach.xlsx", "Không tìm thấy bảng nhiệm vụ"),
])
def test_bad_files_are_refused_with_a_reason(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_plan(data, name, plan_year=2026)


def test_unknown_headers_are_quoted() -> None:
    data = _xlsx([["Mã", "Việc gì", "Ai làm", "Khi nào"], ["1", "Việc A", "Phòng A", "Quý I"]])
    with pytest.raises(UserError) as error:
        parse_plan(data, "kehoach.xlsx", plan_year=2026)
    assert "Việc gì" in str(error.value)


def test_file_over_the_size_limit() -> None:
    with pytest.raises(UserError, match=r"quá lớn .* giới hạn là 1 MB"):
        parse_plan(b"x" * (1024 * 1024 + 1), "kehoach.txt", max_bytes=1024 * 1024)


def test_rows_without_a_title_are_a_warning_naming_the_row() -> None:
    rows = [["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian thực hiện"],
            ["1", "Việc có tên", "Phòng A", "Quý I/2026"],
            ["2", "", "Phòng B", "Quý II/2026"]]
    plan = parse_plan(_docx(["KẾ HOẠCH", "Thử năm 2026"], rows), "kehoach.docx")
    assert [i.title for i in plan.items] == ["Việc có tên"]
    assert any("không có tên nhiệm vụ: bảng 1, hàng 3 (số thứ tự 2)" in w for w in plan.warnings)
    with pytest.raises(UserError, match=r"không có tên nhiệm vụ: bảng 1, hàng 2 \(số thứ tự 1\)"):
        parse_plan(_docx(["KẾ HOẠCH", "Thử năm 2026"], [rows[0], ["1", "", "Phòng B", "Quý II/2026"]]),
                   "kehoach.docx")


def test_section_heading_in_the_tt_column_and_glued_unit_names() -> None:
    rows = [["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian thực hiện"],
            ["A. VIỆC CHUNG", "", "", ""],
            ["1", "Dọn kho", "Phòng Nội vụPhòng Tài chính", "Quý I/2026"],
            ["2", "Sơn cổng", "1. Phòng Văn hóa 2. Phòng Kinh tế", "Quý II/2026"]]
    plan = parse_plan(_docx(["KẾ HOẠCH", "Thử năm 2026"], rows), "kehoach.docx")
    assert [i.section for i in plan.items] == ["A. VIỆC CHUNG", "A. VIỆC CHUNG"]
    assert plan.items[0].lead == ["Phòng Nội vụ", "Phòng Tài chính"]
    assert plan.items[1].lead == ["Phòng Văn hóa", "Phòng Kinh tế"]


def test_unknown_year_asks_for_it() -> None:
    rows = [["TT", "Nhiệm vụ", "Đơn vị chủ trì"], ["1", "Việc A", "Phòng A"]]
    with pytest.raises(UserError, match="--plan-year"):
        parse_plan(_docx(["KẾ HOẠCH", "Không ghi năm"], rows), "kehoach.docx")


@pytest.fixture
def cli_db(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    return sqlite_db


@pytest.mark.parametrize(("content", "name", "message"), [
    (RANDOM, "rac.docx", "không phải tệp .docx hợp lệ"),
    (b"", "rong.xlsx", "rỗng"),
    (_docx(["KẾ HOẠCH", "Năm 2026"]), "khong-bang.docx", "Không tìm thấy bảng nhiệm vụ"),
])
@pytest.mark.parametrize("dry_run", [True, False])
def test_cli_exits_non_zero_with_a_message_and_writes_nothing(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, name: str, message: str,
    dry_run: bool,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code = main(["import", str(path), *(["--dry-run"] if dry_run else [])])
    captured = capsys.readouterr()
    assert code == 1
    assert message in captured.err and "Traceback" not in captured.err + captured.out
    with cli_db.session() as session:
        assert session.exec(select(Plan)).all() == [] and session.exec(select(Task)).all() == []


def test_cli_refuses_a_file_over_the_configured_limit(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    path = tmp_path / "to.docx"
    path.write_bytes(build_docx() + b"\0" * (1024 * 1024))
    assert main(["import", str(path), "--dry-run"]) == 1
    assert "quá lớn" in capsys.readouterr().err


def test_cli_missing_file(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "/nonexistent/kehoach.docx", "--dry-run"]) == 1
    assert "Không tìm thấy tệp" in capsys.readouterr().err
