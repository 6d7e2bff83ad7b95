"""The shape of a reporting period, shared by the layers without tying them together.

A `bot.calendar.ReportingPeriod`, a stored `ReportingPeriodRow` and the planner's period facts all have it;
storage stores what has it and the calendar's rules choose among what has it.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol


class PeriodShape(Protocol):
    @property
    def key(self) -> str: ...  # "2026-Q2", "2026-H1", "2026", "2026-06", an ad hoc request's key
    @property
    def kind(self) -> str: ...  # a bot.calendar.Frequency value: "quarterly", ..., "ad_hoc"
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def cutoff(self) -> date: ...  # the first day on which a report is late
