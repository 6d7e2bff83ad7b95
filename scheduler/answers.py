"""The answer lane: answers to replies (outbox rows of kind "answer", storage/answers.py) sent as soon as they
are committed, one chat's in order, chats side by side, through the dispatcher's paced sender ahead of routine
nudges.

The rows are the record: a row is claimed right before its send and marked sent after it, as every outbox row
(scheduler/dispatcher.py), so a crash between a reply's commit and its answer leaves the answer pending, and
the next run (or `nhacviec nudges send-due`) sends it once. The lane only keeps, in memory, which rows it
has already lined up, so that a wake-up never lines one up twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
from collections import deque
from datetime import timedelta

from sqlmodel import Session, select

from scheduler.dispatcher import Dispatcher, DispatchReport
from storage.answers import KIND
from storage.models import Nudge

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30.0  # rows left by a crashed run (or a lost wake-up) are found at least this often
STOP_GRACE_SECONDS = 10.0  # at a stop, how long an answer being sent may take to be sent and marked
BATCH = 2000


class AnswerLane:
    def __init__(self, dispatcher: Dispatcher, *, concurrency: int = 16, sweep: float = SWEEP_SECONDS) -> None:
        self.dispatcher, self.sweep = dispatcher, sweep
        self.report = DispatchReport()
        self._senders = _LowestIdFirst(concurrency)
        self._lined_up: set[int] = set()  # row ids queued or being sent here
        self._chats: dict[tuple[str, str], deque[Nudge]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._sending: set[asyncio.Task[None]] = set()  # chats whose current answer is being claimed, sent, marked
        self._stopping = False
        dispatcher.skip_kinds = (*dispatcher.skip_kinds, KIND)  # the routine rounds leave these rows to the lane

    def wake(self, rows: list[Nudge]) -> None:
        """These answers were committed (called by the chat, on the event loop): line them up now."""
        self._line_up(rows)

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep for due answers at start (what a previous run left) and every `sweep` seconds (what a wake-up
        missed: a row due later, a row a dead sender held), until `stop` is set; woken rows are lined up at once."""
        while not stop.is_set():
            try:
                await self._sweep()
            except Exception:  # the database away for long: the next sweep tries again
                log.exception("could not read the answers due; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.sweep)
        # a clean stop: an answer being sent is sent and marked (cancelled between the two, the next run would send
        # it again); the answers only waiting are left to the next run
        self._stopping = True
        for task in list(self._tasks - self._sending):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_SECONDS)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _sweep(self) -> None:
        d = self.dispatcher
        d._dead_workers = d._dead_workers | await d.db.run(_dead_answer_senders, own=d.worker)
        self._line_up(await d.db.run(_due_answers, now=d.clock.now(), lease=d.lease, exclude=set(self._lined_up),
                                     dead_workers=d._dead_workers))

    def _line_up(self, rows: list[Nudge]) -> None:
        for row in rows:
            if row.id is None or row.id in self._lined_up:
                continue
            self._lined_up.add(row.id)
            key = (row.platform, row.chat_id)
            queue = self._chats.get(key)
            if queue is None:
                self._chats[key] = queue = deque()
                task = asyncio.create_task(self._run_chat(key))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            queue.append(row)

    async def _run_chat(self, key: tuple[str, str]) -> None:
        """One chat's answers in order; ends when its queue is empty (a later answer starts a new one)."""
        queue = self._chats[key]
        try:
            while queue and not self._stopping:
                row = queue[0]
                d = self.dispatcher
                await d._pacer(row.platform).chat_ready(row.chat_id)
                assert row.id is not None
                await self._senders.acquire(row.id)
                task = asyncio.current_task()
                assert task is not None
                self._sending.add(task)
                try:
                    await d._process(row, self.report, is_group=bool(row.payload.get("group")))
                except Exception as exc:  # one row's bug must not stop the others
                    log.exception("answer %s failed unexpectedly", row.key)
                    self.report.errors.append(f"{row.key}: {exc.__class__.__name__}")
                finally:
                    self._sending.discard(task)
                    self._senders.release()
                queue.popleft()
                self._lined_up.discard(row.id)
        finally:
            if self._chats.get(key) is queue:
                del self._chats[key]
            for row in queue:  # cancelled: to be lined up again by a later run
                if row.id is not None:
                    self._lined_up.discard(row.id)


class _LowestIdFirst:
    """At most `places` answers in the sender at once; a freed place goes to the waiting answer of the lowest row
    id (the oldest stored), whichever chat it is in: after a restart the answers left over go out in row-id order,
    not in the order their chats happened to line up."""

    def __init__(self, places: int) -> None:
        self.free = places
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []

    async def acquire(self, row_id: int) -> None:
        if self.free and not self._waiting:
            self.free -= 1
            return
        place = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (row_id, place))
        try:
            await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled():  # given a place as it was cancelled: hand it on
                self.release()
            raise

    def release(self) -> None:
        while self._waiting:
            _, place = heapq.heappop(self._waiting)
            if not place.done():
                place.set_result(None)
                return
        self.free += 1


def _due_answers(*, session: Session, now: object, lease: timedelta, exclude: set[int],
                 dead_workers: frozenset[str]) -> list[Nudge]:
    from storage import outbox

    return outbox.due_rows(session=session, now=now, lease=lease, limit=BATCH, exclude=exclude or None,  # type: ignore[arg-type]
                           dead_workers=dead_workers, kinds=(KIND,), by_id=True)


def _dead_answer_senders(*, session: Session, own: str) -> frozenset[str]:
    """Claimers of answers in 'sending' whose process on this machine has ended (this run's predecessor)."""
    from scheduler.dispatcher import dead_local_workers
    from storage.outbox import SENDING

    claimers = session.exec(select(Nudge.claimed_by).where(Nudge.kind == KIND, Nudge.state == SENDING).distinct())
    return dead_local_workers(sorted(w for w in claimers if w and w != own))  # type: ignore[call-overload]

