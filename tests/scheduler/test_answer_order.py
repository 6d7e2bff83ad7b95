"""After a restart the answers a killed run left (its claims and the rows it never reached) go out in row-id order,
the order their replies were stored, through the real answer lane and dispatcher with the shared budget."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from bot.base.chat import Outgoing
from bot.base.clock import FixedClock
from scheduler.answers import AnswerLane
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits, SharedPacer, budget_bucket
from storage import outbox
from storage.answers import KIND, to_payload
from storage.database import Database
from storage.models import Nudge
from tests.scheduler.test_claims import _ended_pid
from tests.scheduler.test_delivery import NOW

CHATS = 12


class Recorder:
    platform = "telegram"

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send(self, chat_id: str, out: Outgoing) -> str:
        self.texts.append(out.text)
        return str(len(self.texts))


def _left_over(db: Database, dead: str) -> list[str]:
    """One answer per chat, written in chat order but due in the reverse order (a handler's clock is read before
    its commit), every other one claimed by the killed run; returns the texts in row-id order."""
    def seed(*, session):  # type: ignore[no-untyped-def]
        outbox.add_rows(session=session, now=NOW, rows=[outbox.PlannedRow(
            key=f"answer:telegram:{i}:0", kind=KIND, chat_id=str(2000 + i), platform="telegram",
            due_at=NOW - timedelta(seconds=CHATS - i),
            payload={**to_payload(Outgoing(text=f"đã ghi {i}"), group=False), "planned_at": NOW.isoformat()},
        ) for i in reversed(range(CHATS))])  # ids in reverse chat order: due_at order is the reverse of id order
        session.execute(update(Nudge).where(Nudge.chat_id.in_([str(2000 + i) for i in range(0, CHATS, 2)]))  # type: ignore[attr-defined]
                        .values(state=outbox.SENDING, claimed_by=dead, claimed_at=NOW))
        return [row.payload["text"] for row in session.exec(select(Nudge).order_by(Nudge.id))]
    return db.call(seed)


async def test_left_over_answers_go_out_in_row_id_order_after_a_restart(db: Database) -> None:
    dead = f"{socket.gethostname()}:{_ended_pid()}:dead00"
    expected = _left_over(db, dead)
    assert expected != sorted(expected, key=lambda t: int(t.split()[-1]))  # not the due_at (chat) order
    recorder = Recorder()
    # a slot every 200 ms: one claim at a time (two claims side by side could commit in either order)
    pacer = SharedPacer(db, budget_bucket("telegram", "123:order"), Limits(per_second=5.0))
    dispatcher = Dispatcher(db, recorder, FixedClock(NOW), worker_id="restarted", pacer=pacer)
    lane = AnswerLane(dispatcher, concurrency=4)
    stop = asyncio.Event()
    task = asyncio.create_task(lane.run(stop))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60  # only so that a broken run ends; nothing here is timed
    while len(recorder.texts) < CHATS and loop.time() < deadline:
        await asyncio.sleep(0.05)
    stop.set()
    await task
    assert recorder.texts == expected
    states = db.call(lambda session: sorted(set(session.exec(select(Nudge.state)))))
    assert states == [outbox.SENT] and lane.report.reclaimed == CHATS // 2


class HeldSend(Recorder):
    """A send that returns only once released: a stop arrives while an answer is on its way."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.release = asyncio.Event(), asyncio.Event()

    async def send(self, chat_id: str, out: Outgoing) -> str:
        self.started.set()
        await self.release.wait()
        return await super().send(chat_id, out)


async def test_a_stop_lets_the_answer_being_sent_be_marked_sent(db: Database) -> None:
    """Cancelled between its send and its mark, an answer would be sent again by the next run: a clean stop lets
    the one on its way finish (the ones only waiting are left, pending, to the next run)."""
    _left_over(db, f"{socket.gethostname()}:{_ended_pid()}:dead01")
    held = HeldSend()
    dispatcher = Dispatcher(db, held, FixedClock(NOW), worker_id="stopping", limits=Limits.off())
    lane = AnswerLane(dispatcher, concurrency=1)
    stop = asyncio.Event()
    task = asyncio.create_task(lane.run(stop))
    await asyncio.wait_for(held.started.wait(), 30)
    stop.set()
    await asyncio.sleep(0.1)  # the lane has seen the stop while the send is still on its way
    held.release.set()
    await asyncio.wait_for(task, 30)
    rows = db.call(lambda session: session.exec(select(Nudge).order_by(Nudge.id)).all())
    mine = [(n.state, n.payload["text"]) for n in rows if n.claimed_by == "stopping"]
    assert mine == [(outbox.SENT, held.texts[0])], mine  # sent and marked; nothing of this run left half-done
    assert sum(n.state == outbox.SENT for n in rows) == 1  # the others wait for the next run
