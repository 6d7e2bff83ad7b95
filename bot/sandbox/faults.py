"""Fault injection for the bot side, reproducible from a seed.

Every bot request draws exactly three numbers from the RNG, whatever the configuration, so one seed
gives one sequence of faults. Kinds:
- error: answered 500 or 502 before the method runs (nothing happened);
- drop: the connection is closed without an answer before the method runs (nothing happened);
- lost_reply: the method runs, then the connection is closed (it happened, but the bot can't know);
- rate_limited: answered 429 with `parameters.retry_after` = `retry_after` before the method runs (nothing
  happened; "ResponseParameters": the bot must wait that long before the request is repeated);
- delay: the answer is held back `delay_seconds` (on top of any other kind).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["ok", "error", "drop", "lost_reply", "rate_limited"]


@dataclass
class FaultConfig:
    error_rate: float = 0.0
    drop_rate: float = 0.0
    lost_reply_rate: float = 0.0
    rate_limited_rate: float = 0.0
    retry_after: int = 60  # seconds, in the 429's parameters
    delay_rate: float = 0.0
    delay_seconds: float = 0.5
    seed: int | None = None
    methods: frozenset[str] | None = None  # lower-case method names; None = every bot method

    def __post_init__(self) -> None:
        rates = (self.error_rate, self.drop_rate, self.lost_reply_rate, self.rate_limited_rate, self.delay_rate)
        if any(not 0.0 <= r <= 1.0 for r in rates) or sum(rates[:4]) > 1.0:
            raise ValueError("fault rates must be within 0..1 and error+drop+lost_reply+rate_limited at most 1")
        if self.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        if self.delay_seconds < 0:
            raise ValueError("delay_seconds must not be negative")

    @property
    def active(self) -> bool:
        return any((self.error_rate, self.drop_rate, self.lost_reply_rate, self.rate_limited_rate, self.delay_rate))

    def to_json(self) -> dict[str, object]:
        data = dict(self.__dict__)
        data["methods"] = sorted(self.methods) if self.methods is not None else None
        return data


@dataclass(frozen=True)
class Decision:
    outcome: Outcome = "ok"
    status: int = 200  # 500 or 502 when outcome == "error", 429 when "rate_limited"
    delay: float = 0.0


@dataclass
class FaultInjector:
    config: FaultConfig = field(default_factory=FaultConfig)
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.config.seed)

    def configure(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)

    def decide(self, method: str) -> Decision:
        cfg = self.config
        if not cfg.active or (cfg.methods is not None and method not in cfg.methods):
            return Decision()
        kind, delay_draw, status_draw = self._rng.random(), self._rng.random(), self._rng.random()
        delay = cfg.delay_seconds if delay_draw < cfg.delay_rate else 0.0
        if kind < cfg.error_rate:
            return Decision("error", 502 if status_draw < 0.5 else 500, delay)
        if kind < cfg.error_rate + cfg.drop_rate:
            return Decision("drop", 0, delay)
        if kind < cfg.error_rate + cfg.drop_rate + cfg.lost_reply_rate:
            return Decision("lost_reply", 0, delay)
        if kind < cfg.error_rate + cfg.drop_rate + cfg.lost_reply_rate + cfg.rate_limited_rate:
            return Decision("rate_limited", 429, delay)
        return Decision("ok", 200, delay)
