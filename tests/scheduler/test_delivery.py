"""The outbox under races, faults and Telegram's answers: exactly once, nothing lost, failures recorded."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import telegram
from sqlmodel import select

from bot.base.chat import Outgoing
from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox import SandboxClient, SandboxServer
from scheduler.dispatcher import Dispatcher
from scheduler.notifier import Transient
from scheduler.pacer import Limits
from storage import outbox
from storage.database import Database
from storage.members import bind_chat
from storage.models import ChatBinding, Nudge, Plan
from tests.factories import make_plan, make_units
from tests.scheduler.conftest import build_world, make_service

NOW = datetime(2026, 6, 2, 9, 0, tzinfo=VN_TZ)


class RecordingNotifier:
    """A notifier that records what it was asked to send (a stand-in for the platform in storage tests)."""

    platform = "telegram"

    def __init__(self, fail_first: int = 0) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_first = fail_first

    async def send(self, chat_id: str, out: Outgoing) -> str:
        await asyncio.sleep(0)
        if self.fail_first > 0:
            self.fail_first -= 1
            raise Transient("timed out")
        self.sent.append((chat_id, out.text))
        return str(len(self.sent))


def seed_text_rows(db: Database, count: int, now: datetime) -> None:
    def seed(*, session):  # type: ignore[no-untyped-def]
        [unit] = make_units(session, "Phòng Thử", now=now)
        for i in range(count):
            bind_chat(session=session, platform="telegram", chat_id=str(1000 + i), chat_type="private",
                      unit_id=unit.id, role="staff", now=now)
        outbox.add_rows(session=session, now=now, rows=[outbox.PlannedRow(
            key=f"test:{i}", kind="manual", chat_id=str(1000 + i), due_at=now - timedelta(minutes=1),
            payload={"render": "text", "text": f"tin {i}", "planned_at": now.isoformat()}) for i in range(count)])
    db.call(seed)


async def test_two_dispatchers_racing_send_each_row_once(db: Database) -> None:
    clock = FixedClock(NOW)
    seed_text_rows(db, 60, NOW)
    again = db.call(lambda session: outbox.add_rows(session=session, now=NOW, rows=[outbox.PlannedRow(
        key="test:0", kind="manual", chat_id="1000", due_at=NOW, payload={"render": "text", "text": "x"})]))
    assert again == 0  # planning the same key twice adds nothing
    first, second = RecordingNotifier(), RecordingNotifier()
    a = Dispatcher(db, first, clock, worker_id="a", limits=Limits.off(), concurrency=4)
    b = Dispatcher(db, second, clock, worker_id="b", limits=Limits.off(), concurrency=4)
    reports = await asyncio.gather(a.dispatch_due(), b.dispatch_due())
    texts = Counter(text for _, text in first.sent + second.sent)
    assert sorted(texts) == sorted(f"tin {i}" for i in range(60)) and set(texts.values()) == {1}
    assert reports[0].sent + reports[1].sent == 60
    states = db.call(lambda session: Counter(r.state for r in session.exec(select(Nudge))))
    assert states == {"sent": 60}


async def test_crashed_claim_is_taken_over_after_the_lease_only(db: Database) -> None:
    clock = FixedClock(NOW)
    seed_text_rows(db, 3, NOW)
    row_id = db.call(lambda session: session.exec(select(Nudge.id).where(Nudge.key == "test:0")).one())
    assert db.call(outbox.claim, nudge_id=row_id, worker="dead", now=NOW, lease=timedelta(minutes=2)) is not None
    notifier = RecordingNotifier()
    dispatcher = Dispatcher(db, notifier, clock, worker_id="alive", limits=Limits.off())
    await dispatcher.dispatch_due()
    assert sorted(t for _, t in notifier.sent) == ["tin 1", "tin 2"]  # the claimed row is someone's, for now
    clock.advance(timedelta(minutes=3))
    await dispatcher.dispatch_due()
    assert sorted(t for _, t in notifier.sent) == ["tin 0", "tin 1", "tin 2"]
    assert db.call(lambda session: session.get(Nudge, row_id).claimed_by) == "alive"


async def test_transient_errors_are_retried_then_recorded(sqlite_db: Database) -> None:
    clock = FixedClock(NOW)
    seed_text_rows(sqlite_db, 2, NOW)
    flaky = RecordingNotifier(fail_first=2)
    report = await Dispatcher(sqlite_db, flaky, clock, worker_id="w", limits=Limits.off(), backoff=0.001,
                              concurrency=1).dispatch_due()
    assert report.sent == 2 and report.retried == 2
    broken = RecordingNotifier(fail_first=100)
    seed_more = outbox.PlannedRow(key="test:late", kind="manual", chat_id="1000", due_at=NOW,
                                  payload={"render": "text", "text": "x"})
    sqlite_db.call(outbox.add_rows, rows=[seed_more], now=NOW)
    dispatcher = Dispatcher(sqlite_db, broken, clock, worker_id="w2", limits=Limits.off(), backoff=0.001,
                            max_attempts=3, max_rounds=3)

    def late_row() -> Nudge:
        return sqlite_db.call(lambda session: session.exec(select(Nudge).where(Nudge.key == "test:late")).one())

    waits = []
    for _ in range(2):  # a round's sends used up: back to pending, tried again later (2, then 4 minutes)
        report = await dispatcher.dispatch_due()
        row = late_row()
        assert report.postponed == 1 and report.failed == 0 and row.state == "pending", row
        assert "timed out" in (row.last_error or "") and "gửi lại lúc" in (row.last_error or "")
        waits.append(row.due_at - clock.now())
        assert (await dispatcher.dispatch_due()).sent == 0  # not due yet
        clock.advance(waits[-1])
    assert waits == [timedelta(minutes=2), timedelta(minutes=4)]
    report = await dispatcher.dispatch_due()
    row = late_row()
    assert report.failed == 1 and row.state == "failed" and "sau 3 lượt gửi" in (row.last_error or "")
    assert 100 - broken.fail_first == 3 * 3  # three rounds of three sends each


async def test_window_and_grace(sqlite_db: Database) -> None:
    seed_text_rows(sqlite_db, 1, NOW)
    notifier = RecordingNotifier()
    evening = FixedClock(datetime(2026, 6, 2, 18, 0, tzinfo=VN_TZ))
    report = await Dispatcher(sqlite_db, notifier, evening, limits=Limits.off()).dispatch_due()
    assert report.deferred == 1 and notifier.sent == []  # no message after 17:30
    saturday = FixedClock(datetime(2026, 6, 6, 9, 0, tzinfo=VN_TZ))
    assert (await Dispatcher(sqlite_db, notifier, saturday, limits=Limits.off()).dispatch_due()).deferred == 1
    stale = FixedClock(datetime(2026, 6, 5, 8, 0, tzinfo=VN_TZ))  # 3 days late, grace is 2
    report = await Dispatcher(sqlite_db, notifier, stale, limits=Limits.off()).dispatch_due()
    row = sqlite_db.call(lambda session: session.exec(select(Nudge)).one())
    assert report.dropped == 1 and notifier.sent == [] and row.state == "dropped"
    assert (row.last_error or "").startswith("quá hạn gửi")


async def test_blocked_chat_is_deactivated_and_the_coordinator_told(
        sqlite_db: Database, people: SandboxClient, tg_bot: telegram.Bot, quarter_clock: FixedClock) -> None:
    world = await build_world(sqlite_db, people, quarter_clock.now())
    await people.block_bot(world.chats["C"])
    quarter_clock.set(datetime(2026, 5, 27, 8, 0, tzinfo=VN_TZ))
    await make_service(sqlite_db, tg_bot, quarter_clock).tick()
    binding = sqlite_db.call(lambda session: session.exec(select(ChatBinding).where(
        ChatBinding.chat_id == str(world.chats["C"]))).one())
    assert binding.active is False and "blocked" in (binding.inactive_reason or "")
    told = [m.text or "" for m in await people.messages(world.chats["coord"], sender="bot")]
    assert len(told) == 1 and "Phòng C" in told[0] and "không gửi được" in told[0]
    assert len(await people.messages(world.chats["B"], sender="bot")) == 2  # the others still got theirs


async def test_429_is_honoured_and_nothing_lost(
        sqlite_db: Database, sandbox: SandboxServer, people: SandboxClient, tg_bot: telegram.Bot) -> None:
    from bot.sandbox import RateLimits

    sandbox.configure(limits=RateLimits(chat_burst=1, chat_per_second=2.0))
    user = await people.create_user("Hà")
    await people.private_chat(user)
    clock = FixedClock(NOW)

    def seed(*, session):  # type: ignore[no-untyped-def]
        [unit] = make_units(session, "Phòng Hà", now=NOW)
        bind_chat(session=session, platform="telegram", chat_id=str(user.id), chat_type="private", unit_id=unit.id,
                  role="staff", now=NOW)
        outbox.add_rows(session=session, now=NOW, rows=[outbox.PlannedRow(
            key=f"burst:{i}", kind="manual", chat_id=str(user.id), due_at=NOW,
            payload={"render": "text", "text": f"tin {i}"}) for i in range(4)])
    sqlite_db.call(seed)
    from bot.adapters.telegram_notifier import TelegramNotifier

    report = await Dispatcher(sqlite_db, TelegramNotifier(tg_bot), clock, limits=Limits.off()).dispatch_due()
    texts = [m.text for m in await people.messages(user, sender="bot")]
    assert texts == [f"tin {i}" for i in range(4)]  # in order, none lost, none twice
    assert report.rate_limited >= 1 and report.rate_limited == sandbox.stats.rate_limited["sendMessage"]


async def test_a_plans_changed_window_applies_to_a_running_dispatcher(sqlite_db: Database) -> None:
    """The dispatcher of a running bot reads each plan's nudge settings afresh every round."""
    def seed(*, session):  # type: ignore[no-untyped-def]
        [unit] = make_units(session, "Phòng Thử", now=NOW)
        plan = make_plan(session, now=NOW)
        plan.settings = {"nudges": {"window_start": "10:00", "window_end": "17:30"}}
        session.add(plan)
        bind_chat(session=session, platform="telegram", chat_id="1000", chat_type="private", unit_id=unit.id,
                  role="staff", now=NOW)
        session.flush()
        outbox.add_rows(session=session, now=NOW, rows=[outbox.PlannedRow(
            key="test:window", kind="manual", chat_id="1000", due_at=NOW - timedelta(minutes=1), plan_id=plan.id,
            payload={"render": "text", "text": "tin", "planned_at": NOW.isoformat()})])
        return plan.id
    plan_id = sqlite_db.call(seed)
    notifier = RecordingNotifier()
    dispatcher = Dispatcher(sqlite_db, notifier, FixedClock(NOW), limits=Limits.off())  # 09:00, before 10:00
    assert (await dispatcher.dispatch_due()).deferred == 1 and notifier.sent == []

    def widen(*, session):  # type: ignore[no-untyped-def]
        plan = session.get(Plan, plan_id)
        plan.settings = {"nudges": {"window_start": "07:30", "window_end": "17:30"}}
        session.add(plan)
    sqlite_db.call(widen)
    assert (await dispatcher.dispatch_due()).sent == 1 and [text for _, text in notifier.sent] == ["tin"]
