"""Reporting periods, the tasks a unit must report on, and the append-only status reports.

Plain queries only: which periods a plan has is the calendar's rule and which tasks are still owed is the
overdue rule (both in the domain, bot/periods.py); storage stores the periods it is given and answers facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.base.period import PeriodShape
from storage import tally
from storage.models import (
    AssignmentRole,
    MessageLink,
    Plan,
    ReportingPeriodRow,
    Status,
    StatusReport,
    Task,
    TaskAssignment,
)
from storage.tally import PeriodSpan


def sync_periods(*, session: Session, plan_id: int, wanted: Sequence[PeriodShape], years: list[int],
                 now: datetime) -> list[ReportingPeriodRow]:
    """Make the plan's calendar periods of `years` the `wanted` ones (idempotent), returned in cutoff order.

    Missing periods are created; a period whose dates or cutoff are now wanted differently is updated; a
    calendar period of those years no longer wanted is removed unless a unit has reported for it (its reports
    are kept, and so is the period). Ad hoc periods are left alone."""
    existing = {p.key: p for p in session.exec(select(ReportingPeriodRow).where(ReportingPeriodRow.plan_id == plan_id))}
    by_key = {period.key: period for period in wanted}
    before = [PeriodSpan(p.id, p.key, p.kind, p.start, p.end, p.cutoff) for p in existing.values()]
    touched: list[ReportingPeriodRow] = []
    changed = False
    for key, period in by_key.items():
        kind = str(period.kind)
        row = existing.get(key)
        if row is None:
            row = ReportingPeriodRow(plan_id=plan_id, key=period.key, kind=kind, start=period.start,
                                     end=period.end, cutoff=period.cutoff, created_at=now)
            session.add(row)
            existing[key] = row
            touched.append(row)
        elif (row.kind, row.start, row.end, row.cutoff) != (kind, period.start, period.end, period.cutoff):
            row.kind, row.start, row.end, row.cutoff = kind, period.start, period.end, period.cutoff
            session.add(row)
            touched.append(row)
    stale = [row for key, row in existing.items() if row.kind != "ad_hoc" and key not in by_key
             and row.id is not None and row.end.year in years]
    if stale:
        reported = set(session.exec(select(StatusReport.period_id).where(
            StatusReport.period_id.in_([row.id for row in stale]))).all())  # type: ignore[union-attr]
        for row in stale:
            if row.id not in reported:
                session.delete(row)
                del existing[row.key]
                changed = True
    session.flush()
    if changed or touched:  # the new and moved periods counted, and those whose earlier periods moved
        tally.refresh_periods(session, plan_id=plan_id, before=before,
                              touched={row.id for row in touched if row.id is not None})
    return sorted((p for p in existing.values() if p.kind != "ad_hoc"), key=lambda p: (p.cutoff, p.end - p.start))


def period_row(*, session: Session, plan_id: int, key: str) -> ReportingPeriodRow | None:
    return session.exec(select(ReportingPeriodRow).where(
        ReportingPeriodRow.plan_id == plan_id, ReportingPeriodRow.key == key)).first()


@dataclass
class UnitTask:
    """A task a unit holds, its standing report for a period (if any), and whether it reported it done in an
    earlier period of the plan (a fact; what that means for this period is the domain's rule)."""

    task: Task
    role: str  # lead | support
    report: StatusReport | None
    done_earlier: bool


def standing_reports(*, session: Session, period_id: int, unit_ids: list[int] | None = None
                     ) -> dict[tuple[int, int], StatusReport]:
    """The standing version per (task, unit) for a period (`current`, kept by record_status), retractions
    removed. One query."""
    query = select(StatusReport).where(StatusReport.period_id == period_id,
                                       StatusReport.current.is_(True))  # type: ignore[attr-defined]
    if unit_ids is not None:
        query = query.where(StatusReport.unit_id.in_(unit_ids))  # type: ignore[attr-defined]
    return {(r.task_id, r.unit_id): r for r in session.exec(query) if r.status != Status.RETRACTED}


def done_before(*, session: Session, plan_id: int, before: date, unit_ids: list[int] | None = None
                ) -> set[tuple[int, int]]:
    """(task, unit) pairs whose standing report in an earlier period of the plan is `done`."""
    earlier = [p.id for p in session.exec(select(ReportingPeriodRow).where(
        ReportingPeriodRow.plan_id == plan_id, ReportingPeriodRow.cutoff < before))]
    result: set[tuple[int, int]] = set()
    for period_id in earlier:
        assert period_id is not None
        for key, report in standing_reports(session=session, period_id=period_id, unit_ids=unit_ids).items():
            if report.status == Status.DONE:
                result.add(key)
    return result


def unit_tasks(*, session: Session, plan_id: int, unit_id: int, period: ReportingPeriodRow,
               roles: tuple[str, ...] = (AssignmentRole.LEAD,)) -> list[UnitTask]:
    """A unit's active tasks and targets for a period (lead tasks by default), in plan order."""
    assert period.id is not None
    rows = session.exec(
        select(Task, TaskAssignment.role).join(TaskAssignment, TaskAssignment.task_id == Task.id)
        .where(Task.plan_id == plan_id, TaskAssignment.unit_id == unit_id,
               TaskAssignment.role.in_(roles), Task.active.is_(True),  # type: ignore[attr-defined]
               Task.kind.in_(("task", "target")))  # type: ignore[attr-defined]
        .order_by(Task.position, Task.id)
    ).all()
    reports = standing_reports(session=session, period_id=period.id, unit_ids=[unit_id])
    finished = done_before(session=session, plan_id=plan_id, before=period.cutoff, unit_ids=[unit_id])
    result = []
    for task, role in rows:
        assert task.id is not None
        result.append(UnitTask(task=task, role=role, report=reports.get((task.id, unit_id)),
                               done_earlier=(task.id, unit_id) in finished))
    return result


def record_status(*, session: Session, task_id: int, unit_id: int, period: ReportingPeriodRow, now: datetime,
                  today: date, status: str, member_id: int | None = None, percent: int | None = None,
                  expected_date: date | None = None, blocker: str | None = None, note: str | None = None,
                  quantities: list[dict[str, Any]] | None = None, raw_text: str | None = None,
                  document_ref: str | None = None, caveat: str | None = None,
                  source: str = "reply", platform: str | None = None, chat_id: str | None = None,
                  message_id: str | None = None) -> StatusReport:
    """Append a new version. Late when the period's cutoff has passed and no on-time report stood before."""
    previous = latest_report(session=session, task_id=task_id, unit_id=unit_id, period_id=period.id)
    standing_before = previous if previous is not None and previous.status != Status.RETRACTED else None
    late = today >= period.cutoff and (standing_before is None or standing_before.late)
    for _attempt in range(3):
        version = (previous.version + 1) if previous is not None else 1
        report = StatusReport(
            task_id=task_id, unit_id=unit_id, period_id=period.id, member_id=member_id, version=version,
            status=status, percent=percent, expected_date=expected_date, blocker=blocker, note=note,
            quantities=quantities or [], document_ref=document_ref, caveat=caveat, raw_text=raw_text,
            source=source, platform=platform, chat_id=chat_id,
            message_id=message_id, late=late, created_at=now, current=True,
        )
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
                _supersede(session, report)
                # a report changes no line; the later periods look at this one's done reports only (a line
                # done earlier is carried), so a report that neither is nor replaces a done one counts here alone
                done = Status.DONE.value
                alone = status != done and (previous is None or previous.status != done)
                tally.refresh_units(session, plan_id=period.plan_id, unit_ids=[unit_id], since=period.cutoff,
                                    same_lines=True, period_id=period.id if alone else None)
            return report
        except IntegrityError:  # another writer took this version number: read again and retry
            previous = latest_report(session=session, task_id=task_id, unit_id=unit_id, period_id=period.id)
    raise RuntimeError("could not append a status version after 3 attempts")


def _supersede(session: Session, report: StatusReport) -> None:
    """Clear `current` on the older versions of the report's (task, unit, period): the new one stands."""
    session.execute(
        update(StatusReport)
        .where(StatusReport.task_id == report.task_id, StatusReport.unit_id == report.unit_id,
               StatusReport.period_id == report.period_id, StatusReport.version < report.version,
               StatusReport.current.is_(True))  # type: ignore[attr-defined]
        .values(current=False)
    )


def latest_report(*, session: Session, task_id: int, unit_id: int, period_id: int | None) -> StatusReport | None:
    return session.exec(select(StatusReport).where(
        StatusReport.task_id == task_id, StatusReport.unit_id == unit_id, StatusReport.period_id == period_id,
    ).order_by(StatusReport.version.desc())).first()  # type: ignore[attr-defined]


def report_for_message(*, session: Session, platform: str, chat_id: str, message_id: str) -> StatusReport | None:
    """The latest report recorded from a given staff message (to apply an edit of that message)."""
    return session.exec(select(StatusReport).where(
        StatusReport.platform == platform, StatusReport.chat_id == chat_id, StatusReport.message_id == message_id,
    ).order_by(StatusReport.id.desc())).first()  # type: ignore[union-attr]


def undo_report(*, session: Session, report_id: int, now: datetime, today: date,
                member_id: int | None) -> StatusReport | None:
    """Undo a report: if it is still the standing version, append the version before it (or a retraction).
    Returns the new version, or None when the report was already superseded."""
    report = session.get(StatusReport, report_id)
    if report is None:
        return None
    latest = latest_report(session=session, task_id=report.task_id, unit_id=report.unit_id,
                           period_id=report.period_id)
    if latest is None or latest.id != report.id:
        return None
    before = session.exec(select(StatusReport).where(
        StatusReport.task_id == report.task_id, StatusReport.unit_id == report.unit_id,
        StatusReport.period_id == report.period_id, StatusReport.version < report.version,
    ).order_by(StatusReport.version.desc())).first()  # type: ignore[attr-defined]
    period = session.get(ReportingPeriodRow, report.period_id)
    assert period is not None
    fields: dict[str, Any] = {"status": Status.RETRACTED}
    if before is not None and before.status != Status.RETRACTED:
        fields = {k: getattr(before, k) for k in ("status", "percent", "expected_date", "blocker", "note",
                                                   "quantities", "document_ref", "caveat", "raw_text")}
    return record_status(session=session, task_id=report.task_id, unit_id=report.unit_id, period=period, now=now,
                         today=today, member_id=member_id, source="undo", **fields)


def link_message(*, session: Session, platform: str, chat_id: str, message_id: str, now: datetime,
                 task_id: int | None = None, period_id: int | None = None, unit_id: int | None = None,
                 kind: str = "task_card", report_id: int | None = None, user_id: str | None = None) -> None:
    existing = find_link(session=session, platform=platform, chat_id=chat_id, message_id=message_id)
    if existing is None:
        session.add(MessageLink(platform=platform, chat_id=chat_id, message_id=message_id, task_id=task_id,
                                period_id=period_id, unit_id=unit_id, kind=kind, report_id=report_id,
                                user_id=user_id, created_at=now))
        session.flush()


def last_link(*, session: Session, platform: str, chat_id: str, user_id: str | None,
              kinds: tuple[str, ...] | None = None, task_id: int | None = None) -> MessageLink | None:
    """The newest message about a task sent to this chat: addressed to `user_id` or to the whole chat."""
    query = select(MessageLink).where(
        MessageLink.platform == platform, MessageLink.chat_id == chat_id,
        MessageLink.task_id.is_not(None),  # type: ignore[union-attr]
        or_(MessageLink.user_id.is_(None), MessageLink.user_id == user_id),  # type: ignore[union-attr]
    )
    if kinds:
        query = query.where(MessageLink.kind.in_(kinds))  # type: ignore[attr-defined]
    if task_id is not None:
        query = query.where(MessageLink.task_id == task_id)
    return session.exec(query.order_by(MessageLink.created_at.desc(), MessageLink.id.desc())).first()  # type: ignore[union-attr]


def find_link(*, session: Session, platform: str, chat_id: str, message_id: str) -> MessageLink | None:
    return session.exec(select(MessageLink).where(
        MessageLink.platform == platform, MessageLink.chat_id == chat_id, MessageLink.message_id == message_id,
    )).first()


def active_plans(*, session: Session) -> list[Plan]:
    return list(session.exec(select(Plan).where(Plan.active.is_(True)).order_by(Plan.id)))  # type: ignore[attr-defined]


def lead_unit_ids(*, session: Session, task_id: int) -> list[int]:
    """The units that lead a task."""
    return list(session.exec(select(TaskAssignment.unit_id).where(
        TaskAssignment.task_id == task_id, TaskAssignment.role == "lead")).all())


def lead_tasks(*, session: Session, unit_id: int) -> list[Task]:
    """The active tasks a unit leads."""
    return list(session.exec(select(Task).join(TaskAssignment, TaskAssignment.task_id == Task.id).where(
        TaskAssignment.unit_id == unit_id, TaskAssignment.role == "lead", Task.active.is_(True),  # type: ignore[attr-defined]
    )).all())
