"""Period keys as a coordinator types them (issue 14): months and weeks, not only quarters, in /tonghop and in
`nhacviec summary`; a key that names no period of the plan is refused with the list of those it has."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.base.clock import VN_TZ, FixedClock
from bot.base.period_keys import listed_keys, looks_like_period, read_period_key
from bot.calendar import Frequency, Regime
from bot.cli import cli
from bot.cli.context import CliContext
from storage.database import Database
from storage.models import Plan
from tests.bot.conftest import World, open_world
from tests.factories import seed_two_units_and_an_office

TODAY = date(2026, 5, 20)  # a Wednesday of ISO week 21


@pytest.mark.parametrize(("typed", "key"), [
    ("T11/2026", "2026-11"), ("t11/2026", "2026-11"), ("tháng 11/2026", "2026-11"), ("thang 11 nam 2026", "2026-11"),
    ("2026-11", "2026-11"), ("T5", "2026-05"), ("tháng 4", "2026-04"), ("Tháng này", "2026-05"),
    ("tháng trước", "2026-04"),
    # a month not begun yet this year is last year's: on 20 May "tháng 11" is November 2025
    ("tháng 11", "2025-11"),
    ("tuần 21", "2026-W21"), ("Tuần 20", "2026-W20"), ("W5", "2026-W05"), ("2026-W48", "2026-W48"),
    ("tuần 48/2026", "2026-W48"), ("tuần 48", "2025-W48"), ("tuần này", "2026-W21"), ("tuần trước", "2026-W20"),
    ("quý này", "2026-Q2"), ("quý trước", "2026-Q1"),
    # the forms read before stay as they were
    ("Q2", "2026-Q2"), ("quý II/2026", "2026-Q2"), ("2026-Q3", "2026-Q3"), ("6T", "2026-H1"), ("2026", "2026"),
    ("adhoc-3", "ADHOC-3"),
])
def test_typed_period_keys(typed: str, key: str) -> None:
    assert read_period_key(typed, today=TODAY) == key


@pytest.mark.parametrize("typed", ["tháng 13", "T0", "tuần 54", "tuần 53/2025", "W0", "tháng", "Phòng Kinh tế"])
def test_what_names_no_period(typed: str) -> None:
    assert read_period_key(typed, today=TODAY) is None


def test_the_week_around_new_year_is_the_iso_weeks() -> None:
    # Friday 1/1/2027 lies in ISO week 53 of 2026: "tuần này" is 2026-W53 and "tuần 1" the first week of that ISO
    # year, 2026-W01 (2027-W01 has not begun)
    new_year = date(2027, 1, 1)
    assert read_period_key("tuần này", today=new_year) == "2026-W53"
    assert read_period_key("tuần 1", today=new_year) == "2026-W01"
    assert read_period_key("tuần 1/2027", today=new_year) == "2027-W01"
    assert read_period_key("tháng trước", today=new_year) == "2026-12"
    assert read_period_key("quý trước", today=new_year) == "2026-Q4"


def test_a_unit_name_is_not_read_as_a_period() -> None:
    assert looks_like_period("tuần 60") and looks_like_period("T13/2026") and looks_like_period("Q5")
    assert not looks_like_period("Trung tâm Văn hóa") and not looks_like_period("Thanh tra huyện")
    assert not looks_like_period("Phòng Kinh tế")


def test_long_lists_of_keys_are_ranges() -> None:
    weeks = [f"2026-W{w:02d}" for w in range(1, 54)]
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    listed = listed_keys([*weeks, *months, "2026-Q1", "2026-Q2", "2026", "ADHOC-1"])
    assert listed == "2026, 2026-Q1, 2026-Q2, 2026-01 … 2026-12, 2026-W01 … 2026-W53, ADHOC-1"
    assert listed_keys([]) == "chưa có kỳ nào"


def _weekly_and_monthly(world: World) -> None:
    def set_regimes(*, session):  # type: ignore[no-untyped-def]
        plan = session.get(Plan, world.plan_id)
        plan.regimes = [Regime(f).to_dict() for f in (Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY)]
        session.add(plan)
    world.db.call(set_regimes)


async def test_the_coordinator_asks_for_a_month_or_a_week_in_chat(db: Database) -> None:
    async with open_world(db) as world:
        _weekly_and_monthly(world)
        people = world.people
        coord = await people.create_user("Hà")
        await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))

        async def summary(args: str) -> str:
            (text, *_files) = await world.after(coord.id, people.send_command(coord.id, coord, "tonghop", args),
                                                new=4, timeout=15)
            return text.text or ""

        assert "TỔNG HỢP BÁO CÁO THÁNG 4/2026" in await summary("T4/2026")
        assert "TỔNG HỢP BÁO CÁO THÁNG 5/2026" in await summary("tháng này")
        assert "TỔNG HỢP BÁO CÁO TUẦN 21 (18/05 - 24/05/2026)" in await summary("tuần này")
        assert "TỔNG HỢP BÁO CÁO TUẦN 20 (11/05 - 17/05/2026)" in await summary("tuần 20 Phòng Kinh tế")

        (refused,) = await world.after(coord.id, people.send_command(coord.id, coord, "tonghop", "tháng 13"))
        assert "Không hiểu kỳ «tháng 13»" in refused.text and "tuần này" in refused.text
        assert "2026-01 … 2026-12" in refused.text and "2026-W01 … 2026-W53" in refused.text
        # a key read but not one of the plan's: last year's week 48
        (missing,) = await world.after(coord.id, people.send_command(coord.id, coord, "tonghop", "tuần 48"))
        assert "không có kỳ báo cáo «2025-W48»" in missing.text and "2027-W01 … 2027-W52" in missing.text


def test_the_cli_takes_the_same_keys(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db.url)
    now = datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ)
    with db.session() as session:
        _, _, plan_id = seed_two_units_and_an_office(session, now=now)
        plan = session.get(Plan, plan_id)
        assert plan is not None
        plan.regimes = [Regime(Frequency.MONTHLY).to_dict()]
        session.add(plan)
        session.commit()
    runner = CliRunner()
    ctx = CliContext(clock=FixedClock(now))
    done = runner.invoke(cli, ["summary", "--period", "tháng 4"], obj=ctx)
    assert done.exit_code == 0, done.output
    assert "TỔNG HỢP BÁO CÁO THÁNG 4/2026" in done.output
    wrong = runner.invoke(cli, ["summary", "--period", "tuần 7"], obj=CliContext(clock=FixedClock(now)))
    assert wrong.exit_code != 0 and "không có kỳ báo cáo «2026-W07»" in str(wrong.exception)
    assert "(các kỳ: 2026-01 … 2026-12)" in str(wrong.exception)
