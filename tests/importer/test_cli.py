"""`nhacviec import`, `plans list`, `tasks list` end to end through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from storage.database import Database
from storage.models import Plan
from tests.importer.builders import BODY, build_docx

SEED_003 = "003_2530e74816a637fb.txt"


@pytest.fixture
def cli_db(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    return sqlite_db


def test_dry_run_json_lists_plan_tasks_and_warnings(
    cli_db: Database, seeds_dir: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(seeds_dir / SEED_003), "--plan-year", "2026", "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["year"] == 2026 and data["plan"]["issuer"] == "UBND tỉnh Sơn La"
    assert len([t for t in data["tasks"] if t["kind"] == "task"]) == 89
    task = next(t for t in data["tasks"] if t["code"] == "VI.4")
    assert set(task) >= {"kind", "appendix", "section", "code", "title", "lead", "support", "product", "timeframe",
                         "deadlines", "recurrence", "completed", "warnings"}
    assert task["deadlines"] == ["2026-03-31"] and task["lead"] == ["Sở Khoa học và Công nghệ"]
    assert any("chưa đăng ký" in w or "Cột" in w for w in data["warnings"])
    assert data["unknown_units"]["lead"]  # nothing registered yet: every lead is unknown, and said so
    with cli_db.session() as session:
        assert session.exec(select(Plan)).all() == []


def test_readable_preview_then_commit_then_lists(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "kehoach.docx"
    path.write_bytes(build_docx())
    assert main(["import", str(path), "--dry-run"]) == 0
    preview = capsys.readouterr().out
    assert "Tìm thấy 5 nhiệm vụ, 2 chỉ tiêu, 1 nhóm nhiệm vụ" in preview
    assert "chưa đăng ký" in preview and "Sở Tư pháp" in preview

    assert main(["import", str(path)]) == 0  # unknown lead units: imported all the same, the names kept
    assert "Đã tạo kế hoạch mới (mã 1): thêm 8" in capsys.readouterr().out
    assert main(["tasks", "list", "--json"]) == 0
    assert all(t["lead"] == [] for t in json.loads(capsys.readouterr().out))

    assert main(["import", str(path), "--create-units"]) == 0
    assert "Đã cập nhật kế hoạch (mã 1)" in capsys.readouterr().out
    assert main(["import", str(path)]) == 0
    assert "giữ nguyên 8 mục" in capsys.readouterr().out

    assert main(["plans", "list", "--json"]) == 0
    plans = json.loads(capsys.readouterr().out)
    assert [(p["number"], p["tasks"], p["targets"]) for p in plans] == [("125/KH-UBND", 5, 2)]
    assert main(["tasks", "list", "--plan", "125/KH-UBND", "--unit", "Công an tỉnh", "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert [t["code"] for t in tasks] == ["II.1.1"]
    assert main(["tasks", "list", "--unit", "Phòng không có"]) == 1
    assert "Không tìm thấy đơn vị" in capsys.readouterr().err


ONE_LINE_HEADING = """KẾ HOẠCH Số 77/KH-UBND ngày 10/01/2026 của UBND huyện Tân Phú về chuyển đổi số năm 2026
STT,Nội dung công việc,Cơ quan chủ trì thực hiện,Cơ quan phối hợp,Sản phẩm đầu ra,Thời gian hoàn thành,Ghi chú
I,NHIỆM VỤ CHUNG,,,,,
1,Xây dựng kế hoạch chuyển đổi số,Phòng Văn hóa và Thông tin,Phòng Nội vụ,Kế hoạch,Quý I/2026,
2,Tập huấn kỹ năng số cho cán bộ,Phòng Nội vụ,Phòng Văn hóa và Thông tin; UBND các xã,Lớp tập huấn,6 - 9/2026,
3,Số hóa hồ sơ thủ tục hành chính,Văn phòng HĐND và UBND,,Hồ sơ số hóa,Thường xuyên,
"""


def test_a_one_line_heading_and_unknown_units_in_the_dry_run_warnings(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """A heading on one line still gives the title and issuer; every unknown unit is a warning, on its task and
    in the plan's list; the registered "Phòng ..." offices are not offered for a "Văn phòng" (no wrong guess)."""
    for name in ("Phòng Văn hóa và Thông tin", "Phòng Nội vụ"):
        assert main(["units", "add", name, "--kind", "phòng"]) == 0
    path = tmp_path / "ke_hoach_77.csv"
    path.write_text(ONE_LINE_HEADING, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(path), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["plan"]["number"], data["plan"]["title"], data["plan"]["issuer"], data["plan"]["year"]) == (
        "77/KH-UBND", "Chuyển đổi số năm 2026", "UBND huyện Tân Phú", 2026)
    tasks = {t["title"]: t for t in data["tasks"]}
    assert tasks["Tập huấn kỹ năng số cho cán bộ"]["deadlines"] == ["2026-09-30"]
    office = tasks["Số hóa hồ sơ thủ tục hành chính"]
    assert office["recurrence"] == "continuous" and office["lead"] == ["Văn phòng HĐND và UBND"]
    (lead_warning,) = [w for w in office["warnings"] if "chủ trì" in w]
    assert "«Văn phòng HĐND và UBND»" in lead_warning and "gần giống" not in lead_warning
    assert lead_warning in data["warnings"]
    assert any("«UBND các xã»" in w for w in data["warnings"])  # an unknown support unit is said too


def _period_of(capsys: pytest.CaptureFixture[str], key: str) -> dict[str, str]:
    assert main(["summary", "--period", key, "--format", "json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)["period"]


def test_periods_exist_from_import_and_follow_a_reimport(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "kehoach.docx"
    path.write_bytes(build_docx())
    assert main(["import", str(path), "--create-units"]) == 0
    capsys.readouterr()
    assert _period_of(capsys, "2026-Q2")["cutoff"] == "2026-06-05"  # no `run` in between

    quarterly_20 = [*BODY[:-1], "Các cơ quan, đơn vị báo cáo định kỳ hằng quý trước ngày 20 của tháng cuối quý, "
                                "gửi về Sở Khoa học và Công nghệ."]
    path.write_bytes(build_docx(body=quarterly_20))
    assert main(["import", str(path)]) == 0
    capsys.readouterr()
    assert _period_of(capsys, "2026-Q2")["cutoff"] == "2026-06-20"  # the new rule moved the cutoff

    half_yearly = [*BODY[:-1], "Các cơ quan, đơn vị báo cáo định kỳ 6 tháng trước ngày 15 tháng 6, gửi về Sở "
                               "Khoa học và Công nghệ để tổng hợp."]
    path.write_bytes(build_docx(body=half_yearly))
    assert main(["import", str(path)]) == 0
    capsys.readouterr()
    assert _period_of(capsys, "2026-H1")["cutoff"] == "2026-06-15"
    assert main(["summary", "--period", "2026-Q2"]) == 1  # no longer a period of the plan (nothing reported)
    assert "2026-H1" in capsys.readouterr().err


PROSE_PLAN = Path(__file__).parent / "fixtures" / "prose_plan.txt"


def test_skip_leaves_items_out_of_the_preview_and_the_import(
    cli_db: Database, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(PROSE_PLAN), "--dry-run", "--json"]) == 0
    codes = [t["code"] for t in json.loads(capsys.readouterr().out)["tasks"]]
    assert len(codes) == 7
    left_out = [codes[-1], codes[-2]]
    assert main(["import", str(PROSE_PLAN), "--skip", left_out[0].lower(), "--skip", f"{left_out[1]},"]) == 0
    out = capsys.readouterr().out
    assert "thêm 5" in out
    assert main(["tasks", "list", "--json"]) == 0
    assert sorted(t["code"] for t in json.loads(capsys.readouterr().out)) == sorted(codes[:-2])


def test_skip_of_a_code_the_plan_does_not_have_is_refused_and_writes_nothing(
    cli_db: Database, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(PROSE_PLAN), "--skip", "X9"]) == 1
    err = capsys.readouterr().err
    assert "không có mục mã X9" in err and "--dry-run" in err
    with cli_db.session() as session:
        assert session.exec(select(Plan)).all() == []


def test_skipping_a_group_leaves_out_its_sub_items(cli_db: Database, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kehoach.docx"
    path.write_bytes(build_docx())
    assert main(["import", str(path), "--dry-run", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["tasks"]
    group = next(t for t in items if t["kind"] == "group")
    children = [t["code"] for t in items if t["parent_code"] == group["code"]]
    assert children
    assert main(["import", str(path), "--dry-run", "--json", "--skip", group["code"]]) == 0
    data = json.loads(capsys.readouterr().out)
    kept = {t["code"] for t in data["tasks"]}
    assert group["code"] not in kept and not kept & set(children)
    assert any("--skip" in w and group["code"] in w for w in data["warnings"])
