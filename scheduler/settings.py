"""Per-plan nudge settings: every number the schedule uses, read from Plan.settings with defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import time, timedelta
from typing import Any

from bot.base.errors import UserError


def _time(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


@dataclass(frozen=True)
class NudgeSettings:
    """Defaults follow the issue: 7/3/1 working days before a cutoff, 14/7/1 before a deadline, at 08:00; 2/1 working
    days before the coordinator's own deadline to report upward, where the plan states one (Regime.levels)."""

    cutoff_offsets: tuple[int, ...] = (7, 3, 1)
    deadline_offsets: tuple[int, ...] = (14, 7, 1)
    ad_hoc_offsets: tuple[int, ...] = (3, 1)
    upward_offsets: tuple[int, ...] = (2, 1)
    send_time: str = "08:00"
    escalation_time: str = "08:00"
    summary_time: str = "08:00"
    preview_time: str = "16:00"
    late_digest_time: str = "16:30"
    late_digest_days: int = 10
    window_start: str = "07:30"
    window_end: str = "17:30"
    grace_days: int = 2

    @classmethod
    def from_plan(cls, settings: dict[str, Any] | None) -> NudgeSettings:
        """Read the known keys (a nested "nudges" object or top-level keys); bad values are a UserError."""
        raw = dict((settings or {}).get("nudges") or settings or {})
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if name not in known:
                continue
            try:
                if name.endswith("_offsets"):
                    values[name] = tuple(sorted({int(v) for v in value}, reverse=True))
                    if any(v < 0 for v in values[name]):
                        raise ValueError
                elif name.endswith(("_time", "_start", "_end")):
                    _time(str(value))
                    values[name] = str(value)
                else:
                    values[name] = int(value)
            except (TypeError, ValueError):
                raise UserError(f"Cài đặt nhắc việc «{name}» không hợp lệ: {value!r}.") from None
        return cls(**values)

    def at(self, name: str) -> time:
        return _time(getattr(self, name))

    @property
    def grace(self) -> timedelta:
        return timedelta(days=self.grace_days)
