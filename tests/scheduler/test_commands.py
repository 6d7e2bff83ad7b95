"""/yeucau and /nhacnho through the running bot, the nudges they queue sent by the dispatcher, and a reply
to a nudge's task card recorded by the chat layer; plus the `nhacviec nudges` and `request` commands."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import pytest
import telegram
from click.testing import CliRunner
from sqlmodel import select

from bot.adapters.telegram_notifier import TelegramNotifier
from bot.base.clock import FixedClock
from bot.cli import cli
from bot.cli.context import CliContext
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from storage.database import Database
from storage.models import ReportingPeriodRow, StatusReport
from tests.bot.conftest import TOKEN, World, world  # noqa: F401 (the running bot fixture)


@pytest.fixture
async def sender(world: World) -> AsyncIterator[Dispatcher]:  # noqa: F811
    async with telegram.Bot(TOKEN, base_url=world.sandbox.bot_api_url) as bot:
        yield Dispatcher(world.db, TelegramNotifier(bot), world.clock, worker_id="test", limits=Limits.off())


async def test_request_and_manual_nudge_from_chat(world: World, sender: Dispatcher) -> None:  # noqa: F811
    people = world.people
    lan, head = await people.create_user("Lan"), await people.create_user("Hùng")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-1")))
    await world.after(head.id, people.start(head, world.invite("vp", "coordinator", "VP-1")))

    (refused,) = await world.after(lan.id, people.send_command(lan.id, lan, "yeucau", "30/6 Báo cáo nhanh"))
    assert "Chỉ đầu mối" in (refused.text or "")
    (bad,) = await world.after(head.id, people.send_command(head.id, head, "yeucau", "ngày mai"))
    assert "Không hiểu hạn" in (bad.text or "")
    (created,) = await world.after(head.id, people.send_command(
        head.id, head, "yeucau", "15/6 Báo cáo nhanh tình hình số hoá hồ sơ"))
    assert "ADHOC-1" in (created.text or "") and "15/06/2026" in (created.text or "")

    report = await sender.dispatch_due()
    got = await people.messages(lan.id, sender="bot")
    header, *cards = got[-3:]
    assert report.sent == 3 and "đột xuất" in (header.text or "") and "số hoá hồ sơ" in (header.text or "")
    assert all((c.text or "").startswith("📌 Nhiệm vụ") for c in cards)
    (confirm,) = await world.after(lan.id, people.reply(lan.id, lan, cards[0], "đang làm 50%"))
    assert "Đã ghi nhiệm vụ 1" in (confirm.text or "")

    def stored(*, session):  # type: ignore[no-untyped-def]
        period = session.exec(select(ReportingPeriodRow).where(ReportingPeriodRow.key == "ADHOC-1")).one()
        reports = session.exec(select(StatusReport).where(StatusReport.period_id == period.id)).all()
        return period, reports
    period, reports = world.db.call(stored)
    assert period.cutoff == date(2026, 6, 15) and [r.status for r in reports] == ["in_progress"]

    for _ in range(2):  # a double tap in the same minute nudges once
        (queued,) = await world.after(head.id, people.send_command(head.id, head, "nhacnho"))
        assert "Đã xếp lịch nhắc 2 đơn vị" in (queued.text or "")
    before = len(await people.messages(lan.id, sender="bot"))
    assert (await sender.dispatch_due()).sent == 3  # header + the two Q2 cards (Phòng Tư pháp has no chat)
    nudge = (await people.messages(lan.id, sender="bot"))[before:]
    assert (nudge[0].text or "").startswith("🔔 Nhắc báo cáo kỳ Quý II/2026 — Phòng Kinh tế") and len(nudge) == 3


def test_cli_plan_request_and_status(sqlite_db: Database, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from bot.base.clock import VN_TZ
    from tests.factories import make_plan, make_task, make_units

    now = datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ)

    def seed(*, session):  # type: ignore[no-untyped-def]
        [unit] = make_units(session, "Phòng Kinh tế", now=now)
        plan = make_plan(session, now=now)
        make_task(session, plan, code="1", title="Số hoá", lead=unit, now=now, deadlines=("2026-06-30",))
    sqlite_db.call(seed)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    runner = CliRunner()

    def at_seed_time() -> CliContext:  # the clock is passed in: the test holds on any day
        return CliContext(clock=FixedClock(now))

    planned = runner.invoke(cli, ["nudges", "plan", "--from", "2026-05-25", "--to", "2026-06-05", "--json"],
                            obj=at_seed_time())
    assert planned.exit_code == 0, planned.output
    entries = json.loads(planned.output)
    cutoff = [(e["at"], e["period"]) for e in entries if e["kind"] == "cutoff"]
    assert cutoff == [("2026-05-27T08:00:00+07:00", "2026-Q2"), ("2026-06-02T08:00:00+07:00", "2026-Q2"),
                      ("2026-06-04T08:00:00+07:00", "2026-Q2")]
    assert {e["kind"] for e in entries} == {"cutoff", "escalation", "summary"}
    assert all(e["unit"] for e in entries)
    made = runner.invoke(cli, ["request", "--deadline", "30/11/2026", "Báo", "cáo", "nhanh"], obj=at_seed_time())
    assert made.exit_code == 0 and "ADHOC-1" in made.output
    past = runner.invoke(cli, ["request", "--deadline", "19/05/2026", "Báo cáo"], obj=at_seed_time())
    assert past.exit_code != 0 and "đã qua" in str(past.exception)
    status = runner.invoke(cli, ["nudges", "status", "--json"], obj=at_seed_time())
    counts = json.loads(status.output)["counts"]
    assert counts == {"ad_hoc": {"dropped": 1}}  # the unit has no chat: recorded, with the reason
    assert json.loads(status.output)["dropped"][0]["reason"].startswith("chưa có chat")
