"""One measured figure, with its target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Result:
    bench: str  # e.g. "readers"
    figure: str  # e.g. "timeframe accuracy"
    value: float
    unit: str = ""  # "ms", "%", "msg/s", "MiB", ...
    target: str = ""  # human text, e.g. "< 1 ms"
    ok: bool | None = None  # None when there is no target

    def formatted(self) -> str:
        value = f"{self.value:.3g}" if isinstance(self.value, float) else str(self.value)
        return f"{value} {self.unit}".strip()

    def line(self) -> str:
        mark = {True: "ok", False: "MISSED", None: ""}[self.ok]
        return f"{self.figure}: {self.formatted()}  (target {self.target or '-'}) {mark}"

    def table_row(self) -> str:
        mark = {True: "yes", False: "**no**", None: "-"}[self.ok]
        return f"| {self.bench} | {self.figure} | {self.formatted()} | {self.target or '-'} | {mark} |"
