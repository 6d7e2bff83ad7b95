"""`nhacviec summary` through the real CLI entry point, on a SQLite file in a fresh folder."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from storage.database import Database
from tests.summary.conftest import scenario


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Database:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nv.db'}")
    assert main(["db", "upgrade"]) == 0
    db = Database(f"sqlite:///{tmp_path / 'nv.db'}")
    scenario(db)
    db.dispose()
    return db


def test_summary_json_and_text(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["summary", "--period", "2026-Q2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"]["label"] == "Quý II/2026"
    assert {u["unit"] for u in data["units"]} == {"Sở Tài chính", "Sở Y tế"}
    assert main(["summary", "--plan", "125/KH-UBND", "--period", "2026-Q2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TỔNG HỢP BÁO CÁO QUÝ II/2026") and "Sở Y tế: chưa báo cáo (0/1 nhiệm vụ)" in out


def test_summary_files(database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    capsys.readouterr()
    assert main(["summary", "--period", "2026-Q2", "--format", "xlsx"]) == 0
    default = tmp_path / "tong-hop-125-kh-ubnd-2026-Q2.xlsx"
    assert str(default) in capsys.readouterr().out
    assert openpyxl.load_workbook(default).sheetnames[0] == "Tổng hợp"
    target = tmp_path / "out" / "bao-cao.docx"
    assert main(["summary", "--period", "2026-Q2", "--format", "docx", "--out", str(target)]) == 0
    assert target.read_bytes()[:2] == b"PK"
    assert main(["summary", "--period", "2026-Q2", "--format", "png", "--out", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_summary_bad_input_is_a_clear_message(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["summary", "--period", "2019-Q1"]) == 1
    err = capsys.readouterr().err
    assert "không có kỳ báo cáo «2019-Q1»" in err and "2026-Q2" in err and "Traceback" not in err
    assert main(["summary", "--plan", "77", "--period", "2026-Q2"]) == 1
    assert "Không tìm thấy kế hoạch «77»" in capsys.readouterr().err


def test_summary_without_period_takes_each_plans_collecting_period(database: Database) -> None:
    """As /tonghop: no --period means the period each active plan is collecting now (Q2's cutoff has passed on
    10 June, so Q3), for every active plan; --out with several plans is refused, not silently overwritten."""
    from datetime import datetime

    from click.testing import CliRunner

    from bot.base.clock import VN_TZ, FixedClock
    from bot.cli import cli
    from bot.cli.context import CliContext
    from tests.summary.conftest import Seeder

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["summary", *args],
                                    obj=CliContext(clock=FixedClock(datetime(2026, 6, 10, 9, 0, tzinfo=VN_TZ))))
        return result.output if result.exit_code == 0 else f"exit {result.exit_code}: {result.exception}"

    one = json.loads(run("--format", "json"))
    assert one["period"]["label"] == "Quý III/2026"
    with database.session() as s:
        Seeder(s).plan(number="7/KH-UBND", title="Kế hoạch thứ hai")
        s.commit()
    both = json.loads(run("--format", "json"))
    assert [p["period"]["label"] for p in both] == ["Quý III/2026", "Quý III/2026"]
    assert json.loads(run("--plan", "7/KH-UBND", "--format", "json"))["plan"]["number"] == "7/KH-UBND"
    assert "--plan" in run("--format", "docx", "--out", "x.docx")
