"""One budget across processes: two senders on one bot take their global slots from the database row of the bot,
so together they stay under the limit; a 429 seen by one holds the other back too."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from bot.base.chat import Outgoing
from bot.base.clock import FixedClock
from scheduler.dispatcher import Dispatcher, DispatchReport
from scheduler.pacer import Limits, Pacer, SharedPacer, budget_bucket
from storage import budget, outbox
from storage.database import Database
from storage.models import Nudge
from tests.scheduler.test_delivery import NOW, seed_text_rows

BUCKET = budget_bucket("telegram", "123456:secret-token")
RATE = 20.0


class RecordingPacer(SharedPacer):
    """The real shared pacer, noting the start of every slot it reserves in the bot's row (epoch seconds, the one
    clock both senders share: mapped onto a process's own clock they would carry that mapping's jitter)."""

    def __init__(self, db: Database, starts: list[float], limits: Limits) -> None:
        super().__init__(db, BUCKET, limits)
        self.starts = starts

    def _reserve_in(self, session: object, wall: float, interval: float) -> float:
        start = super()._reserve_in(session, wall, interval)
        self.starts.append(start)
        return start


class LocalRecordingPacer(Pacer):
    """The per-process pacer, recorded the same way: the control that shows what sharing prevents."""

    def __init__(self, starts: list[float], limits: Limits) -> None:
        super().__init__(limits)
        self.starts = starts

    async def _take_global(self, now: float) -> float:
        start = await super()._take_global(now)
        self.starts.append(start)
        return start


class Sink:
    platform = "telegram"

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()

    async def send(self, chat_id: str, out: Outgoing) -> str:
        self.sent[chat_id] += 1
        return str(sum(self.sent.values()))


def _smallest_gap(starts: Iterable[float]) -> float:
    ordered = sorted(starts)
    return min(b - a for a, b in pairwise(ordered))


async def _two_senders(db: Database, second: Database, pacers: tuple[Pacer, Pacer]) -> tuple[Sink, int]:
    sink = Sink()
    first_sender = Dispatcher(db, sink, FixedClock(NOW), worker_id="one", pacer=pacers[0], concurrency=4)
    second_sender = Dispatcher(second, sink, FixedClock(NOW), worker_id="two", pacer=pacers[1], concurrency=4)
    reports = await asyncio.gather(first_sender.dispatch_due(), second_sender.dispatch_due())
    assert sum(r.sent for r in reports) == 16 and reports[0].sent and reports[1].sent
    return sink, sum(r.lost_races for r in reports)


async def test_two_senders_on_one_bot_share_the_limit(db: Database) -> None:
    seed_text_rows(db, 16, NOW)
    second = Database(db.url)  # another connection pool, as another process would have
    try:
        starts: list[float] = []
        limits = Limits(per_second=RATE, chat_interval=0.0)
        sink, lost = await _two_senders(db, second, (RecordingPacer(db, starts, limits),
                                                     RecordingPacer(second, starts, limits)))
    finally:
        second.dispose()
    assert sum(sink.sent.values()) == 16 and max(sink.sent.values()) == 1  # each row once, by one of them
    # a slot per send, plus one per row the other sender claimed between this one's look and its claim (a row
    # already taken when looked at costs no slot)
    assert 16 <= len(starts) <= 16 + lost
    # no two slots of the bot closer than 1/RATE, whichever sender took them: together they send at most RATE/s
    assert _smallest_gap(starts) >= 1.0 / RATE - 1e-3, sorted(starts)


class SlowerThanTheOther(Dispatcher):
    """A sender that listed the due rows, then found three of them taken by another process before its turn."""

    async def _run_chat(self, rows: list[Nudge], report: DispatchReport, *, is_group: bool) -> None:
        if rows[0].chat_id != "1000":
            assert await self.db.run(outbox.claim, nudge_id=rows[0].id, worker="other:1:x", now=NOW, lease=self.lease)
        await super()._run_chat(rows, report, is_group=is_group)


async def test_a_row_another_sender_took_after_the_listing_costs_no_slot(db: Database) -> None:
    seed_text_rows(db, 4, NOW)
    starts: list[float] = []
    sink = Sink()
    dispatcher = SlowerThanTheOther(db, sink, FixedClock(NOW), worker_id="one",
                                    pacer=RecordingPacer(db, starts, Limits(per_second=RATE, chat_interval=0.0)))
    report = await dispatcher.dispatch_due()
    assert report.sent == 1 and report.lost_races == 3 and list(sink.sent) == ["1000"]
    assert len(starts) == 1  # one slot, for the row it sent: none spent on the rows the other sender holds


async def test_without_the_shared_row_two_senders_would_overlap(sqlite_db: Database) -> None:
    seed_text_rows(sqlite_db, 16, NOW)
    second = Database(sqlite_db.url)
    try:
        starts: list[float] = []
        limits = Limits(per_second=RATE, chat_interval=0.0)
        await _two_senders(sqlite_db, second, (LocalRecordingPacer(starts, limits),
                                               LocalRecordingPacer(starts, limits)))
    finally:
        second.dispose()
    assert _smallest_gap(starts) < 1.0 / RATE / 2  # each spends the whole budget: the check above would fail


async def test_a_429_seen_by_one_sender_holds_back_the_other(db: Database) -> None:
    limits = Limits(per_second=RATE)
    first, other = SharedPacer(db, BUCKET, limits), SharedPacer(db, BUCKET, limits)
    await first.back_off("chat-1", 30.0)
    now = time.monotonic()
    start = await other._take_global(now)  # the other process's next slot (it never saw the 429 itself)
    assert start >= now + 29.0
    assert db.call(budget.reserve_slot, bucket=budget_bucket("telegram", "another-bot"), now=time.time(),
                   interval=1.0 / RATE) <= time.time()  # another bot's budget is its own
