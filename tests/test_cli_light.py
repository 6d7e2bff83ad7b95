"""Light commands (no database: `--help`, `calendar`, `explain`, `units --help`) start without the heavy libraries.

What they import is checked in a fresh interpreter (`sys.modules` after the command), not timed: the start-up time
itself is in bench/bench_cli_start.py.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.base.clock import FixedClock
from bot.cli import cli, main
from bot.cli.context import CliContext, zone_from_environment
from bot.cli.explain_cmd import SUBCOMMANDS
from bot.cli.explain_cmd import command as explain
from bot.settings import load_settings

pytestmark = pytest.mark.usefixtures("fresh_folder")


HEAVY = (
    "holidays.countries",  # the ~250 countries' modules: `calendar` loads Vietnam's alone
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "storage",
    "telegram",
    "httpx",
    "aiohttp",
    "dateparser",
    "pydantic",
    "openpyxl",
    "xlsxwriter",
    "docx",
    "matplotlib",
    "lxml",
    "pypdf",
    "numpy",
    "rapidfuzz",
    "starlette",
    "jinja2",
    "uvicorn",
    "selenium",
)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["calendar", "--year", "2026"],
        ["calendar"],
        ["explain", "--help"],
        ["explain", "timeframe", "Quý II/2026"],
        ["explain", "status", "xong 80%"],
        ["units", "--help"],
    ],
)
def test_light_commands_load_no_heavy_library(argv: list[str], tmp_path: Path) -> None:
    """A command that needs no database answers without the database, chat, HTTP, file-format or settings
    libraries: the probe runs it in a fresh interpreter and lists the ones left in `sys.modules`."""
    probe = (
        "import sys; from bot.cli import main; code = main(sys.argv[1:]); "
        f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0 []"


def test_explain_subcommands_are_registered_under_their_own_names() -> None:
    for name in (*SUBCOMMANDS, "timeframe"):
        found = explain.get_command(click.Context(explain), name)
        assert found is not None and found.name == name


@pytest.mark.parametrize(
    "environment, env_file",
    [
        ({}, None),
        ({"TIMEZONE": "Asia/Bangkok"}, None),
        ({"timezone": "Europe/Paris"}, None),
        ({}, "TIMEZONE=Asia/Tokyo\n"),
        ({}, "export timezone='America/New_York'  # comment\n"),
        ({"TIMEZONE": "Asia/Bangkok"}, "TIMEZONE=Asia/Tokyo\n"),
        ({}, "DATABASE_URL=sqlite:///./x.db\n"),
    ],
)
def test_the_light_time_zone_is_the_one_settings_read(
    environment: dict[str, str], env_file: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`calendar` and `explain` read TIMEZONE without loading Settings: the same zone, from the same places."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file, encoding="utf-8")
    assert zone_from_environment() == load_settings().tz


@pytest.mark.parametrize(
    "environment, env_file",
    [
        ({"TIMEZONE": "Mars/Olympus"}, None),
        ({"TIMEZONE": ""}, None),
        ({}, "TIMEZONE=Mars/Olympus\n"),
    ],
)
def test_an_unknown_time_zone_is_still_the_settings_message(
    environment: dict[str, str],
    env_file: str | None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file, encoding="utf-8")
    assert main(["explain", "timeframe", "Quý II"]) == 1
    assert "Cấu hình không hợp lệ (invalid settings): TIMEZONE" in capsys.readouterr().err


def test_the_configured_zone_decides_the_year_of_a_light_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 20:00 UTC on 31 December it is already the new year in Hà Nội, not yet in Honolulu."""
    clock = FixedClock(datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    for zone, year in (("Asia/Ho_Chi_Minh", 2027), ("Pacific/Honolulu", 2026)):
        monkeypatch.setenv("TIMEZONE", zone)
        result = CliRunner().invoke(cli, ["explain", "timeframe", "Quý II"], obj=CliContext(clock=clock))
        assert result.exit_code == 0, result.output
        assert f"(Năm kế hoạch: {year})" in result.output


def test_vietnam_holidays_load_without_the_other_countries_and_are_the_library_s() -> None:
    """`bot.calendar` loads the library's Vietnam module alone; the holidays of 1990-2100 are those that
    `holidays.country_holidays("VN")` gives once the whole country package is loaded, in the same class."""
    probe = (
        "import sys; from bot.calendar import holiday_name, vn_holidays\n"
        "ours = {y: sorted(vn_holidays(y).items()) for y in range(1990, 2101)}\n"
        "alone = 'holidays.countries' not in sys.modules and holiday_name(__import__('datetime').date(2026, 9, 2))\n"
        "import holidays, holidays.countries\n"
        "theirs = {y: sorted(holidays.country_holidays('VN', years=y).items()) for y in range(1990, 2101)}\n"
        "same_class = type(holidays.country_holidays('VN')) is type(vn_holidays(2026)) is holidays.countries.VN\n"
        "print(bool(alone), ours == theirs, same_class, len(ours[2026]))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    alone, same_days, same_class, count = result.stdout.split()
    assert (alone, same_days, same_class) == ("True", "True", "True")
    assert int(count) >= 10  # New Year, Tết, Hùng Kings, 30/4, 1/5, 2/9 and the days around them
