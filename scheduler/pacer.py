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
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from storage import budget
from storage.database import Database

T = TypeVar("T")
# A row is claimed (and its slot taken) once the next global slot is at most this far away: at 30/s one or two rows
# wait claimed for their slot, enough to keep the pace when a claim's transaction is slow.
CLAIM_AHEAD = 0.05
# Runs inside the claim's transaction (given its session) and takes the bot's next global slot there.
Reserve = Callable[[Any], None]


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
        self._claim_next = 0.0  # when the slot after the last one booked here opens (the claims' just-in-time gate)
        self._turns: list[tuple[int, int, asyncio.Future[None]]] = []  # senders waiting to book a slot
        self._arrivals = itertools.count()
        self._turn_held = False
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
        await self.claim_slot(chat, is_group=is_group, urgent=urgent, claim=_nothing_to_claim)

    async def claim_slot(self, chat: str, *, is_group: bool, urgent: bool,
                         claim: Callable[[Reserve | None], Awaitable[T | None]]) -> T | None:
        """Wait until `chat` may receive, then run `claim(reserve)`: one transaction that takes the row and, on a
        shared pacer, the bot's next global slot (`reserve(session)`, None here: the slot is then taken in this
        process, after the claim). A claim lost to another sender (None) costs no slot. Sleeps until the slot
        and returns what `claim` returned. Just in time: a claim starts only once the next global slot is at most
        CLAIM_AHEAD away, so a crash strands only the rows in flight and the one or two about to go."""
        await self.chat_ready(chat)
        if not urgent:
            while not self._no_urgent.is_set():
                await self._no_urgent.wait()
        if not self.limits.enabled:
            result = await claim(None)
            if result is not None and (wait := self._next_global - self._now()) > 0:
                await asyncio.sleep(wait)
            return result
        if urgent:
            self._urgent += 1
            self._no_urgent.clear()
        try:
            await self._claim_turn(urgent=urgent)
            result, start = await self._claim_global(claim)
        finally:
            if urgent:
                self._urgent -= 1
                if not self._urgent:
                    self._no_urgent.set()
        if result is None:
            return None
        self._claim_next = max(self._claim_next, start + 1.0 / self.limits.per_second)
        interval = self.limits.group_interval if is_group else self.limits.chat_interval
        self._chat_next[chat] = start + interval
        if (wait := start - self._now()) > 0:
            await asyncio.sleep(wait)
        return result

    async def _claim_turn(self, *, urgent: bool) -> None:
        """Wait for this sender's turn (urgent senders first, then in the order they came), then until the next
        global slot is at most CLAIM_AHEAD away, and book it here: the next sender waits for the slot after it.
        A routine sender whose wait ends with an urgent one waiting lets it go first. The turn is not held across
        the claim: a slow transaction delays its own row, not the pace."""
        arrival = next(self._arrivals)
        while True:
            turn = asyncio.get_running_loop().create_future()
            heapq.heappush(self._turns, (0 if urgent else 1, arrival, turn))
            self._pass_turn()
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():  # it was this sender's turn: hand it on
                    self._turn_held = False
                    self._pass_turn()
                raise
            booked = False
            try:
                while urgent or not self._urgent_waiting():
                    now = self._now()
                    if (wait := max(self._claim_next, self._next_global) - now - CLAIM_AHEAD) <= 0:
                        self._claim_next = max(now, self._claim_next, self._next_global) + 1.0 / self.limits.per_second
                        booked = True
                        break
                    await asyncio.sleep(wait)
            finally:
                self._turn_held = False
                self._pass_turn()
            if booked:
                return

    def _urgent_waiting(self) -> bool:
        return bool(self._turns) and self._turns[0][0] == 0

    def _pass_turn(self) -> None:
        while not self._turn_held and self._turns:
            _, _, turn = heapq.heappop(self._turns)
            if not turn.done():
                self._turn_held = True
                turn.set_result(None)

    async def _claim_global(self, claim: Callable[[Reserve | None], Awaitable[T | None]]) -> tuple[T | None, float]:
        """The claim, then (if won) the next global slot of this process: (what `claim` returned, slot start)."""
        result = await claim(None)
        if result is None:
            return None, 0.0
        return result, await self._take_global(self._now())

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


async def _nothing_to_claim(reserve: Reserve | None) -> bool:
    return True  # a slot alone (a retry of a row already claimed): the pacer takes it in its own transaction


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

    async def _claim_global(self, claim: Callable[[Reserve | None], Awaitable[T | None]]) -> tuple[T | None, float]:
        """The claim and the bot's next slot in one transaction: `reserve` runs in the claim's session (after
        the claim won), so an answer costs one transaction, not two, and a lost claim takes no slot."""
        interval = 1.0 / self.limits.per_second
        taken: list[float] = []

        def reserve(session: Any) -> None:
            wall, mono = self._wall(), self._now()  # read in the transaction: the slot as it is when taken
            taken.append(mono + self._reserve_in(session, wall, interval) - wall)

        result = await claim(reserve)
        if result is None:
            return None, 0.0
        if not taken:  # a claim that did not take the slot itself: taken now, in its own transaction
            return result, await self._take_global(self._now())
        return result, max(taken[-1], self._next_global)

    async def _reserve(self, wall: float, interval: float) -> float:
        """The start of the bot's next slot, reserved in its database row (epoch seconds)."""
        def reserve(*, session: Any) -> float:
            return self._reserve_in(session, wall, interval)

        return await self.db.run(reserve)

    def _reserve_in(self, session: Any, wall: float, interval: float) -> float:
        """The bot's next slot, reserved in `session`'s transaction (epoch seconds)."""
        return budget.reserve_slot(session=session, bucket=self.bucket, now=wall, interval=interval)

    async def back_off(self, chat: str, seconds: float, *, everyone: bool = True) -> None:
        self._hold_locally(chat, seconds, everyone=everyone)
        if everyone:
            await self.db.run(budget.hold_until, bucket=self.bucket, until=self._wall() + seconds)
