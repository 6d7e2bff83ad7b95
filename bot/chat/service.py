"""The async face of the conversation: flood control, one transaction per step, links recorded after sending."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from bot import messages as msg
from bot.chat.context import ChatDeps
from bot.chat.types import Incoming, Link, Outgoing
from storage.reports import link_message

Step = Callable[[Session, ChatDeps, Incoming], list[Outgoing]]


class ChatService:
    def __init__(self, deps: ChatDeps) -> None:
        self.deps = deps

    async def handle(self, step: Step, event: Incoming) -> list[Outgoing]:
        allowed, warn = self.deps.flood.allow(f"{event.platform}:{event.user_id}")
        if not allowed:
            return [Outgoing(text=msg.FLOOD, toast=msg.FLOOD)] if warn else []
        return await self.deps.db.run(lambda session: step(session, self.deps, event))

    async def record_sent(self, *, platform: str, chat_id: str, message_id: str, link: Link) -> None:
        """Remember what a sent message is about, so replies to it find their task."""
        await self.deps.db.run(
            link_message, platform=platform, chat_id=chat_id, message_id=message_id, now=self.deps.now(),
            task_id=link.task_id, period_id=link.period_id, unit_id=link.unit_id, kind=link.kind,
            report_id=link.report_id,
        )
