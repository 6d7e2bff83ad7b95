"""The shape of a reporting period, shared by the layers without tying them together.

A `bot.calendar.ReportingPeriod`, a stored `ReportingPeriodRow` and the planner's period facts all have it;
storage stores what has it and the calendar's rules choose among what has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


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


P = TypeVar("P", bound=PeriodShape)


def previous_of(periods: Iterable[P], period: PeriodShape) -> P | None:
    """The period of the same kind with the latest cutoff before this one's (the summary's "previous period")."""
    before = [p for p in periods if p.kind == period.kind and p.cutoff < period.cutoff]
    return max(before, key=lambda p: (p.cutoff, p.end), default=None)


def done_windows(periods: Iterable[P], period: PeriodShape) -> tuple[list[P], list[P]]:
    """The periods a line may have been reported done in before `period`: every period of the plan whose cutoff
    comes first (its report was due first), and those of them due by the previous period's cutoff."""
    listed = list(periods)
    earlier = [p for p in listed if p.cutoff < period.cutoff]
    previous = previous_of(listed, period)
    return earlier, [p for p in earlier if previous is not None and p.cutoff <= previous.cutoff]
