"""The summary of a plan for one reporting period: plain dataclasses, no ORM objects.

Built by `bot.summary.build.build_summary`; read by the renderers (`render_text`, `render_xlsx`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

NO_REPORT = "no_report"  # a task line with no standing report for the period


class UnitState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    PARTIAL = "partial"  # some of its due lines reported, not all
    MISSING = "missing"  # none reported


def chart_state(*, done: bool, blocked: bool, silent: bool) -> str:
    """A line's segment on the chart: done, blocked (a blocker named, not done), silent (no report) or in
    progress (anything else)."""
    if done:
        return "done"
    if blocked:
        return "blocked"
    return "silent" if silent else "in_progress"


@dataclass(frozen=True, slots=True)
class PlanInfo:
    id: int
    number: str | None  # "125/KH-UBND"
    title: str
    issuer: str | None
    year: int
    coordinator: str | None  # the coordinating unit's name

    def label(self) -> str:
        """ "Kế hoạch số 125/KH-UBND" when the plan has a number, else its title."""
        return f"Kế hoạch số {self.number}" if self.number else self.title


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    id: int
    key: str  # "2026-Q2", "ADHOC-3"
    kind: str  # bot.calendar.Frequency value
    label: str  # "Quý II/2026"
    start: date
    end: date
    cutoff: date  # the first day on which a report is late
    request_text: str | None = None


@dataclass(slots=True)
class TaskLine:
    """One (task, lead unit) pair and where it stands for the period."""

    task_id: int
    code: str
    title: str
    kind: str  # task | target
    section: str | None
    lead_unit_id: int
    lead: str
    supports: tuple[str, ...]
    timeframe: str | None
    deadlines: tuple[date, ...]
    status: str  # storage.models.Status value, or NO_REPORT
    carried: bool = False  # done before this period: nothing left to report
    percent: int | None = None
    note: str | None = None
    blocker: str | None = None
    blocker_category: str | None = None  # bot.summary.blockers category key
    expected_date: date | None = None
    late: bool = False
    overdue: bool = False
    reported_by: str | None = None
    reported_at: datetime | None = None
    overdue_since: date | None = None  # the deadline that passed (bot.summary.overdue), when overdue

    @property
    def is_done(self) -> bool:
        return self.status == "done"

    @property
    def is_blocked(self) -> bool:
        return self.blocker_category is not None

    def ref(self) -> LineRef:
        return LineRef(self.code, self.title, self.lead)

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id, "code": self.code, "title": self.title, "kind": self.kind,
            "section": self.section, "lead": self.lead, "lead_unit_id": self.lead_unit_id,
            "supports": list(self.supports), "timeframe": self.timeframe,
            "deadlines": [d.isoformat() for d in self.deadlines], "status": self.status,
            "carried": self.carried, "percent": self.percent, "note": self.note, "blocker": self.blocker,
            "blocker_category": self.blocker_category,
            "expected_date": self.expected_date.isoformat() if self.expected_date else None,
            "late": self.late, "overdue": self.overdue,
            "overdue_since": self.overdue_since.isoformat() if self.overdue_since else None,
            "reported_by": self.reported_by,
            "reported_at": self.reported_at.isoformat() if self.reported_at else None,
        }


@dataclass(frozen=True, slots=True)
class LineRef:
    code: str
    title: str
    lead: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "lead": self.lead}


@dataclass(slots=True)
class UnitSummary:
    """A lead unit's submission record for the period (only units with something to report)."""

    unit_id: int
    unit: str
    state: UnitState
    reported: int  # due task lines with a standing report
    total: int  # due task lines
    late: int  # standing reports flagged late
    overdue: int
    blocked: int
    done: int  # of all its lines, carried ones included
    lines: int  # all its lines, carried ones included
    reporters: list[str] = field(default_factory=list)  # display names of who answered

    @property
    def completion_rate(self) -> float:
        """Percent of the unit's lines done (carried ones count), one decimal."""
        return round(100.0 * self.done / self.lines, 1) if self.lines else 100.0

    def to_json(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id, "unit": self.unit, "state": self.state.value,
            "reported": self.reported, "total": self.total, "late": self.late, "overdue": self.overdue,
            "blocked": self.blocked, "done": self.done, "lines": self.lines,
            "completion_rate": self.completion_rate,
            "reporters": self.reporters,
        }


@dataclass(frozen=True, slots=True)
class BlockerItem:
    category: str
    text: str
    code: str
    title: str
    lead: str

    def to_json(self) -> dict[str, str]:
        return {"category": self.category, "text": self.text, "code": self.code, "title": self.title,
                "lead": self.lead}


@dataclass(slots=True)
class Totals:
    lines: int  # every (task, lead unit) pair of the plan
    by_status: dict[str, int]
    done: int
    completion_rate: float  # percent of lines done, one decimal
    units_total: int  # units that had something to report
    units_on_time: int
    units_late: int
    units_missing: int
    overdue: int
    blocked: int
    blockers: dict[str, list[BlockerItem]]  # category key -> items, categories in their fixed order
    units_partial: int = 0  # units that reported some of their due lines, not all

    @property
    def units_reported(self) -> int:
        return self.units_on_time + self.units_late

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines, "by_status": self.by_status, "done": self.done,
            "completion_rate": self.completion_rate, "units_total": self.units_total,
            "units_reported": self.units_reported, "units_on_time": self.units_on_time,
            "units_late": self.units_late, "units_partial": self.units_partial, "units_missing": self.units_missing,
            "overdue": self.overdue,
            "blocked": self.blocked,
            "blockers": {key: [b.to_json() for b in items] for key, items in self.blockers.items()},
        }


@dataclass(slots=True)
class Changes:
    """What moved since the previous period of the same kind (None fields: there was none)."""

    previous_key: str | None = None
    previous_label: str | None = None
    previous_completion_rate: float | None = None
    completion_rate_delta: float | None = None
    newly_done: list[LineRef] = field(default_factory=list)
    newly_blocked: list[LineRef] = field(default_factory=list)
    # an aggregate summary's (build_summary(detail=False)) number of lines newly done, counted from the groups
    # without naming them: `newly_done` is then empty
    newly_done_count: int | None = None

    def newly_done_total(self) -> int:
        """How many lines are newly done (named or only counted)."""
        return len(self.newly_done) if self.newly_done_count is None else self.newly_done_count

    def to_json(self) -> dict[str, Any]:
        found = {
            "previous_period": self.previous_key, "previous_label": self.previous_label,
            "previous_completion_rate": self.previous_completion_rate,
            "completion_rate_delta": self.completion_rate_delta,
            "newly_done": [r.to_json() for r in self.newly_done],
            "newly_blocked": [r.to_json() for r in self.newly_blocked],
        }
        if self.newly_done_count is not None:
            found["newly_done_count"] = self.newly_done_count
        return found


@dataclass(slots=True)
class UnassignedTask:
    code: str
    title: str
    names: tuple[str, ...]  # the lead names the plan wrote, which the directory does not resolve

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "names": list(self.names)}


@dataclass(slots=True)
class Summary:
    plan: PlanInfo
    period: PeriodInfo
    generated_at: datetime  # the `now` it was computed for (aware)
    units: list[UnitSummary]
    tasks: list[TaskLine]
    totals: Totals
    changes: Changes
    unit_filter: int | None = None  # set when the summary covers one lead unit only
    # reported tasks with no lead unit: nobody is nudged for them, so they are said, never dropped silently
    unassigned: list[UnassignedTask] = field(default_factory=list)
    # False for an aggregate summary (build_summary(detail=False)): `tasks` is empty, every figure is there and
    # `overdue_sample` holds the first overdue lines in plan order (bot.summary.build.OVERDUE_SAMPLE)
    detail: bool = True
    overdue_sample: list[TaskLine] = field(default_factory=list)
    # an aggregate summary's lines by lead unit and chart state (chart_state), which the chart draws
    unit_states: dict[int, dict[str, int]] = field(default_factory=dict)

    def missing_units(self) -> list[UnitSummary]:
        """The units that have not reported on every due line (partly or not at all)."""
        return [u for u in self.units if u.state in (UnitState.MISSING, UnitState.PARTIAL)]

    def overdue_tasks(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.overdue]

    def blocked_tasks(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.is_blocked]
