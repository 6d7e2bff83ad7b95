"""The CLI through its real entry point (`bot.cli.main`), in a fresh folder with the embedded defaults."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from bot.cli import main

pytestmark = pytest.mark.usefixtures("fresh_folder")


def test_db_upgrade_creates_the_default_sqlite_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "data" / "nhacviec.db").is_file()
    assert main(["db", "upgrade"]) == 0
    assert "phiên bản mới nhất" in capsys.readouterr().out


def test_calendar_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "--year", "2026", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"period": "2026-Q1", "kind": "quarterly", "start": "2026-01-01",
                       "end": "2026-03-31", "cutoff": "2026-03-05"}
    assert {r["kind"] for r in rows} == {"quarterly", "half_yearly", "yearly"}
    assert [r["period"] for r in rows if r["kind"] == "quarterly"] == [f"2026-Q{q}" for q in range(1, 5)]


def test_calendar_text_lists_nudge_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Quý I/2026" in out and "05/03/2026" in out and "24/02" in out  # Tết pushes the 7-day nudge


def test_units_add_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "add", "Phòng Văn hóa - Xã hội", "--kind", "phòng", "--alias", "VHXH",
                 "--group", "Các phòng, đơn vị thuộc"]) == 0
    assert main(["units", "add", "phong van hoa - xa hoi"]) == 1
    capsys.readouterr()
    assert main(["units", "list", "--json"]) == 0
    units = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["aliases"], u["groups"]) for u in units] == [
        ("Phòng Văn hóa - Xã hội", ["VHXH"], ["Các phòng, đơn vị thuộc"])
    ]


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["calendar", "--year", "20x6"], {}, "Invalid value"),
        (["calendar", "--year", "99999"], {}, "Invalid value"),
        (["no-such-command"], {}, "No such command"),
        (["calendar", "--nope"], {}, "No such option"),
        (["units", "list"], {"DATABASE_URL": "postgresql://u:pw@[::1"}, "DATABASE_URL"),
        (["units", "list"], {"DATABASE_URL": "mysql://u@localhost/x"}, "chưa được hỗ trợ"),
        (["units", "list"], {"DATABASE_URL": "postgresql://u:hunter2secret@127.0.0.1:1/x"}, "Không kết nối được"),
    ],
)
def test_bad_input_is_one_clear_line_without_traceback(
    argv: list[str], env: dict[str, str], expected: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *argv], capture_output=True, text=True, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}, timeout=60,
    )
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "hunter2secret" not in result.stderr + result.stdout
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("url", ["postgresql://u:pw@[::1", "mysql://u@localhost/x"])
def test_run_refuses_an_unreadable_database_url_before_starting_the_sandbox(url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_URL": url}, timeout=60,
    )
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr or "chưa được hỗ trợ" in result.stderr
    assert "sandbox" not in result.stdout  # no banner for a bot that is not going to run
    assert "Traceback" not in result.stderr


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["db", "--help"], ["db", "upgrade", "--help"], ["calendar", "--help"],
                 ["units", "add", "--help"], ["units", "list", "--help"]):
        assert main(argv) == 0, argv
    assert "Usage" in capsys.readouterr().out


def test_every_command_module_is_registered_under_its_own_name() -> None:
    """The lazy group's table names each `bot/cli/*_cmd.py` command once, under the name the command declares."""
    from bot.cli import COMMANDS, cli

    modules = {f"bot.cli.{p.stem}" for p in Path(importlib.import_module("bot.cli").__file__).parent.glob("*_cmd.py")}
    top_level = {m for m in modules if m != "bot.cli.explain_status_cmd"}  # a subcommand of `explain`
    assert {module for module, _ in COMMANDS.values()} == top_level
    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None and command.name == name


def test_a_file_that_is_not_a_database_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.db").write_bytes(b"not a database at all " * 300)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bad.db'}")
    assert main(["units", "list"]) == 1
    assert "Lỗi cơ sở dữ liệu: DatabaseError. Không có gì được ghi." in capsys.readouterr().err
