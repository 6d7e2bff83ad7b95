"""A plan's reporting periods and what a unit still owes in one: the domain's rules over storage's facts.

Which periods a plan has and which one is being collected are the calendar's rules (bot/calendar.py); when a
task done earlier is carried, so nothing is left to report, is the overdue rule (bot/summary/overdue.py).
Storage (storage/reports.py) stores the periods it is given and answers plain queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.calendar import Frequency, Regime, ReportingPeriod, collecting, periods_for_year, regimes_of
from bot.summary.overdue import carried_done
from storage.models import AssignmentRole, Plan, ReportingPeriodRow, StatusReport, Task
from storage.reports import active_plans, sync_periods, unit_tasks


def plan_regimes(plan: Plan) -> list[Regime]:
    return regimes_of(plan.regimes)


def ensure_periods(*, session: Session, plan: Plan, years: list[int], now: datetime) -> list[ReportingPeriodRow]:
    """The plan's calendar periods for `years` as its regimes say (idempotent), returned in cutoff order;
    see `storage.reports.sync_periods` for what is created, updated and kept."""
    assert plan.id is not None
    regimes = plan_regimes(plan)
    wanted = [period for year in years for period in periods_for_year(year, regimes)]
    return sync_periods(session=session, plan_id=plan.id, wanted=wanted, years=years, now=now)


def ensure_plan_periods(*, session: Session, plan_id: int, years: list[int], now: datetime) -> None:
    """The periods of `years` for the plan `plan_id` exist (a key typed for a summary is looked up among them)."""
    plan = session.get(Plan, plan_id)
    if plan is not None:
        ensure_periods(session=session, plan=plan, years=years, now=now)


def collecting_period(*, session: Session, plan: Plan, today: date, now: datetime) -> ReportingPeriodRow:
    """The shortest period of the plan whose report is being collected on `today` (cutoff not yet reached)."""
    return collecting(ensure_periods(session=session, plan=plan, years=[today.year, today.year + 1], now=now), today)


def plans_collecting(*, session: Session, today: date, now: datetime) -> list[tuple[Plan, ReportingPeriodRow]]:
    """Each active plan with the period it is collecting on `today` (its periods of this year and the next exist
    afterwards, so a typed key can be looked up among them); empty when no plan is active."""
    return [(plan, collecting_period(session=session, plan=plan, today=today, now=now))
            for plan in active_plans(session=session)]


def as_period(row: ReportingPeriodRow) -> ReportingPeriod:
    return ReportingPeriod(row.key, Frequency(row.kind), row.start, row.end, row.cutoff)


@dataclass
class TaskLine:
    """A task as a unit sees it, with its standing report for a period (if any)."""

    task: Task
    role: str  # lead | support
    report: StatusReport | None
    carried: bool = False  # done before this period (bot.summary.overdue.carried_done): nothing left to report


def unit_task_lines(*, session: Session, plan_id: int, unit_id: int, period: ReportingPeriodRow,
                    roles: tuple[str, ...] = (AssignmentRole.LEAD,), only_open: bool = True) -> list[TaskLine]:
    """A unit's tasks for a period: lead tasks by default; `only_open` drops tasks already done earlier
    (in an earlier period or completed before import) and groups."""
    lines = []
    for held in unit_tasks(session=session, plan_id=plan_id, unit_id=unit_id, period=period, roles=roles):
        carried = carried_done(recurrence=held.task.recurrence, completed=held.task.completed,
                               done_earlier=held.done_earlier)
        if only_open and carried:
            continue
        lines.append(TaskLine(task=held.task, role=held.role, report=held.report, carried=carried))
    return lines
