"""Telegram's sending limits as token buckets, with an injectable monotonic clock.

Telegram documents (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages per second overall, about one message per second in one chat (short bursts
allowed), at most 20 messages per minute in one group. Beyond them the answer is 429 with
`parameters.retry_after` in whole seconds.

What counts as a message here (`COUNTED_METHODS`): every method that puts or changes a message in a
chat: send*, copy/forward, and editMessage*. Answering callback queries, deleting, chat actions and
reading methods are free. A refused request consumes nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

COUNTED_METHODS = frozenset({
    "sendmessage", "senddocument", "sendphoto", "sendmediagroup", "sendaudio", "sendvideo", "sendvoice",
    "sendanimation", "sendsticker", "sendlocation", "sendcontact", "sendpoll", "copymessage",
    "forwardmessage", "editmessagetext", "editmessagecaption", "editmessagereplymarkup", "editmessagemedia",
})
_EPSILON = 1e-9  # float refills (1/30 s * 30/s) must give a whole token


@dataclass
class RateLimits:
    """Bucket sizes and refill rates; `enabled=False` turns every check off (fast tests)."""

    enabled: bool = True
    global_per_second: float = 30.0
    global_burst: int = 30
    chat_per_second: float = 1.0
    chat_burst: int = 3
    group_per_minute: float = 20.0
    group_burst: int = 20

    def to_json(self) -> dict[str, float | int | bool]:
        return dict(self.__dict__)


@dataclass
class _Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until one token is there (0 when it already is)."""
        return 0.0 if self.tokens >= 1 - _EPSILON else (1 - self.tokens) / self.rate


@dataclass
class RateLimiter:
    limits: RateLimits = field(default_factory=RateLimits)
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[str, int], _Bucket] = field(default_factory=dict)

    def configure(self, limits: RateLimits) -> None:
        self.limits = limits
        self._buckets.clear()

    def _bucket(self, scope: str, key: int, capacity: float, rate: float, now: float) -> _Bucket:
        bucket = self._buckets.get((scope, key))
        if bucket is None or bucket.capacity != capacity:
            bucket = _Bucket(capacity, rate, capacity, now)
            self._buckets[(scope, key)] = bucket
        bucket.refill(now)
        return bucket

    def acquire(self, chat_id: int, *, is_group: bool) -> int | None:
        """Take one message from every bucket that applies; None if allowed, else retry_after in seconds."""
        if not self.limits.enabled:
            return None
        lim, now = self.limits, self.clock()
        buckets = [
            self._bucket("global", 0, lim.global_burst, lim.global_per_second, now),
            self._bucket("chat", chat_id, lim.chat_burst, lim.chat_per_second, now),
        ]
        if is_group:
            buckets.append(self._bucket("group", chat_id, lim.group_burst, lim.group_per_minute / 60.0, now))
        wait = max(b.wait() for b in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens = max(0.0, bucket.tokens - 1)
        return None
