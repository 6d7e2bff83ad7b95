"""Our own pacing under Telegram's limits: about 30 messages/s overall, 1/s per chat, 20/min per group.

Steady spacing rather than bursts, so the server's buckets stay full and absorb network jitter: a chat
waits (without holding a sender) until it may send again, then takes the next global slot. A 429 pushes
the chat and the global schedule back by its retry_after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    per_second: float = 30.0  # all chats together
    chat_interval: float = 1.0  # seconds between two messages to one chat
    group_interval: float = 3.0  # 20 per minute in a group
    enabled: bool = True

    @classmethod
    def off(cls) -> Limits:
        return cls(enabled=False)


class Pacer:
    def __init__(self, limits: Limits | None = None, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self._now = monotonic
        self._next_global = 0.0
        self._chat_next: dict[str, float] = {}

    async def chat_ready(self, chat: str) -> None:
        """Wait until `chat` may receive its next message (a 429's back-off holds even with limits off)."""
        while (wait := self._chat_next.get(chat, 0.0) - self._now()) > 0:
            await asyncio.sleep(wait)

    async def slot(self, chat: str, *, is_group: bool) -> None:
        """Take the next global slot for `chat` (call after `chat_ready`), then wait for it."""
        await self.chat_ready(chat)
        now = self._now()
        if not self.limits.enabled:
            if (wait := self._next_global - now) > 0:
                await asyncio.sleep(wait)
            return
        start = max(now, self._next_global)
        self._next_global = start + 1.0 / self.limits.per_second
        interval = self.limits.group_interval if is_group else self.limits.chat_interval
        self._chat_next[chat] = start + interval
        if start > now:
            await asyncio.sleep(start - now)

    def back_off(self, chat: str, seconds: float, *, everyone: bool = True) -> None:
        """Honour a 429: nothing more to `chat` (and, by default, to anyone) for `seconds`."""
        until = self._now() + seconds
        self._chat_next[chat] = max(self._chat_next.get(chat, 0.0), until)
        if everyone:
            self._next_global = max(self._next_global, until)
