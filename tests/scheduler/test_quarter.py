"""A whole reporting quarter through the sandbox with a fixed clock: who got what, when, and nothing else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

import telegram
from sqlmodel import select

from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox import SandboxClient
from storage.database import Database
from storage.models import MessageLink, Nudge, SummaryPush
from storage.reports import period_row, record_status
from tests.scheduler.conftest import World, build_world, make_service

TICKS = ((7, 0), (8, 0), (12, 0), (16, 0), (16, 30), (18, 0), (22, 0))


async def run_days(clock: FixedClock, start: date, end: date, tick: Callable[[], Awaitable[object]],
                   on_tick: Callable[[datetime], Awaitable[None]] | None = None) -> None:
    day = start
    while day <= end:
        for hour, minute in TICKS:
            clock.set(datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN_TZ))
            if on_tick is not None:
                await on_tick(clock.now())
            await tick()
        day += timedelta(days=1)


def report(db: Database, world: World, task: str, unit: str, now: datetime, status: str = "done") -> None:
    def write(*, session):  # type: ignore[no-untyped-def]
        period = period_row(session=session, plan_id=world.plan_id, key="2026-Q2")
        record_status(session=session, task_id=world.tasks[task], unit_id=world.units[unit], period=period, now=now,
                      today=now.astimezone(VN_TZ).date(), status=status, source="reply")
    db.call(write)


async def received(people: SandboxClient, chat: int) -> list[tuple[str, str]]:
    """(local "MM-DD HH:MM", first line) of every bot message in the chat."""
    result = []
    for message in await people.messages(chat, sender="bot"):
        when = datetime.fromtimestamp(message.raw["date"], VN_TZ)
        result.append((f"{when:%m-%d %H:%M}", (message.text or message.caption or "").split("\n")[0]))
    return result


async def test_quarter_nudges_escalation_summaries_and_late_digest(
        sqlite_db: Database, people: SandboxClient, tg_bot: telegram.Bot, quarter_clock: FixedClock) -> None:
    db, clock = sqlite_db, quarter_clock
    world = await build_world(db, people, clock.now())
    services = [make_service(db, tg_bot, clock)]

    async def events(now: datetime) -> None:
        local = now.astimezone(VN_TZ)
        if (local.month, local.day, local.hour) == (5, 28, 12):
            report(db, world, "C4", "Phòng C", now)  # C reports everything after the first nudge
        if (local.month, local.day, local.hour) == (6, 3, 7):
            services[0] = make_service(db, tg_bot, clock, worker="w-restarted")  # a restart: new objects, same DB
        if (local.month, local.day, local.hour) == (6, 8, 12):
            report(db, world, "B3", "Phòng B", now, status="in_progress")  # late, after the cutoff (5/6)

    await run_days(clock, date(2026, 5, 20), date(2026, 6, 22), lambda: services[0].tick(), events)

    def nudge(day: str, unit: str, cards: list[str]) -> list[tuple[str, str]]:
        return [(f"{day} 08:00", f"🔔 Nhắc báo cáo kỳ Quý II/2026 — {unit}")] + \
               [(f"{day} 08:00", f"📌 Nhiệm vụ {code} — kỳ Quý II/2026") for code in cards]

    reminders_a = nudge("05-27", "Phòng A", ["1", "2"]) + nudge("06-02", "Phòng A", ["1", "2"]) \
        + nudge("06-04", "Phòng A", ["1", "2"])
    deadline = "⏰ Sắp đến hạn hoàn thành: 30/06/2026 (còn {} ngày làm việc)."
    assert await received(people, world.chats["A"]) == [
        *reminders_a, ("06-05 08:00", "⚠️ Đôn đốc báo cáo kỳ Quý II/2026"),  # A has no head: its own chat is told
        ("06-10 08:00", deadline.format(14)), ("06-19 08:00", deadline.format(7)),
    ]
    reminders_b = nudge("05-27", "Phòng B", ["3"]) + nudge("06-02", "Phòng B", ["3"]) \
        + nudge("06-04", "Phòng B", ["3"])
    assert await received(people, world.chats["B"]) == reminders_b
    # the head is not sent the routine reminders (the staff are), only the escalation on the cutoff day
    assert await received(people, world.chats["Bhead"]) == [("06-05 08:00", "⚠️ Đôn đốc báo cáo kỳ Quý II/2026")]
    assert await received(people, world.chats["C"]) == nudge("05-27", "Phòng C", ["4"])  # reported on 28/5
    coordinator = await received(people, world.chats["coord"])
    expected = [("06-04 16:00", "👀 XEM TRƯỚC tổng hợp kỳ Quý II/2026"), ("06-05 08:00", "⚠️ Kỳ Quý II/2026"),
                ("06-05 08:00", "📊 Tổng hợp kỳ Quý II/2026"),
                ("06-05 08:00", "Bảng tổng hợp (Excel) — Quý II/2026"),
                ("06-05 08:00", "Dự thảo báo cáo (Word) — Quý II/2026"),
                ("06-05 08:00", "Biểu đồ tiến độ — Quý II/2026"), ("06-08 16:30", "🕓 Báo cáo muộn kỳ Quý II/2026")]
    assert [when for when, _ in coordinator] == [when for when, _ in expected]
    assert all(line.startswith(start) for (_, line), (_, start) in zip(coordinator, expected, strict=True))
    pushed = await people.messages(world.chats["coord"], sender="bot")
    assert [m.document["file_name"].rsplit(".", 1)[1] for m in pushed if m.document] == ["xlsx", "docx"]
    assert sum(1 for m in pushed if m.photo) == 1  # the chart
    escalation = pushed[1].text or ""
    assert "2/3 đơn vị chưa báo cáo đủ" in escalation and "Phòng A: 2 nhiệm vụ" in escalation

    def stored(*, session):  # type: ignore[no-untyped-def]
        rows = session.exec(select(Nudge)).all()
        links = session.exec(select(MessageLink).where(MessageLink.chat_id == str(world.chats["A"]))).all()
        pushes = session.exec(select(SummaryPush)).all()
        return rows, links, pushes

    rows, links, pushes = db.call(stored)
    assert {r.state for r in rows} <= {"sent", "dropped"}
    dropped_c = [r for r in rows if r.unit_id == world.units["Phòng C"] and r.state == "dropped"]
    assert {r.payload["offset"] for r in dropped_c if r.kind == "cutoff"} == {"d3", "d1"}
    assert all(r.last_error == "đơn vị đã báo cáo đủ" for r in dropped_c if r.kind == "cutoff")
    assert sorted(link.task_id for link in links if link.kind == "task_card") == sorted(
        [world.tasks["A1"], world.tasks["A2"]] * 3 + [world.tasks["A1"]] * 2)
    assert sorted(p.kind for p in pushes) == ["daily", "final", "preview"]
    claimers = {r.claimed_by for r in rows if r.state == "sent"}
    assert claimers == {"w1", "w-restarted"}
