"""The async face of the conversation: flood control, one transaction per step, links recorded after sending."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.base.chat import Incoming, Link, Outgoing
from bot.base.retry import patiently
from bot.chat import flood
from bot.chat.context import ChatDeps, already_handled, journal
from storage.answers import queue_answers
from storage.availability import UNAVAILABLE, database_unavailable
from storage.models import Nudge
from storage.reports import link_message

Step = Callable[[Session, ChatDeps, Incoming], list[Outgoing]]
# An uploaded file's step: journal the upload first, call the download only when the upload is new.
Receive = Callable[["ChatService", Incoming, Callable[[], Awaitable[tuple[str, bytes] | None]]],
                   Awaitable[list[Outgoing]]]
T = TypeVar("T")
RACE_RETRIES = 3  # two replies for one task at once may both pick the same report version


class ChatService:
    def __init__(self, deps: ChatDeps) -> None:
        self.deps = deps

    async def handle(self, step: Step, event: Incoming, *, guarded: bool = True,
                     wakes_outbox: bool = False, once: bool = False, queued: bool = False) -> list[Outgoing]:
        """Run one step. Commands and buttons are flood-controlled per person; replies to task cards and their
        edits are not (`guarded=False`): a staff member catching up on twenty cards must not lose a reply.
        A step that queues nudges (`wakes_outbox`) has the dispatcher run as soon as it is committed.
        `once`: every update is journalled, read-only commands too, so that one delivered again (Zalo updates
        have no ids and may come twice) is ignored rather than answered twice.
        `queued`: the text answers go into the outbox in the step's transaction, for the runner's answer lane to
        send (when it runs: `deps.answers_queued`); what is returned is only what the caller must still do."""
        if guarded and (refused := flood.refusal(self.deps.flood, event)) is not None:
            return refused
        wake = self.deps.answers_queued if queued else None
        body = _once if once else _plain
        if wake is None:
            outgoing = await self.run(lambda session: body(step, session, self.deps, event))
        else:
            answers: list[Nudge] = []

            def step_and_queue(session: Session) -> list[Outgoing]:
                left, rows = queue_answers(session, event, body(step, session, self.deps, event), self.deps.now())
                answers[:] = rows  # the last attempt's (a transaction tried again queues again)
                return left

            outgoing = await self.run(step_and_queue)
            if answers:
                wake(answers)
        if wakes_outbox:
            self.deps.outbox_changed()
        return outgoing

    async def queue_after_rate_limit(self, event: Incoming, outgoing: list[Outgoing], *, seconds: float,
                                     first: int = 0) -> list[Outgoing] | None:
        """Answers a direct send could not deliver (a 429 asking for `seconds`, too long to hold the update for)
        put in the outbox, due after the wait, for the answer lane: stored before the update is confirmed, sent
        once, paced with the others. Returns what could not be queued (files); None when no lane runs."""
        if self.deps.answers_queued is None:
            return None
        due_at = self.deps.now() + timedelta(seconds=seconds)
        left, rows = await self.run(lambda session: queue_answers(session, event, outgoing, self.deps.now(),
                                                                  due_at=due_at, first=first))
        if rows:  # the outbox does not hold a row back until its due time: the lane is woken when it comes
            asyncio.get_running_loop().call_later(seconds, self._wake_lane, rows)
        return [o for o in left if o.text or o.document is not None or o.photo is not None]

    def _wake_lane(self, rows: list[Nudge]) -> None:
        wake = self.deps.answers_queued  # a lane stopped meanwhile: the next run's sweep finds the rows
        if wake is not None:
            wake(rows)

    async def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """`db.run`, tried again with backoff while the database is unavailable (up to `db_retry_seconds`).

        A step is one transaction, rolled back on failure, and the journal recognises an update handled
        before: running it again is safe. Without this, a reply arriving during a database restart was
        answered with an error and never stored.
        """
        for race in range(RACE_RETRIES + 1):
            try:
                return await patiently(lambda: self.deps.db.run(fn, **kwargs), retryable=database_unavailable,
                                       patience=self.deps.db_retry_seconds, what=UNAVAILABLE)
            except IntegrityError:
                if race == RACE_RETRIES:
                    raise
        raise AssertionError("unreachable")

    async def record_sent(self, *, platform: str, chat_id: str, message_id: str, link: Link,
                          user_id: str | None = None) -> None:
        """Remember what a sent message is about, so replies to it find their task."""
        await self.run(
            link_message, platform=platform, chat_id=chat_id, message_id=message_id, now=self.deps.now(),
            task_id=link.task_id, period_id=link.period_id, unit_id=link.unit_id, kind=link.kind,
            report_id=link.report_id, user_id=user_id,
        )


def _plain(step: Step, session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    return step(session, deps, event)


def _once(step: Step, session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """The step, unless this update was handled before; journalled in the step's transaction if it did not."""
    if already_handled(session=session, event=event):
        return []
    outgoing = step(session, deps, event)
    if not already_handled(session=session, event=event):
        journal(session=session, event=event, kind="command" if event.text.startswith("/") else "text",
                now=deps.now())
    return outgoing
