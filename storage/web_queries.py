"""Plain queries the web pages need beside the summary: the choices in the filters, a report's versions,
and a stamp that changes whenever something a summary reads has changed (for the pages' cache)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from storage.models import Member, Plan, ReportingPeriodRow, StatusReport, Task, Unit


def data_stamp(*, session: Session) -> tuple[Any, ...]:
    """One query whose answer changes when a summary could: a new report version (reports are append-only,
    an undo or an edit adds a row), a plan re-imported (its updated_at moves), a new period (ad hoc requests),
    a new unit or member (names). Renaming a unit in place is not seen: such a page is fresh on the next day."""
    stamp = select(
        select(func.max(StatusReport.id)).scalar_subquery(),
        select(func.max(Plan.updated_at)).scalar_subquery(),
        select(func.max(ReportingPeriodRow.id)).scalar_subquery(),
        select(func.max(Unit.id)).scalar_subquery(),
        select(func.max(Member.id)).scalar_subquery(),
    )
    return tuple(session.execute(stamp).one())


@dataclass(frozen=True)
class PlanChoice:
    id: int
    label: str
    year: int
    active: bool


def plan_choices(*, session: Session) -> list[PlanChoice]:
    """Every plan, active ones first, newest first."""
    rows = session.execute(select(Plan.id, Plan.number, Plan.title, Plan.year, Plan.active)).all()
    plans = [PlanChoice(r.id, f"Kế hoạch số {r.number}" if r.number else r.title, r.year, bool(r.active))
             for r in rows]
    return sorted(plans, key=lambda p: (not p.active, -p.year, -p.id))


@dataclass(frozen=True)
class PeriodChoice:
    id: int
    key: str
    kind: str
    start: date
    end: date
    cutoff: date


def period_choices(*, session: Session, plan_id: int) -> list[PeriodChoice]:
    """The plan's periods in the order their reports fall due."""
    rows = session.execute(
        select(ReportingPeriodRow.id, ReportingPeriodRow.key, ReportingPeriodRow.kind, ReportingPeriodRow.start,
               ReportingPeriodRow.end, ReportingPeriodRow.cutoff)
        .where(ReportingPeriodRow.plan_id == plan_id)
    ).all()
    periods = [PeriodChoice(*row) for row in rows]
    return sorted(periods, key=lambda p: (p.cutoff, p.end - p.start, p.key))


def task_plan(*, session: Session, task_id: int) -> tuple[int, str, str] | None:
    """(plan_id, code, title) of a task, None when there is no such task."""
    row = session.execute(select(Task.plan_id, Task.code, Task.title).where(Task.id == task_id)).first()
    return (row[0], row[1], row[2]) if row else None


@dataclass(frozen=True)
class ReportVersion:
    """One version of a unit's report on a task for a period, as it was recorded."""

    task_id: int
    unit_id: int
    version: int
    status: str
    percent: int | None
    expected_date: date | None
    blocker: str | None
    note: str | None
    raw_text: str | None
    source: str
    late: bool
    current: bool
    created_at: datetime
    reporter: str | None


def report_versions(*, session: Session, period_id: int, unit_id: int | None = None,
                    task_id: int | None = None) -> list[ReportVersion]:
    """Every version recorded for the period (of one unit, of one task, or both), oldest first."""
    query = (
        select(StatusReport.task_id, StatusReport.unit_id, StatusReport.version, StatusReport.status,
               StatusReport.percent, StatusReport.expected_date, StatusReport.blocker, StatusReport.note,
               StatusReport.raw_text, StatusReport.source, StatusReport.late, StatusReport.current,
               StatusReport.created_at, Member.display_name, Member.user_id)
        .outerjoin(Member, Member.id == StatusReport.member_id)
        .where(StatusReport.period_id == period_id)
        .order_by(StatusReport.task_id, StatusReport.unit_id, StatusReport.version)
    )
    if unit_id is not None:
        query = query.where(StatusReport.unit_id == unit_id)
    if task_id is not None:
        query = query.where(StatusReport.task_id == task_id)
    versions = []
    for row in session.execute(query).all():
        reporter = row.display_name or (f"#{row.user_id}" if row.user_id else None)
        versions.append(ReportVersion(row.task_id, row.unit_id, row.version, row.status, row.percent,
                                      row.expected_date, row.blocker, row.note, row.raw_text, row.source,
                                      bool(row.late), bool(row.current), row.created_at, reporter))
    return versions
