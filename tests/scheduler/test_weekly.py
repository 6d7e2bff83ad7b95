"""A plan whose reporting rule is weekly ("thứ Sáu hằng tuần"), from the import to the nudges planned and the period
being collected: working days and public holidays respected (30/4 and 1/5/2026 fall on Thursday and Friday)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.base.clock import VN_TZ, FixedClock
from bot.calendar import CutoffRule, Frequency, Regime, period_by_key
from bot.cli import cli
from bot.cli.context import CliContext
from bot.periods import collecting_period
from storage.database import Database
from storage.models import Plan

PLAN = "\n".join([
    "ỦY BAN NHÂN DÂN HUYỆN MỘC CHÂU", "Số: 45/KH-UBND", "Mộc Châu, ngày 10 tháng 4 năm 2026", "",
    "KẾ HOẠCH", "Số hóa hồ sơ lưu trữ năm 2026", "", "III. TỔ CHỨC THỰC HIỆN", "",
    "1. Phòng Kinh tế chủ trì số hóa hồ sơ đất đai, hoàn thành trước ngày 30/11/2026.", "",
    "2. Phòng Nội vụ chủ trì rà soát danh mục hồ sơ lưu trữ của các cơ quan.", "",
    "3. Các phòng báo cáo tiến độ vào thứ Sáu hằng tuần về Văn phòng HĐND và UBND để tổng hợp.", ""])
NOW = datetime(2026, 4, 20, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
def imported(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    path = tmp_path / "ke-hoach.txt"
    path.write_text(PLAN, encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["import", str(path), "--create-units"], obj=CliContext(clock=FixedClock(NOW)))
    assert done.exit_code == 0, done.output
    return runner


def test_a_weekly_rule_is_the_plans_regime_and_its_weeks_are_the_nudged_periods(
        imported: CliRunner, sqlite_db: Database) -> None:
    plan = sqlite_db.call(lambda session: session.exec(select(Plan)).one())
    assert plan.regimes == [Regime(Frequency.WEEKLY, CutoffRule(weekday=4)).to_dict()]
    planned = imported.invoke(cli, ["nudges", "plan", "--from", "2026-04-20", "--to", "2026-05-08", "--json"],
                              obj=CliContext(clock=FixedClock(NOW)))
    assert planned.exit_code == 0, planned.output
    entries = json.loads(planned.output)
    assert {e["period"] for e in entries} <= {"2026-W15", "2026-W16", "2026-W17", "2026-W18", "2026-W19"}
    nudges = sorted({(e["at"][:10], e["step"], e["period"]) for e in entries if e["kind"] == "cutoff"})
    # W17: Friday 24/4 is the day; d3 is Wednesday; d7 would fall in the week before and is not sent.
    # W18: 27/4 (Giỗ Tổ, observed), 30/4 and 1/5 are holidays: the one nudge is Wednesday 29/4.
    assert nudges == [("2026-04-22", "d3", "2026-W17"), ("2026-04-24", "d1", "2026-W17"),
                      ("2026-04-29", "d1", "2026-W18"), ("2026-05-06", "d3", "2026-W19"),
                      ("2026-05-08", "d1", "2026-W19")]
    late = [e for e in entries if e["step"] == "head" and e["period"] == "2026-W18"]
    assert [e["at"][:10] for e in late] == ["2026-05-04"] * 2  # escalated on the first working day after
    digests = {e["at"][:10] for e in entries if e["step"].startswith("late-") and e["period"] == "2026-W17"}
    assert max(digests) < "2026-05-04"  # a week's late digest stops when the next week's starts


def test_the_week_being_collected_changes_after_its_friday(imported: CliRunner, sqlite_db: Database) -> None:
    def collected(today: date) -> str:
        def read(*, session):  # type: ignore[no-untyped-def]
            plan = session.exec(select(Plan)).one()
            return collecting_period(session=session, plan=plan, today=today, now=NOW).key
        return sqlite_db.call(read)

    assert collected(date(2026, 4, 29)) == collected(date(2026, 5, 1)) == "2026-W18"
    assert collected(date(2026, 5, 2)) == "2026-W19"
    week = period_by_key("2026-W18", [Regime(Frequency.WEEKLY, CutoffRule(weekday=4))])
    assert (week.start, week.end, week.cutoff) == (date(2026, 4, 27), date(2026, 5, 3), date(2026, 5, 2))
    assert week.label_vi() == "Tuần 18 (27/04 - 03/05/2026)"
