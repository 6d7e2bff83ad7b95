"""What the sandbox counted: calls per method, errors, 429s, injected faults, webhook deliveries."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    calls: Counter[str] = field(default_factory=Counter)  # per Bot API method, as the bot spelled it
    errors: Counter[str] = field(default_factory=Counter)  # "method:code"
    rate_limited: Counter[str] = field(default_factory=Counter)  # 429s per method
    faults: Counter[str] = field(default_factory=Counter)  # error_500, error_502, drop, lost_reply, delay
    webhook_delivered: int = 0
    webhook_failed: int = 0
    first_ok: dict[str, float] = field(default_factory=dict)  # monotonic time of the first answered call, per method
    last_ok: dict[str, float] = field(default_factory=dict)

    def record_call(self, method: str, status: int) -> None:
        self.calls[method] += 1
        if status < 400:
            now = time.monotonic()
            self.first_ok.setdefault(method, now)
            self.last_ok[method] = now
        if status == 429:
            self.rate_limited[method] += 1
        if status >= 400:
            self.errors[f"{method}:{status}"] += 1

    def reset(self) -> None:
        for counter in (self.calls, self.errors, self.rate_limited, self.faults):
            counter.clear()
        self.first_ok.clear()
        self.last_ok.clear()
        self.webhook_delivered = self.webhook_failed = 0

    def ok_rate(self, method: str) -> float | None:
        """Answered calls of `method` per second, between the first and the last (a sender's pace, not its start-up)."""
        span = self.last_ok.get(method, 0.0) - self.first_ok.get(method, 0.0)
        ok = self.calls[method] - sum(n for key, n in self.errors.items() if key.startswith(f"{method}:"))
        return (ok - 1) / span if span > 0 and ok > 1 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls), "errors": dict(self.errors), "rate_limited": dict(self.rate_limited),
            "rate_limited_total": sum(self.rate_limited.values()), "faults": dict(self.faults),
            "faults_total": sum(self.faults.values()), "webhook_delivered": self.webhook_delivered,
            "webhook_failed": self.webhook_failed,
        }
