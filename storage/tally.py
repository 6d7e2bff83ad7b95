"""Counters of the lines' states kept at write time, so that a plan's overview reads a few thousand rows instead
of grouping every line of the plan on its first view.

`LineTally` holds, for each period of a plan and each lead unit, storage.summary.line_counts' groups with the
deadline set in place of its mark (the overdue rule depends on the day the summary is read for, so it is judged
when the tally is read); `PeriodTally` marks a period whose rows are complete and holds the plan's counter of
its lines. Every write that changes what a line counts towards rewrites the rows of the units it touches, in
its own transaction:

- a report's version (storage.reports.record_status: a reply, a button, an edit, an undo, a coordinator's
  correction): the reporting unit, every period of the plan (a line done in one period is carried in the later
  ones);
- an import or re-import (storage.plans.save_plan) and a change of the plan's periods (sync_periods, an ad hoc
  request): the whole plan;
- assignments recomputed (storage.plans.sync_assignments: a re-import, a unit merged, renamed or removed, the
  directory changed): the lead units before and after of the tasks that changed, and the tasks with no lead;
- a unit merged or removed (storage.units): the units concerned in every plan.

A plan is tallied once `refresh_plan` ran for it (migration 0013 for the plans that existed then, then every
import); until then writes leave it alone and the summary groups its lines itself. `differences` recomputes
the counters from the rows and compares (the check the tests run after each kind of write).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from bot.base.period import done_windows
from storage.models import (
    REPORTED_KINDS,
    LineTally,
    PeriodTally,
    ReportingPeriodRow,
    Status,
    Task,
    TaskAssignment,
)
from storage.summary import line_groups

_tally = LineTally.__table__  # type: ignore[attr-defined]
_marker = PeriodTally.__table__  # type: ignore[attr-defined]
_period = ReportingPeriodRow.__table__  # type: ignore[attr-defined]
_task = Task.__table__  # type: ignore[attr-defined]
_assignment = TaskAssignment.__table__  # type: ignore[attr-defined]
COLUMNS = ("unit_id", "recurrence", "completed", "done_class", "deadlines", "status", "late", "member_id", "lines",
           "first_line")


def _connection(where: Session | Connection) -> Connection:
    return where.connection() if isinstance(where, Session) else where


def _periods(connection: Connection, plan_id: int) -> list[Any]:
    return list(connection.execute(select(_period.c.id, _period.c.key, _period.c.kind, _period.c.start,
                                          _period.c.end, _period.c.cutoff).where(_period.c.plan_id == plan_id)))


def _groups(periods: list[Any], period: Any, plan_id: int, unit_ids: Collection[int] | None,
            unassigned: bool) -> Any:
    """The statement of the period's groups (as line_counts groups them, the deadline set unjudged)."""
    before, before_previous = done_windows(periods, period)
    return line_groups(plan_id=plan_id, kinds=REPORTED_KINDS, period_id=period.id, status_done=Status.DONE,
                       done_in=[p.id for p in before], done_by=[p.id for p in before_previous], marked=None,
                       unit_ids=unit_ids, unassigned=unassigned)


def _rewrite(connection: Connection, plan_id: int, periods: list[Any], unit_ids: Collection[int] | None,
             unassigned: bool, only: list[Any] | None = None, same_lines: bool = False) -> None:
    """Replace the rows of `unit_ids` (every unit's when None; the no-lead rows when `unassigned` or None) in
    each of `periods` (the plan's; `only` these of them) by the groups counted now, and the periods' line
    counters (left alone when `same_lines`: the write changed no line, only what they count towards)."""
    if connection.dialect.name == "postgresql":
        # one rewrite of a plan at a time: two writers counting one unit at once would each insert its rows
        # (the second's delete does not see the first's new rows); SQLite has one writer anyway
        connection.execute(select(_marker.c.period_id).where(_marker.c.plan_id == plan_id)
                           .order_by(_marker.c.period_id).with_for_update())
        if unit_ids is None:
            connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
    for period in periods if only is None else only:
        scopes: list[tuple[Collection[int] | None, bool]] = []
        if unit_ids is None:
            scopes.append((None, False))
        else:
            if unit_ids:
                scopes.append((list(unit_ids), False))
            if unassigned:
                scopes.append((None, True))
        change = 0  # the plan's line counter moves by what the rewritten rows add up to now minus before
        for units, alone in scopes:
            scope = [_tally.c.period_id == period.id]
            if units is not None:
                scope.append(_tally.c.unit_id.in_(units))
            elif alone:
                scope.append(_tally.c.unit_id.is_(None))
            led = (*scope, _tally.c.unit_id.is_not(None))
            if not same_lines:
                change -= connection.execute(select(func.coalesce(func.sum(_tally.c.lines), 0)).where(*led)
                                             ).scalar_one()
            connection.execute(delete(_tally).where(*scope))
            groups = _groups(periods, period, plan_id, units, alone).subquery()
            connection.execute(insert(_tally).from_select(
                ["plan_id", "period_id", *COLUMNS],
                select(literal(plan_id), literal(period.id), *groups.c)))
            if not same_lines:
                change += connection.execute(select(func.coalesce(func.sum(_tally.c.lines), 0)).where(*led)
                                             ).scalar_one()
        if change:
            connection.execute(update(_marker).where(_marker.c.period_id == period.id)
                               .values(lines=_marker.c.lines + change))


def refresh_plan(where: Session | Connection, *, plan_id: int) -> None:
    """Count every line of the plan in every period again, and mark the periods tallied."""
    connection = _connection(where)
    periods = _periods(connection, plan_id)
    connection.execute(delete(_tally).where(_tally.c.plan_id == plan_id))
    connection.execute(delete(_marker).where(_marker.c.plan_id == plan_id))
    if periods:
        connection.execute(insert(_marker), [{"period_id": p.id, "plan_id": plan_id, "lines": 0} for p in periods])
    _rewrite(connection, plan_id, periods, None, True)


class PeriodSpan(NamedTuple):
    """A period as `refresh_periods` compares it (the columns periods_of reads)."""

    id: int | None
    key: str
    kind: str
    start: date
    end: date
    cutoff: date


def periods_of(where: Session | Connection, *, plan_id: int) -> list[Any]:
    """The plan's periods as they stand (id, key, kind, start, end, cutoff): what `refresh_periods` compares."""
    return _periods(_connection(where), plan_id)


def refresh_periods(where: Session | Connection, *, plan_id: int, before: list[Any], touched: Collection[int]
                    ) -> None:
    """After the plan's periods changed (`before`: periods_of before the change; `touched`: the periods created
    or whose dates moved): count the touched periods whole, and the others whose earlier periods or previous
    period's cutoff moved (a line's "done before" depends on them); a plan never tallied is counted whole."""
    connection = _connection(where)
    if not tallied(connection, plan_id=plan_id):
        refresh_plan(connection, plan_id=plan_id)
        return
    periods = _periods(connection, plan_id)
    old = {p.id: p for p in before}
    new = {p.id for p in periods if p.id not in old}  # no report can be in them yet

    def windows(listed: list[Any], period: Any) -> tuple[set[int], ...]:
        return tuple({p.id for p in found} - new for found in done_windows(listed, period))

    marked = set(connection.execute(select(_marker.c.period_id).where(_marker.c.plan_id == plan_id)).scalars())
    recount = [p for p in periods if p.id in touched or p.id not in marked or p.id not in old
               or windows(before, old[p.id]) != windows(periods, p)]
    missing = [p for p in recount if p.id not in marked]
    if missing:
        connection.execute(insert(_marker), [{"period_id": p.id, "plan_id": plan_id, "lines": 0} for p in missing])
    _rewrite(connection, plan_id, periods, None, True, only=recount)


def tallied(where: Session | Connection, *, plan_id: int) -> bool:
    connection = _connection(where)
    return connection.execute(select(_marker.c.period_id).where(_marker.c.plan_id == plan_id).limit(1)).first() \
        is not None


def refresh_units(where: Session | Connection, *, plan_id: int, unit_ids: Iterable[int | None],
                  since: date | None = None, same_lines: bool = False, period_id: int | None = None) -> None:
    """Count again the lines of these lead units (None: the tasks with no lead unit) in every period of a
    tallied plan (whose cutoff is not before `since`: a report counts in its own period and, done, in those
    due after it; `period_id`: that period alone, a report that neither is nor was done, which no later
    period looks at); a plan never tallied is left alone. `same_lines`: the write changed no line (a report),
    so the plan's line counters stand."""
    connection = _connection(where)
    if not tallied(connection, plan_id=plan_id):
        return
    wanted = set(unit_ids)
    units = sorted(u for u in wanted if u is not None)
    periods = _periods(connection, plan_id)
    only = None if since is None else [p for p in periods if p.cutoff >= since]
    if period_id is not None:
        only = [p for p in periods if p.id == period_id]
    _rewrite(connection, plan_id, periods, units, None in wanted, only=only, same_lines=same_lines)


def refresh_everywhere(where: Session | Connection, *, unit_ids: Iterable[int], unassigned: bool = True) -> None:
    """`refresh_units` in every tallied plan (a unit merged or removed)."""
    connection = _connection(where)
    units: list[int | None] = [*unit_ids, *([None] if unassigned else [])]
    for (plan_id,) in connection.execute(select(_marker.c.plan_id).distinct().order_by(_marker.c.plan_id)).all():
        refresh_units(connection, plan_id=plan_id, unit_ids=units)


def forget_unit(where: Session | Connection, *, unit_id: int) -> None:
    """Drop a unit's rows (and their lines from the plans' counters) before the unit is deleted."""
    connection = _connection(where)
    for period_id, lines in connection.execute(
            select(_tally.c.period_id, func.sum(_tally.c.lines)).where(_tally.c.unit_id == unit_id)
            .group_by(_tally.c.period_id)).all():
        connection.execute(update(_marker).where(_marker.c.period_id == period_id)
                           .values(lines=_marker.c.lines - lines))
    connection.execute(delete(_tally).where(_tally.c.unit_id == unit_id))


def refresh_tasks(where: Session | Connection, *, task_ids: Collection[int], units_before: Iterable[int]) -> None:
    """After the assignments of `task_ids` changed: their lead units now and `units_before` (their lead units
    before), and the no-lead rows, in each of their plans."""
    if not task_ids:
        return
    connection = _connection(where)
    before = set(units_before)
    ids = list(task_ids)
    plans: dict[int, set[int | None]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for (plan_id,) in connection.execute(select(_task.c.plan_id).where(_task.c.id.in_(chunk)).distinct()):
            plans.setdefault(plan_id, {None}).update(before)
        for plan_id, unit_id in connection.execute(
                select(_task.c.plan_id, _assignment.c.unit_id).join(_task, _task.c.id == _assignment.c.task_id)
                .where(_assignment.c.task_id.in_(chunk), _assignment.c.role == "lead").distinct()):
            plans.setdefault(plan_id, {None}).add(unit_id)
    for plan_id, units in sorted(plans.items()):  # plans locked in one order (see _rewrite)
        refresh_units(connection, plan_id=plan_id, unit_ids=units)


def differences(where: Session | Connection, *, plan_id: int) -> dict[int, tuple[Counter[tuple[Any, ...]], ...]]:
    """Period id -> (the rows kept but not counted now, the rows counted now but not kept), each a Counter of
    rows (unit, recurrence, completed, done class, deadlines, status, late, member, lines); empty when the tally
    agrees with the rows (first_line is compared too). Also a period with no marker, or a marker whose line
    counter is off, shows up (with the rows counted now)."""
    connection = _connection(where)
    periods = _periods(connection, plan_id)
    markers = dict(connection.execute(select(_marker.c.period_id, _marker.c.lines)
                                      .where(_marker.c.plan_id == plan_id)).all())
    found: dict[int, tuple[Counter[tuple[Any, ...]], ...]] = {}
    for period in periods:
        now = Counter(_normal(row) for row in connection.execute(_groups(periods, period, plan_id, None, False)))
        kept = Counter(_normal(row) for row in connection.execute(
            select(*(_tally.c[name] for name in COLUMNS)).where(_tally.c.period_id == period.id)))
        lines = sum(row[8] * n for row, n in now.items() if row[0] is not None)
        if period.id not in markers or markers[period.id] != lines:
            kept[("marker", markers.get(period.id))] += 1
            now[("marker", lines)] += 1
        if kept != now:
            found[period.id] = (kept - now, now - kept)
    return found


def _normal(row: Any) -> tuple[Any, ...]:
    """A group as both engines give it (SQLite's 0/1 for booleans)."""
    unit, recurrence, completed, done_class, deadlines, status, late, member, lines, first = row
    return (unit, recurrence, bool(completed), int(done_class), deadlines, status,
            None if late is None else bool(late), member, int(lines), int(first))
