"""What the sandbox counted: calls per method, errors, 429s, injected faults, webhook deliveries."""

from __future__ import annotations

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

    def record_call(self, method: str, status: int) -> None:
        self.calls[method] += 1
        if status == 429:
            self.rate_limited[method] += 1
        if status >= 400:
            self.errors[f"{method}:{status}"] += 1

    def reset(self) -> None:
        for counter in (self.calls, self.errors, self.rate_limited, self.faults):
            counter.clear()
        self.webhook_delivered = self.webhook_failed = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls), "errors": dict(self.errors), "rate_limited": dict(self.rate_limited),
            "rate_limited_total": sum(self.rate_limited.values()), "faults": dict(self.faults),
            "faults_total": sum(self.faults.values()), "webhook_delivered": self.webhook_delivered,
            "webhook_failed": self.webhook_failed,
        }
