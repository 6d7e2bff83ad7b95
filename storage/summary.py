"""The rows a summary is computed from: plain, keyword-only queries, no summary rules.

What the rows mean (late, overdue, a standing report, a line carried as done) is decided in `bot.summary.build`,
which passes every rule-bearing value in (the task kinds that are reported, the statuses to leave out, the
deadline sets it judged overdue, the earlier periods to look in). Large results are read from the driver's
cursor as plain tuples (see `_rows`); `now` is never needed here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    true,
    tuple_,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session

from storage.models import (
    BLOCKED_STANDING,
    AssignmentRole,
    LineTally,
    Member,
    PeriodTally,
    Plan,
    ReportingPeriodRow,
    StatusReport,
    Task,
    TaskAssignment,
    Unit,
)

_report = StatusReport.__table__
_period = ReportingPeriodRow.__table__
_task = Task.__table__
_assignment = TaskAssignment.__table__
_member = Member.__table__
_unit = Unit.__table__
_tally = LineTally.__table__

ORDER_SHIFT = 2**32  # line_counts' first_line: position * ORDER_SHIFT + task_id (plan order up to the lead's name)


def _rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """The rows as the driver gives them. The statement runs through SQLAlchemy (compiled-statement cache,
    events, the session's transaction), but rows are read from the DBAPI cursor: no Row objects and no
    per-value type hooks, which cost more than the query itself at a hundred thousand rows. Values are
    therefore the driver's own (SQLite: 0/1 and ISO text for booleans and dates); callers convert them."""
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def plan_row(*, session: Session, plan_id: int) -> tuple[Any, ...] | None:
    """(id, number, title, issuer, year, the coordinating unit's name) of the plan, or None."""
    coordinator = aliased(Unit)
    row = session.execute(
        select(Plan.id, Plan.number, Plan.title, Plan.issuer, Plan.year, coordinator.name)
        .outerjoin(coordinator, coordinator.id == Plan.coordinator_unit_id)
        .where(Plan.id == plan_id)
    ).first()
    return None if row is None else tuple(row)


def plan_refs(*, session: Session) -> list[tuple[Any, ...]]:
    """(id, number, title, active) of every plan, by id."""
    return [tuple(r) for r in session.execute(select(Plan.id, Plan.number, Plan.title, Plan.active).order_by(Plan.id))]


def period_rows(*, session: Session, plan_id: int) -> list[tuple[Any, ...]]:
    """(id, key, kind, start, end, cutoff, request_text) of the plan's periods."""
    rows = session.execute(
        select(_period.c.id, _period.c.key, _period.c.kind, _period.c.start, _period.c.end, _period.c.cutoff,
               _period.c.request_text)
        .where(_period.c.plan_id == plan_id)
    ).all()
    return [tuple(r) for r in rows]


def _plan_tasks(plan_id: int, kinds: Collection[str]) -> tuple[Any, ...]:
    """This plan's tasks of these kinds that the plan still lists (`Task.active`)."""
    return _task.c.plan_id == plan_id, _task.c.kind.in_(list(kinds)), _task.c.active.is_(True)


def _lead() -> Any:
    return and_(_assignment.c.task_id == _task.c.id, _assignment.c.role == AssignmentRole.LEAD)


def line_rows(*, session: Session, plan_id: int, kinds: Collection[str], unit_id: int | None = None,
              task_ids: Any = None, unassigned: bool = False) -> list[tuple[Any, ...]]:
    """One row per (task, lead unit) of the plan's active tasks of `kinds` (of one lead unit; of the tasks in
    `task_ids`, a list or a subquery): (task_id, code, kind, section, position, title, timeframe, deadlines as
    JSON text, completed, lead unit id, recurrence). With `unassigned` (and no `unit_id`), the tasks with no
    lead unit come too, one row each with lead unit id None: the same scan, where a query of their own
    (unassigned_rows) looks up every task's assignments again."""
    query = (
        select(_task.c.id, _task.c.code, _task.c.kind, _task.c.section, _task.c.position, _task.c.title,
               _task.c.timeframe_raw, cast(_task.c.deadlines, Text), _task.c.completed, _assignment.c.unit_id,
               _task.c.recurrence)
        .join(_assignment, _lead(), isouter=unassigned and unit_id is None)
        .where(*_plan_tasks(plan_id, kinds))
    )
    if unit_id is not None:
        query = query.where(_assignment.c.unit_id == unit_id)
    if task_ids is not None:
        query = query.where(_task.c.id.in_(task_ids))
    return _rows(session, query)


def support_rows(*, session: Session, plan_id: int, kinds: Collection[str], unit_id: int | None = None,
                 task_ids: Any = None) -> list[tuple[Any, ...]]:
    """(task_id, unit_id, via_group) of the support assignments of those tasks (of one lead unit's tasks; of
    the tasks in `task_ids`)."""
    query = (
        select(_assignment.c.task_id, _assignment.c.unit_id, _assignment.c.via_group)
        .join(_task, _task.c.id == _assignment.c.task_id)
        .where(*_plan_tasks(plan_id, kinds), _assignment.c.role == AssignmentRole.SUPPORT)
    )
    if unit_id is not None:  # the unit's led tasks first (ix_assignment_unit_role), not every support row checked
        led = aliased(_assignment)
        query = query.where(_assignment.c.task_id.in_(
            select(led.c.task_id).where(led.c.unit_id == unit_id, led.c.role == AssignmentRole.LEAD)))
    if task_ids is not None:
        query = query.where(_assignment.c.task_id.in_(task_ids))
    return _rows(session, query)


def unit_names(*, session: Session) -> dict[int, str]:
    return dict(_rows(session, select(_unit.c.id, _unit.c.name)))


def unassigned_rows(*, session: Session, plan_id: int, kinds: Collection[str]) -> list[tuple[Any, ...]]:
    """(code, title, lead names as written) of those tasks with no lead assignment, in plan order."""
    lead = select(_assignment.c.id).where(_lead())
    query = (select(_task.c.code, _task.c.title, _task.c.lead_names)
             .where(*_plan_tasks(plan_id, kinds), ~lead.exists()).order_by(_task.c.position, _task.c.id))
    return [tuple(r) for r in session.execute(query)]


def _created_at(session: Session) -> tuple[Any, Callable[[Any], datetime]]:
    """created_at as selected, and the function that makes it an aware UTC datetime. SQLite stores naive
    UTC text: the offset is appended in SQL so that one fromisoformat call does it all; PostgreSQL's driver
    returns aware datetimes in the session's time zone."""
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(_report.c.created_at, Text).concat("+00:00"), datetime.fromisoformat
    return _report.c.created_at, _as_utc


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _reporter() -> Any:
    """The member's display name, else "#<user id>" (NULL without a member)."""
    return func.coalesce(func.nullif(_member.c.display_name, ""),
                         literal("#").concat(func.nullif(_member.c.user_id, "")))


def current_rows(*, session: Session, period_id: int, except_statuses: Collection[str] = (),
                 unit_id: int | None = None, task_ids: Any = None
                 ) -> tuple[list[tuple[Any, ...]], Callable[[Any], datetime]]:
    """The `current` version of each (task, unit) in the period (StatusReport.current, kept on the highest
    version by storage.reports.record_status; index ix_report_current), as rows (task_id, unit_id, period_id,
    status, percent, expected_date, blocker, note, late, created_at, reporter), and the reader of created_at."""
    created_at, read_time = _created_at(session)
    query = (
        select(_report.c.task_id, _report.c.unit_id, _report.c.period_id, _report.c.status, _report.c.percent,
               _report.c.expected_date, _report.c.blocker, _report.c.note, _report.c.late, created_at, _reporter())
        .select_from(_report.outerjoin(_member, _member.c.id == _report.c.member_id))
        .where(_report.c.period_id == period_id, _report.c.current == true())
    )
    if except_statuses:
        query = query.where(_report.c.status.not_in(list(except_statuses)))
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    if task_ids is not None:
        query = query.where(_report.c.task_id.in_(task_ids))
    return _rows(session, query), read_time


def blocker_rows(*, session: Session, period_id: int, unit_id: int | None = None) -> list[tuple[Any, ...]]:
    """(task_id, unit_id, status, blocker) of the period's current reports with status "blocked" or a blocker
    text, read from the partial index ix_report_blocked alone (the query repeats its condition)."""
    query = (
        select(_report.c.task_id, _report.c.unit_id, _report.c.status, _report.c.blocker)
        .where(_report.c.period_id == period_id, BLOCKED_STANDING)
    )
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    return _rows(session, query)


def _current_with_status(period_ids: Collection[int], status: str, unit_id: int | None) -> Any:
    query = select(_report.c.task_id, _report.c.unit_id, _report.c.period_id).where(
        _report.c.period_id.in_(list(period_ids)), _report.c.current == true(), _report.c.status == status)
    return query if unit_id is None else query.where(_report.c.unit_id == unit_id)


def status_rows(*, session: Session, period_ids: Collection[int], status: str, unit_id: int | None = None,
                task_ids: Any = None) -> list[tuple[Any, ...]]:
    """(task_id, unit_id, period_id) of the current reports with this status in these periods (read from
    ix_report_current alone, which covers these columns)."""
    query = _current_with_status(period_ids, status, unit_id)
    if task_ids is not None:
        query = query.where(_report.c.task_id.in_(task_ids))
    return _rows(session, query)


def task_deadlines(*, session: Session, plan_id: int, kinds: Collection[str], unit_id: int | None = None
                   ) -> list[tuple[Any, ...]]:
    """The distinct (deadlines as JSON text, recurrence) of the lines (of one lead unit)."""
    query = select(cast(_task.c.deadlines, Text), _task.c.recurrence).where(*_plan_tasks(plan_id, kinds)).distinct()
    if unit_id is not None:
        query = query.join(_assignment, _lead()).where(_assignment.c.unit_id == unit_id)
    return _rows(session, query)


def _marked(marked: Sequence[tuple[str, str | None]] | None) -> Any:
    """1 when the task's (deadlines text, recurrence) is one of `marked`, else 0; the deadlines text itself
    when `marked` is None."""
    deadlines = cast(_task.c.deadlines, Text)
    if marked is None:
        return deadlines
    if not marked:
        return literal(0)
    return case((tuple_(deadlines, _task.c.recurrence).in_(list(marked)), 1), else_=0)


def _done_classes(done_in: Collection[int], done_by: Collection[int], status_done: str,
                  unit_ids: Collection[int] | None) -> Any:
    """(task_id, unit_id, done class) of the pairs with a current `status_done` report in a period of `done_in`:
    2 when one is in a period of `done_by` (a subset of `done_in`), else 1."""
    report = _report
    done = select(
        report.c.task_id, report.c.unit_id,
        func.max(case((report.c.period_id.in_(_ids(done_by)), 2), else_=1)).label("done_class"),
    ).where(report.c.period_id.in_(_ids(done_in)), report.c.current == true(),
            report.c.status == status_done).group_by(report.c.task_id, report.c.unit_id)
    if unit_ids is not None:
        done = done.where(report.c.unit_id.in_(_ids(unit_ids)))
    return done.subquery("done_before")


def _ids(values: Collection[int] | BindParameter[Any]) -> Any:
    """Ids for an IN: a list (never empty: an impossible id stands in), or an expanding bind parameter given
    at execution (a statement built once: storage.tally)."""
    return values if isinstance(values, BindParameter) else (list(values) or [-1])


def line_groups(*, plan_id: int, kinds: Collection[str], period_id: int, status_done: str, done_in: Collection[int],
                done_by: Collection[int], marked: Sequence[tuple[str, str]] | None,
                unit_ids: Collection[int] | None = None, unassigned: bool = False) -> Any:
    """The statement of line_counts (of the lines of `unit_ids`; of the tasks with no lead unit alone when
    `unassigned`)."""
    report = _report
    done = _done_classes(done_in, done_by, status_done, unit_ids)
    keys = (_assignment.c.unit_id, _task.c.recurrence, _task.c.completed, func.coalesce(done.c.done_class, 0),
            _marked(marked), report.c.status, report.c.late, report.c.member_id)
    first = func.min(cast(_task.c.position, BigInteger) * ORDER_SHIFT + _task.c.id)
    query = (
        select(*keys, func.count(), first)
        .select_from(
            _task.outerjoin(_assignment, _lead())
            .outerjoin(report, and_(report.c.task_id == _task.c.id, report.c.unit_id == _assignment.c.unit_id,
                                    report.c.period_id == period_id, report.c.current == true()))
            .outerjoin(done, and_(done.c.task_id == _task.c.id, done.c.unit_id == _assignment.c.unit_id))
        )
        .where(*_plan_tasks(plan_id, kinds))
        .group_by(*keys)
    )
    if unit_ids is not None:
        query = query.where(_assignment.c.unit_id.in_(_ids(unit_ids)))
    if unassigned:
        query = query.where(_assignment.c.unit_id.is_(None))
    return query


def line_counts(*, session: Session, plan_id: int, kinds: Collection[str], period_id: int, status_done: str,
                done_in: Collection[int], done_by: Collection[int], marked: Sequence[tuple[str, str]] | None,
                unit_id: int | None = None) -> list[tuple[Any, ...]]:
    """The lines counted in groups, one query: rows (lead unit id, recurrence, completed, done class, mark,
    status of the line's current report in the period or NULL, its late flag, its member id, number of lines,
    first line). Done class: see `_done_classes` (0 when the line has no such report). Mark: see `_marked`.
    First line: the smallest position * ORDER_SHIFT + task_id of the group. Tasks with no lead unit come in
    groups whose unit id is NULL (none when `unit_id` is given)."""
    query = line_groups(plan_id=plan_id, kinds=kinds, period_id=period_id, status_done=status_done, done_in=done_in,
                        done_by=done_by, marked=marked, unit_ids=None if unit_id is None else [unit_id])
    if session.get_bind().dialect.name == "postgresql":  # grouped in memory, not sorted on disk (4 MB default)
        session.connection().exec_driver_sql("SET LOCAL work_mem = '64MB'")
    return _rows(session, query)


def tallied_sets(*, session: Session, period_id: int, unit_id: int | None = None) -> list[tuple[Any, ...]] | None:
    """The distinct (deadlines as JSON text, recurrence) of the period's lines as counted at write time
    (storage.tally; those of task_deadlines), None when the period has no complete tally."""
    if session.get(PeriodTally, period_id) is None:
        return None
    query = select(_tally.c.deadlines, _tally.c.recurrence).where(_tally.c.period_id == period_id).distinct()
    if unit_id is not None:
        query = query.where(_tally.c.unit_id == unit_id)
    return _rows(session, query)


def tallied_counts(*, session: Session, period_id: int, marked: Sequence[tuple[str, str]],
                   unit_id: int | None = None) -> list[tuple[Any, ...]]:
    """The period's lines counted in groups as kept at write time (storage.tally): rows (lead unit id,
    recurrence, completed, done class, status, late flag, member id, number of lines, number of them whose
    (deadlines, recurrence) is one of `marked`, first line), the groups that differ by their deadline set alone
    summed. Grouped in the order of ix_linetally_groups, which the query walks instead of sorting."""
    tally = _tally
    keys = (tally.c.unit_id, tally.c.recurrence, tally.c.completed, tally.c.done_class, tally.c.status,
            tally.c.late, tally.c.member_id)
    in_marked = case((tuple_(tally.c.deadlines, tally.c.recurrence).in_(list(marked)), tally.c.lines), else_=0) \
        if marked else literal(0)
    query = (select(*keys, func.sum(tally.c.lines), func.sum(in_marked), func.min(tally.c.first_line))
             .where(tally.c.period_id == period_id).group_by(*keys))
    if unit_id is not None:
        query = query.where(tally.c.unit_id == unit_id)
    return _rows(session, query)


def _is_line(report: Any, plan_id: int, kinds: Collection[str]) -> tuple[Any, ...]:
    """The report's task is one of the plan's tasks of `kinds` and its unit leads it (the report is on a
    line); the task table must be joined on the report's task_id."""
    lead = select(_assignment.c.id).where(_assignment.c.task_id == report.c.task_id,
                                          _assignment.c.unit_id == report.c.unit_id,
                                          _assignment.c.role == AssignmentRole.LEAD)
    return (*_plan_tasks(plan_id, kinds), lead.exists())


def reporter_names(*, session: Session, member_ids: Collection[int]) -> dict[int, str | None]:
    """Member id -> how a report names its reporter (see current_rows): the display name, else "#<user id>"."""
    if not member_ids:
        return {}
    ids = sorted(member_ids)
    # the ids in one bound value (an array; on SQLite a JSON list read with json_each): a literal IN of a
    # province's 1,000 members cost more to compile and bind than the query itself (PostgreSQL: 30 ms)
    if session.get_bind().dialect.name == "postgresql":
        wanted: Any = _member.c.id == any_(bindparam("member_ids", ids, type_=postgresql.ARRAY(Integer)))
    else:
        listed = func.json_each(bindparam("member_ids", json.dumps(ids), type_=Text)).table_valued("value")
        wanted = _member.c.id.in_(select(listed.c.value))
    return dict(_rows(session, select(_member.c.id, _reporter()).where(wanted)))


def named_reports(*, session: Session, plan_id: int, kinds: Collection[str], period_id: int,
                  previous_id: int | None = None, unit_id: int | None = None) -> list[tuple[Any, ...]]:
    """The period's current reports on lines that name a blocker (status "blocked" or a blocker text: the
    partial index ix_report_blocked): rows (task_id, unit_id, code, title, position, completed, status, blocker,
    note, and the status and blocker of the line's current report in `previous_id` when that one names a
    blocker too, else NULL NULL: read along the same index, instead of the previous period's blocked reports
    brought in whole)."""
    report = _report
    before_columns: tuple[Any, ...] = (literal(None), literal(None))
    source: Any = report.join(_task, _task.c.id == report.c.task_id)
    if previous_id is not None:
        # labelled apart: the outer query's BLOCKED_STANDING names status and blocker unqualified
        before = (select(report.c.task_id.label("before_task"), report.c.unit_id.label("before_unit"),
                         report.c.status.label("before_status"), report.c.blocker.label("before_blocker"))
                  .where(report.c.period_id == previous_id, BLOCKED_STANDING).subquery("blocked_before"))
        source = source.outerjoin(before, and_(before.c.before_task == report.c.task_id,
                                               before.c.before_unit == report.c.unit_id))
        before_columns = (before.c.before_status, before.c.before_blocker)
    query = (
        select(report.c.task_id, report.c.unit_id, _task.c.code, _task.c.title, _task.c.position,
               _task.c.completed, report.c.status, report.c.blocker, report.c.note, *before_columns)
        .select_from(source)
        .where(report.c.period_id == period_id, BLOCKED_STANDING, *_is_line(report, plan_id, kinds))
    )
    if unit_id is not None:
        query = query.where(report.c.unit_id == unit_id)
    return _rows(session, query)


def marked_tasks(*, session: Session, plan_id: int, kinds: Collection[str], period_id: int,
                 marked: Sequence[tuple[str, str | None]], except_status: str, limit: int, walk: int,
                 unit_id: int | None = None) -> list[int]:
    """The ids of the first `limit` lines' tasks in plan order (position, id), among the plan's first `walk`
    lines (of one lead unit), whose (deadlines, recurrence) is one of `marked` and whose lead has no current
    report with `except_status`. The first lines are read walking ix_task_plan_position and stop at `walk`:
    the planners cannot tell how many lines the deadline sets select (PostgreSQL then sorted the whole plan)."""
    if not marked:
        return []
    report = _report
    first = (select(_task.c.id, _task.c.position, cast(_task.c.deadlines, Text).label("deadlines"),
                    _task.c.recurrence, _assignment.c.unit_id)
             .join(_assignment, _lead()).where(*_plan_tasks(plan_id, kinds)))
    if unit_id is not None:
        first = first.where(_assignment.c.unit_id == unit_id)
    lines = first.order_by(_task.c.position, _task.c.id).limit(walk).subquery()
    excepted = select(report.c.task_id).where(
        report.c.period_id == period_id, report.c.current == true(), report.c.status == except_status,
        report.c.task_id == lines.c.id, report.c.unit_id == lines.c.unit_id)
    query = (select(lines.c.id)
             .where(tuple_(lines.c.deadlines, lines.c.recurrence).in_(list(marked)), ~excepted.exists())
             .order_by(lines.c.position, lines.c.id).limit(limit))
    return list(dict.fromkeys(row[0] for row in _rows(session, query)))
