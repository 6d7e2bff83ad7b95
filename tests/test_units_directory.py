"""The unit directory through the CLI, on SQLite and PostgreSQL: import a file (idempotent, all or nothing, named
rows on bad input), export it back, alias, rename, merge (nothing lost), remove (archive with history), groups."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.cli import main
from bot.periods import ensure_periods
from storage.database import Database
from storage.models import ChatBinding, Member, Plan, StatusReport, Task, TaskAssignment, Unit, UnitAlias
from storage.reports import record_status

DIRECTORY = """Tên đơn vị,Tên viết tắt,Nhóm,Loại,Đơn vị cấp trên,Lãnh đạo
Sở Khoa học và Công nghệ,Sở KH&CN; KHCN,"Các sở, ban, ngành",sở,,Giám đốc Sở
Sở Tài chính,,"Các sở, ban, ngành",sở,,
Phòng Quản lý khoa học,QLKH,,phòng,Sở KH&CN,
UBND xã Vân Hồ,,UBND cấp xã,xã,,
"""

PLAN = """KẾ HOẠCH Số 77/KH-UBND ngày 10/01/2026 của UBND tỉnh về chuyển đổi số năm 2026
STT,Nội dung công việc,Cơ quan chủ trì thực hiện,Cơ quan phối hợp,Sản phẩm đầu ra,Thời gian hoàn thành
1,Xây dựng kế hoạch chuyển đổi số,Sở KH&CN,Sở Tài chính,Kế hoạch,Quý I/2026
2,Tập huấn kỹ năng số,Sở Tài Chính,UBND cấp xã,Lớp tập huấn,Quý III/2026
3,Số hóa hồ sơ,Sở Thông tin cũ,,Hồ sơ,Quý IV/2026
"""


@pytest.fixture
def cli(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", db.url)
    return db


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    assert main(list(args)) == code, capsys.readouterr()
    captured = capsys.readouterr()
    return captured.out if code == 0 else captured.err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(_run(capsys, *args, "--json"))


def _count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_is_idempotent_previews_and_exports_the_same_format(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = _write(tmp_path, "danhmuc.csv", DIRECTORY)
    preview = _json(capsys, "units", "import", path, "--dry-run")
    assert preview["dry_run"] and len(preview["created"]) == 4
    assert _count(cli, Unit) == 0  # a preview writes nothing
    assert "Đã thêm 4 đơn vị" in _run(capsys, "units", "import", path)
    again = _json(capsys, "units", "import", path)
    assert (again["created"], again["updated"], again["unchanged"]) == ([], [], 4)
    units = {u["name"]: u for u in _json(capsys, "units", "list")}  # type: ignore[union-attr]
    science = units["Sở Khoa học và Công nghệ"]
    assert sorted(science["aliases"]) == ["KHCN", "Sở KH&CN"] and science["head"] == "Giám đốc Sở"
    assert units["Phòng Quản lý khoa học"]["parent"] == "Sở Khoa học và Công nghệ"  # parent given by its alias

    exported = tmp_path / "xuat.csv"
    _run(capsys, "units", "export", "--out", str(exported))
    assert exported.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Tên đơn vị,Tên viết tắt,Nhóm")
    back = _json(capsys, "units", "import", str(exported))
    assert (back["created"], back["updated"], back["unchanged"]) == ([], [], 4)
    workbook = tmp_path / "xuat.xlsx"
    _run(capsys, "units", "export", "--out", str(workbook))
    assert _json(capsys, "units", "import", str(workbook))["unchanged"] == 4
    assert _count(cli, Unit) == 4 and _count(cli, UnitAlias) == 3


def test_a_new_row_and_a_new_alias_update_in_place(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    _run(capsys, "units", "import", _write(tmp_path, "a.csv", DIRECTORY))
    more = DIRECTORY.replace("Sở Tài chính,,", "Sở Tài chính,STC,") + "Công an tỉnh,CA tỉnh,,,,\n"
    result = _json(capsys, "units", "import", _write(tmp_path, "b.csv", more))
    assert result["created"] == ["Công an tỉnh"] and result["updated"] == ["Sở Tài chính"]
    assert _count(cli, Unit) == 5


@pytest.mark.parametrize(("text", "expected"), [
    (DIRECTORY + "Sở Tài chính,,,,,\n", "Dòng 6: «Sở Tài chính» trùng với dòng 3"),
    (DIRECTORY + "Sở Khoa học và Công nghệ,KH-CN tỉnh,,,,\n", "Dòng 6: «Sở Khoa học và Công nghệ» đã có ở dòng 2 "
                                                              "với tên gọi khác khác"),
    (DIRECTORY + "Công an tỉnh,Sở Tài chính,,,,\n", "Dòng 6: tên gọi khác «Sở Tài chính» là tên của đơn vị ở dòng 3"),
    (DIRECTORY + ",CA,,,,\n", "Dòng 6: thiếu «Tên đơn vị»"),
    (DIRECTORY + "Các sở ban ngành,,\"Các sở, ban, ngành\",,,\n", "Dòng 6: nhóm «Các sở, ban, ngành» là chính đơn vị"),
    ("Tên đơn vị,Điện thoại\nSở Y tế,0212\n", "cột «Điện thoại» không nhận ra"),
    ("Đơn vị cha,Nhóm\nSở Y tế,Sở\n", "thiếu cột «Tên đơn vị»"),
    (DIRECTORY + "Phòng Kế hoạch,,,,Sở Không Có,\n", "Dòng 6: không tìm thấy đơn vị cấp trên «Sở Không Có»"),
])
def test_bad_directories_name_the_row_and_write_nothing(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str,
) -> None:
    error = _run(capsys, "units", "import", _write(tmp_path, "sai.csv", text), code=1)
    assert expected in error and "không có gì được ghi" in error and "nhập lại" in error
    assert _count(cli, Unit) == 0


def test_an_alias_already_naming_a_registered_unit_is_refused(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    _run(capsys, "units", "add", "Sở Y tế", "--alias", "SYT")
    error = _run(capsys, "units", "import", _write(tmp_path, "a.csv", DIRECTORY.replace("; KHCN", "; SYT")), code=1)
    assert "Dòng 2: tên gọi khác «SYT» đã thuộc về đơn vị «Sở Y tế»" in error
    assert _count(cli, Unit) == 1
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("Tên đơn vị\nSở Y tế\n".encode("cp1258", errors="replace").replace(b"?", b"\xe9"))
    assert "UTF-8" in _run(capsys, "units", "import", str(latin1), code=1)


def _plan(cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "units", "import", _write(tmp_path, "danhmuc.csv", DIRECTORY))
    _run(capsys, "import", _write(tmp_path, "kehoach.csv", PLAN))


def _leads(cli: Database) -> dict[str, list[str]]:
    with cli.session() as session:
        rows = session.exec(select(Task.code, Unit.name).join(TaskAssignment, TaskAssignment.task_id == Task.id)
                            .join(Unit, Unit.id == TaskAssignment.unit_id).where(TaskAssignment.role == "lead"))
        found: dict[str, list[str]] = {}
        for code, name in rows:
            found.setdefault(code, []).append(name)
        return found


def test_alias_rename_and_groups_reresolve_tasks(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    _plan(cli, tmp_path, capsys)
    assert "3" not in _leads(cli)  # "Sở Thông tin cũ" is nobody yet
    _run(capsys, "units", "add", "Sở Văn hóa")
    out = _json(capsys, "units", "alias", "Sở Văn hóa", "Sở Thông tin cũ")
    assert out["tasks_reassigned"] == 1 and "Đã thêm tên gọi khác «Sở Thông tin cũ»" in out["message"]
    assert _leads(cli)["3"] == ["Sở Văn hóa"]
    taken = _run(capsys, "units", "alias", "Sở Tài chính", "KHCN", code=1)
    assert "«KHCN» đã là tên hoặc tên gọi khác của «Sở Khoa học và Công nghệ»" in taken and "units merge" in taken

    renamed = _json(capsys, "units", "rename", "Sở Văn hóa", "Sở Văn hóa, Thể thao và Du lịch")
    assert renamed["old_name"] == "Sở Văn hóa"
    assert _leads(cli)["3"] == ["Sở Văn hóa, Thể thao và Du lịch"]

    # a group filled later: the support "UBND cấp xã" of task 2 reaches the new commune with no re-import
    _run(capsys, "units", "add", "UBND xã Mường Bú")
    joined = _json(capsys, "units", "group", "add", "UBND cấp xã", "UBND xã Mường Bú")
    assert joined["members"] == 2 and joined["tasks_reassigned"] == 1
    mine = _json(capsys, "tasks", "list", "--unit", "UBND xã Mường Bú")
    assert [t["code"] for t in mine] == ["2"]  # type: ignore[index]
    left = _json(capsys, "units", "group", "remove", "UBND cấp xã", "UBND xã Mường Bú")
    assert left["members"] == 1 and left["tasks_reassigned"] == 1
    assert "units group list" in _run(capsys, "units", "group", "remove", "Nhóm lạ", "Sở Tài chính", code=1)


def test_merge_moves_tasks_members_chats_and_reports(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    _plan(cli, tmp_path, capsys)
    _run(capsys, "units", "add", "Sở Tài chính tỉnh")
    _run(capsys, "units", "alias", "Sở Tài chính tỉnh", "Sở Thông tin cũ")  # leads task 3
    with cli.session() as session:
        units = {u.name: u for u in session.exec(select(Unit))}
        keep, other = units["Sở Tài chính"], units["Sở Tài chính tỉnh"]
        task2 = session.exec(select(Task).where(Task.code == "2")).one()
        plan = session.get(Plan, task2.plan_id)
        assert plan is not None
        period = ensure_periods(session=session, plan=plan, years=[2026], now=_now())[0]
        for unit, chat, when in ((keep, "100", 1), (other, "200", 2), (other, "100", 3)):
            session.add(Member(user_id=f"u{chat}{when}", unit_id=unit.id, role="staff"))
            session.add(ChatBinding(chat_id=chat, unit_id=unit.id or 0, created_at=_now()))
            record_status(session=session, task_id=task2.id or 0, unit_id=unit.id or 0, period=period,
                          now=_now(minute=when), today=date(2026, 3, 1), status="in_progress", percent=10 * when)
    reports, members = _count(cli, StatusReport), _count(cli, Member)
    out = _json(capsys, "units", "merge", "Sở Tài chính", "Sở Tài chính tỉnh")
    assert (out["merged"][0]["reports"], out["merged"][0]["members"], out["merged"][0]["chats"]) == (2, 2, 2)
    assert "Đã gộp «Sở Tài chính tỉnh» vào «Sở Tài chính»" in out["message"]
    assert _count(cli, StatusReport) == reports and _count(cli, Member) == members  # nothing lost
    with cli.session() as session:
        rows = session.exec(select(StatusReport).order_by(StatusReport.version)).all()
        assert [(r.unit_id, r.version, r.percent, r.current) for r in rows] == [
            (keep.id, 1, 10, False), (keep.id, 2, 20, False), (keep.id, 3, 30, True)]
        chats = sorted(b.chat_id for b in session.exec(select(ChatBinding)))
        assert chats == ["100", "200"]  # chat 100 was bound to both: one binding left
        assert session.get(Unit, other.id) is None
    assert sorted(_leads(cli)["3"]) == ["Sở Tài chính"]  # its alias came along
    # the merged unit's name is now an alias of the kept one
    assert _json(capsys, "units", "alias", "Sở Tài chính tỉnh", "STC")["unit"] == "Sở Tài chính"


def test_remove_deletes_a_fresh_unit_and_archives_one_with_history(
    cli: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    _plan(cli, tmp_path, capsys)
    assert _json(capsys, "units", "remove", "Phòng Quản lý khoa học")["result"] == "deleted"
    with cli.session() as session:
        unit = session.exec(select(Unit).where(Unit.name == "Sở Tài chính")).one()
        session.add(Member(user_id="u1", unit_id=unit.id, role="staff"))
        session.add(ChatBinding(chat_id="9", unit_id=unit.id or 0, created_at=_now()))
    out = _json(capsys, "units", "remove", "Sở Tài chính")
    assert out["result"] == "archived" and out["members"] == 1 and "lưu trữ" in out["message"]
    assert "2" not in _leads(cli)  # its task has no lead now, and says so in plans check
    names = [u["name"] for u in _json(capsys, "units", "list")]  # type: ignore[union-attr]
    assert "Sở Tài chính" not in names
    assert "Sở Tài chính" in [u["name"] for u in _json(capsys, "units", "list", "--all")]  # type: ignore[union-attr]
    with cli.session() as session:
        assert not session.exec(select(ChatBinding)).one().active
    assert _count(cli, Member) == 1


def _now(minute: int = 0):  # type: ignore[no-untyped-def]
    from datetime import datetime

    from bot.base.clock import VN_TZ

    return datetime(2026, 2, 1, 9, minute, tzinfo=VN_TZ)
