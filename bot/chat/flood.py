"""Per-user flood control: a small token bucket per person, kept in memory (it guards, it records nothing).

The rule, the same on every platform (`refusal`): commands, buttons and their typed equivalents on Zalo (a
numbered answer, "hoàn tác", a bare invite code) and answers to other text are flood-controlled per person;
a report on a task (a reply to its card, a typed report) never is, so none is lost. A person over the limit
is told once, then ignored until the bucket refills; other people are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing


@dataclass
class FloodGuard:
    capacity: float = 12.0  # a burst of actions
    refill_per_second: float = 0.5  # then one every two seconds
    monotonic: Callable[[], float] = field(default=lambda: __import__("time").monotonic())
    _buckets: dict[str, tuple[float, float, bool]] = field(default_factory=dict)

    def allow(self, user_key: str) -> tuple[bool, bool]:
        """(allowed, warn): warn is True once, on the first refusal of a run of refusals."""
        now = self.monotonic()
        tokens, last, warned = self._buckets.get(user_key, (self.capacity, now, False))
        tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
        if tokens >= 1:
            self._buckets[user_key] = (tokens - 1, now, False)
            return True, False
        self._buckets[user_key] = (tokens, now, True)
        return False, not warned


def refusal(guard: FloodGuard, event: Incoming) -> list[Outgoing] | None:
    """None if `event`'s sender may go on; else what to answer: the warning once, then nothing."""
    allowed, warn = guard.allow(f"{event.platform}:{event.user_id}")
    if allowed:
        return None
    return [Outgoing(text=msg.FLOOD, toast=msg.FLOOD)] if warn else []
