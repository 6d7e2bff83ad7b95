"""Our own pacing under Telegram's limits: about 30 messages/s overall, 1/s per chat, 20/min per group.

Steady spacing rather than bursts, so the server's buckets stay full and absorb network jitter: a chat
waits (without holding a sender) until it may send again, then takes the next global slot. A 429 pushes
the chat and the global schedule back by its retry_after.

`SharedPacer` takes its global slots from the database (storage.budget), so that every process sending for one
bot stays under the limit together; per-chat spacing stays in the process (a chat's rows go through one sender).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from storage import budget
from storage.database import Database


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
        self._urgent = 0  # urgent senders waiting for a global slot: routine ones let them go first
        self._no_urgent = asyncio.Event()
        self._no_urgent.set()

    async def chat_ready(self, chat: str) -> None:
        """Wait until `chat` may receive its next message (a 429's back-off holds even with limits off)."""
        while (wait := self._chat_next.get(chat, 0.0) - self._now()) > 0:
            await asyncio.sleep(wait)

    async def slot(self, chat: str, *, is_group: bool, urgent: bool = False) -> None:
        """Take the next global slot for `chat` (call after `chat_ready`), then wait for it. An `urgent` sender
        (an answer to someone who just wrote) is given a slot before any routine one still waiting for one."""
        await self.chat_ready(chat)
        if not urgent:
            while not self._no_urgent.is_set():
                await self._no_urgent.wait()
        now = self._now()
        if not self.limits.enabled:
            if (wait := self._next_global - now) > 0:
                await asyncio.sleep(wait)
            return
        if urgent:
            self._urgent += 1
            self._no_urgent.clear()
        try:
            start = await self._take_global(now)
        finally:
            if urgent:
                self._urgent -= 1
                if not self._urgent:
                    self._no_urgent.set()
        interval = self.limits.group_interval if is_group else self.limits.chat_interval
        self._chat_next[chat] = start + interval
        if start > now:
            await asyncio.sleep(start - now)

    async def _take_global(self, now: float) -> float:
        """The start (on this pacer's clock) of the next global slot, now reserved."""
        start = max(now, self._next_global)
        self._next_global = start + 1.0 / self.limits.per_second
        return start

    async def back_off(self, chat: str, seconds: float, *, everyone: bool = True) -> None:
        """Honour a 429: nothing more to `chat` (and, by default, to anyone) for `seconds`."""
        self._hold_locally(chat, seconds, everyone=everyone)

    def _hold_locally(self, chat: str, seconds: float, *, everyone: bool) -> None:
        until = self._now() + seconds
        self._chat_next[chat] = max(self._chat_next.get(chat, 0.0), until)
        if everyone:
            self._next_global = max(self._next_global, until)


def budget_bucket(platform: str, token: str) -> str:
    """The budget row of one bot: its platform and a fingerprint of its token (never the token itself)."""
    return f"{platform}:{hashlib.sha256(token.encode()).hexdigest()[:16]}"


class SharedPacer(Pacer):
    """A pacer whose global slots come from the database row of the bot (`bucket`): one budget across processes.

    A 429's back-off is written to the row at once, so every process honours it."""

    def __init__(self, db: Database, bucket: str, limits: Limits | None = None,
                 monotonic: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        super().__init__(limits, monotonic)
        self.db, self.bucket, self._wall = db, bucket, wall

    async def _take_global(self, now: float) -> float:
        interval = 1.0 / self.limits.per_second
        wall = self._wall()
        shared = await self._reserve(wall, interval)
        # the slot as reserved; the local schedule only adds a 429's hold (several senders of this process reserve
        # concurrently, and their answers may come back out of order: spacing them again here would overlap them)
        return max(now + (shared - wall), self._next_global)

    async def _reserve(self, wall: float, interval: float) -> float:
        """The start of the bot's next slot, reserved in its database row (epoch seconds)."""
        return await self.db.run(budget.reserve_slot, bucket=self.bucket, now=wall, interval=interval)

    async def back_off(self, chat: str, seconds: float, *, everyone: bool = True) -> None:
        self._hold_locally(chat, seconds, everyone=everyone)
        if everyone:
            await self.db.run(budget.hold_until, bucket=self.bucket, until=self._wall() + seconds)
