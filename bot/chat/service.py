"""The async face of the conversation: flood control, one transaction per step, links recorded after sending."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session

from bot import messages as msg
from bot.chat.context import ChatDeps
from bot.chat.types import Incoming, Link, Outgoing
from storage.reports import link_message

Step = Callable[[Session, ChatDeps, Incoming], list[Outgoing]]
T = TypeVar("T")
log = logging.getLogger(__name__)
RACE_RETRIES = 3  # two replies for one task at once may both pick the same report version


def database_unavailable(exc: BaseException) -> bool:
    """A lost connection, a refused one or a locked SQLite file: worth trying the whole step again."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


class ChatService:
    def __init__(self, deps: ChatDeps) -> None:
        self.deps = deps

    async def handle(self, step: Step, event: Incoming) -> list[Outgoing]:
        allowed, warn = self.deps.flood.allow(f"{event.platform}:{event.user_id}")
        if not allowed:
            return [Outgoing(text=msg.FLOOD, toast=msg.FLOOD)] if warn else []
        return await self.run(lambda session: step(session, self.deps, event))

    async def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """`db.run`, tried again with backoff while the database is unavailable (up to `db_retry_seconds`).

        A step is one transaction, rolled back on failure, and the journal recognises an update handled
        before: running it again is safe. Without this, a reply arriving during a database restart was
        answered with an error and never stored.
        """
        deadline = time.monotonic() + self.deps.db_retry_seconds
        delay, races = 0.1, 0
        while True:
            try:
                return await self.deps.db.run(fn, **kwargs)
            except IntegrityError:
                races += 1
                if races > RACE_RETRIES:
                    raise
            except DBAPIError as exc:
                if not database_unavailable(exc) or time.monotonic() + delay > deadline:
                    raise
                log.warning("database unavailable (%s); trying again in %.1f s", exc.__class__.__name__, delay)
                await asyncio.sleep(delay)
                delay = min(5.0, delay * 2)

    async def record_sent(self, *, platform: str, chat_id: str, message_id: str, link: Link) -> None:
        """Remember what a sent message is about, so replies to it find their task."""
        await self.run(
            link_message, platform=platform, chat_id=chat_id, message_id=message_id, now=self.deps.now(),
            task_id=link.task_id, period_id=link.period_id, unit_id=link.unit_id, kind=link.kind,
            report_id=link.report_id,
        )
