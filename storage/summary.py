"""The summary of a plan for one period, computed from the database: every rule lives here.

Semantics (the single source of truth for "who has reported what"):

- Reports are append-only (`StatusReport`). For each (task_id, unit_id, period_id) the row with the highest
  `version` is the *standing* report. If that row's status is "retracted", the unit has no standing report
  for that task in that period (an undo).
- A *line* is a (task, lead unit) pair: an active task of the plan (`Task.active`, i.e. still listed after
  re-imports) with `kind` in ("task", "target") and a `TaskAssignment` with role "lead". A task with two
  lead units gives two lines; support units are listed on the line but never report.
- An *earlier* period is a period of the same plan whose cutoff comes before this period's cutoff (its
  report was due first). A line is *carried* (done before this period) when the task was imported as
  `completed`, or a standing report of an earlier period says "done". A carried line is shown as done
  and is not due; if the unit still sent a standing report for it this period, that report is shown.
- The lines a unit *must report on* (its due lines) are its lines that are not carried.
- A unit's state for the period: `missing` if at least one due line has no standing report; else `late`
  if any standing report on a due line has `late=True`; else `on_time`. Units with no due line are not
  listed (they have nothing to report). `reported/total` counts due lines with/without a standing report.
- A line is *overdue* when its earliest deadline lies before `now`'s date in Asia/Ho_Chi_Minh and the line
  is not done. A line is *blocked* when its standing report has status "blocked" or a blocker text; the
  blocker's category comes from `bot.summary.blockers.categorize` (the blocker text, else the note).
- Completion rate = lines done (carried or reported done) / all lines, in percent with one decimal.
- Changes are measured against the *previous* period: same plan, same kind, the latest cutoff before
  this one. A line was done then if it was carried into it or its standing report there said "done";
  *newly done* lines are done now and were not then; *newly blocked* lines are blocked now and had no
  blocked standing report then.

Cost: a constant number of queries (seven: plan, periods, tasks, assignments, unit names, standing reports of
this and the previous period, done in earlier periods) whatever the number of units and tasks. A standing
report is found with "no newer version exists" (an index probe on ix_report_lookup per row, portable to
SQLite and PostgreSQL). `now` is a parameter and the clock is never read here.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Text, cast, exists, func, or_, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType
from sqlmodel import Session

from bot.calendar import Frequency, ReportingPeriod
from bot.clock import local
from bot.errors import UserError
from bot.summary import blockers
from bot.summary.model import (
    NO_REPORT,
    BlockerItem,
    Changes,
    LineRef,
    PeriodInfo,
    PlanInfo,
    Summary,
    TaskLine,
    Totals,
    UnitState,
    UnitSummary,
)
from bot.text import fold
from storage.models import (
    AssignmentRole,
    Member,
    Plan,
    ReportingPeriodRow,
    Status,
    StatusReport,
    Task,
    TaskAssignment,
    Unit,
)

REPORTED_KINDS = ("task", "target")

_report = StatusReport.__table__
_period = ReportingPeriodRow.__table__
_task = Task.__table__
_assignment = TaskAssignment.__table__


@dataclass(frozen=True, slots=True)
class _Standing:
    """A standing report, reduced to what the summary shows."""

    status: str
    percent: int | None
    expected_date: date | None
    blocker: str | None
    note: str | None
    late: bool
    created_at: datetime | None
    reporter: str | None


# --- queries ------------------------------------------------------------------------------------------


def _load_plan(session: Session, plan_id: int) -> PlanInfo:
    coordinator = aliased(Unit)
    row = session.execute(
        select(Plan.id, Plan.number, Plan.title, Plan.issuer, Plan.year, coordinator.name)
        .outerjoin(coordinator, coordinator.id == Plan.coordinator_unit_id)
        .where(Plan.id == plan_id)
    ).first()
    if row is None:
        raise UserError(f"Không tìm thấy kế hoạch mã {plan_id}.")
    return PlanInfo(id=row[0], number=row[1], title=row[2], issuer=row[3], year=row[4], coordinator=row[5])


def _load_periods(session: Session, plan_id: int) -> list[PeriodInfo]:
    rows = session.execute(
        select(_period.c.id, _period.c.key, _period.c.kind, _period.c.start, _period.c.end, _period.c.cutoff,
               _period.c.request_text)
        .where(_period.c.plan_id == plan_id)
    ).all()
    return [
        PeriodInfo(id=r.id, key=r.key, kind=r.kind, label=period_label(r.key, r.kind, r.start, r.end, r.cutoff),
                   start=r.start, end=r.end, cutoff=r.cutoff, request_text=r.request_text)
        for r in rows
    ]


def period_label(key: str, kind: str, start: date, end: date, cutoff: date) -> str:
    """ "Quý II/2026", "6 tháng đầu năm 2026", "Năm 2026"; ad hoc requests: "Đột xuất (hạn dd/mm/yyyy)"."""
    if kind == Frequency.AD_HOC:
        return f"Đột xuất {key}"
    try:
        return ReportingPeriod(key, Frequency(kind), start, end, cutoff).label_vi()
    except ValueError:
        return key


def _raw(column: Any) -> Any:
    """A column read without its type's per-row conversion (done here in bulk, or not at all)."""
    return type_coerce(column, NullType()).label(column.name)


def _load_tasks(session: Session, plan_id: int, unit_id: int | None) -> list[Any]:
    query = (
        select(_task.c.id, _task.c.code, _task.c.kind, _task.c.section, _task.c.position, _task.c.title,
               _task.c.timeframe_raw, cast(_task.c.deadlines, Text).label("deadlines"), _task.c.completed)
        .where(*_reported_task(plan_id))
    )
    if unit_id is not None:
        query = query.where(_task.c.id.in_(_lead_task_ids(plan_id, unit_id)))
    return list(session.execute(query).all())


def _reported_task(plan_id: int) -> tuple[Any, ...]:
    """The tasks units report on: this plan's tasks and targets still listed by the plan (not group rows)."""
    return _task.c.plan_id == plan_id, _task.c.kind.in_(REPORTED_KINDS), _task.c.active.is_(True)


def _lead_task_ids(plan_id: int, unit_id: int) -> Any:
    return (
        select(_assignment.c.task_id)
        .join(_task, _task.c.id == _assignment.c.task_id)
        .where(_task.c.plan_id == plan_id, _assignment.c.unit_id == unit_id,
               _assignment.c.role == AssignmentRole.LEAD)
    )


def _load_assignments(session: Session, plan_id: int, unit_id: int | None) -> list[Any]:
    """(task_id, unit_id, role) for every assignment of the plan's reported tasks."""
    query = (
        select(_assignment.c.task_id, _assignment.c.unit_id, _assignment.c.role)
        .join(_task, _task.c.id == _assignment.c.task_id)
        .where(*_reported_task(plan_id))
    )
    if unit_id is not None:
        query = query.where(_assignment.c.task_id.in_(_lead_task_ids(plan_id, unit_id)))
    return list(session.execute(query).all())


def _load_unit_names(session: Session) -> dict[int, str]:
    return {unit: name for unit, name in session.execute(select(Unit.id, Unit.name)).all()}


def _standing(report: Any) -> Any:
    """True for the standing version: no newer version of the same (task, unit, period) exists.

    Equivalent to "rank 1 by version desc" but an index probe per row (ix_report_lookup) instead of a sort
    of the whole period, which is several times faster on SQLite and as fast on PostgreSQL."""
    newer = _report.alias("newer")
    return ~exists().where(
        newer.c.task_id == report.c.task_id, newer.c.unit_id == report.c.unit_id,
        newer.c.period_id == report.c.period_id, newer.c.version > report.c.version,
    )


def _standing_reports(
    session: Session, period_id: int, previous_id: int | None, unit_id: int | None
) -> tuple[dict[tuple[int, int], _Standing], set[tuple[int, int]]]:
    """This period's standing reports by (task_id, unit_id) (retractions dropped), and the (task_id, unit_id)
    pairs whose standing report in the previous period was blocked."""
    member = Member.__table__
    ids = [period_id] if previous_id is None else [period_id, previous_id]
    query = (
        select(_report.c.task_id, _report.c.unit_id, _report.c.period_id, _report.c.status, _report.c.percent,
               _raw(_report.c.expected_date), _report.c.blocker, _report.c.note, _report.c.late,
               _raw(_report.c.created_at), member.c.display_name, member.c.user_id)
        .select_from(_report.outerjoin(member, member.c.id == _report.c.member_id))
        .where(_report.c.period_id.in_(ids), _report.c.status != Status.RETRACTED, _standing(_report),
               or_(_report.c.period_id == period_id, _report.c.status == Status.BLOCKED,
                   _report.c.blocker.is_not(None)))
    )
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    current: dict[tuple[int, int], _Standing] = {}
    blocked_before: set[tuple[int, int]] = set()
    rows = session.execute(query).all()
    for task_id, unit, pid, status, pct, expected, blocker, note, late, created, name, user in rows:
        if pid != period_id:
            if status == Status.BLOCKED or (blocker and blocker.strip()):
                blocked_before.add((task_id, unit))
            continue
        current[(task_id, unit)] = _Standing(
            status=status, percent=pct, expected_date=_day(expected), blocker=(blocker or "").strip() or None,
            note=note, late=bool(late),
            created_at=_utc(created), reporter=name or (f"#{user}" if user else None),
        )
    return current, blocked_before


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _utc(value: datetime | str | None) -> datetime | None:
    """A stored UTC timestamp as an aware datetime (read raw: the column type's per-row hook is too slow
    for a hundred thousand rows; SQLite gives text, PostgreSQL an aware datetime)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _done_before(session: Session, plan_id: int, cutoff: date, unit_id: int | None) -> dict[tuple[int, int], date]:
    """(task_id, unit_id) -> the earliest cutoff of an earlier period whose standing report says done."""
    query = (
        select(_report.c.task_id, _report.c.unit_id, func.min(_period.c.cutoff))
        .join(_period, _period.c.id == _report.c.period_id)
        .where(_period.c.plan_id == plan_id, _period.c.cutoff < cutoff, _report.c.status == Status.DONE,
               _standing(_report))
        .group_by(_report.c.task_id, _report.c.unit_id)
    )
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    return {(task_id, unit): _day(first) for task_id, unit, first in session.execute(query).all()}


# --- the summary --------------------------------------------------------------------------------------


def find_period(periods: Iterable[PeriodInfo], key: str) -> PeriodInfo | None:
    wanted = key.strip().upper()
    return next((p for p in periods if p.key.upper() == wanted), None)


def previous_period(periods: Iterable[PeriodInfo], period: PeriodInfo) -> PeriodInfo | None:
    """The period of the same kind with the latest cutoff before this one's."""
    before = [p for p in periods if p.kind == period.kind and p.cutoff < period.cutoff]
    return max(before, key=lambda p: (p.cutoff, p.end), default=None)


def build_summary(
    *, session: Session, plan_id: int, period_key: str, now: datetime, unit_id: int | None = None
) -> Summary:
    """The summary of `plan_id` for the period `period_key` as of `now` (optionally one lead unit only)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    plan = _load_plan(session, plan_id)
    periods = _load_periods(session, plan_id)
    period = find_period(periods, period_key)
    if period is None:
        known = ", ".join(sorted(p.key for p in periods)) or "chưa có kỳ nào"
        raise UserError(f"{plan.label()} không có kỳ báo cáo «{period_key}» (các kỳ: {known}).")
    previous = previous_period(periods, period)

    tasks = _load_tasks(session, plan_id, unit_id)
    assignments = _load_assignments(session, plan_id, unit_id)
    names = _load_unit_names(session)
    current, blocked_before = _standing_reports(session, period.id, previous.id if previous else None, unit_id)
    done_before = _done_before(session, plan_id, period.cutoff, unit_id)

    with _gc_paused():
        lines, was_done = _build_lines(tasks, assignments, names, current, done_before, previous,
                                       local(now).date(), unit_id)
        units = _unit_summaries(lines, current)
        totals = _totals(lines, units)
        changes = _changes(lines, totals, previous, was_done, blocked_before)
    return Summary(plan=plan, period=period, generated_at=now, units=units, tasks=lines, totals=totals,
                   changes=changes, unit_filter=unit_id)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a hundred thousand acyclic objects are built: otherwise its
    repeated full passes over them take about a third of the time. The previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _DeadlineReader:
    """Task.deadlines, read as JSON text (cast in SQL, so PostgreSQL's driver does not decode it either), as
    sorted dates; bad values skipped. Many tasks share the same deadlines: each distinct text is parsed once."""

    def __init__(self) -> None:
        self._seen: dict[Any, tuple[date, ...]] = {}

    def __call__(self, raw: Any) -> tuple[date, ...]:
        key = raw if isinstance(raw, str) or raw is None else json.dumps(raw)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._parse(raw)
        return found

    @staticmethod
    def _parse(raw: Any) -> tuple[date, ...]:
        try:
            values = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return ()
        days: list[date] = []
        for value in values if isinstance(values, list) else ():
            try:
                days.append(date.fromisoformat(str(value)[:10]))
            except ValueError:
                continue
        return tuple(sorted(days))


def _build_lines(
    tasks: list[Any],
    assignments: list[Any],
    names: dict[int, str],
    current: dict[tuple[int, int], _Standing],
    done_before: dict[tuple[int, int], date],
    previous: PeriodInfo | None,
    today: date,
    unit_id: int | None,
) -> tuple[list[TaskLine], set[tuple[int, int]]]:
    """Every line with its standing state; plus the lines that were done as of the previous period."""
    leads: dict[int, list[int]] = defaultdict(list)
    supports: dict[int, list[int]] = defaultdict(list)
    for task_id, unit, role in assignments:
        if role == AssignmentRole.LEAD:
            if unit_id is None or unit == unit_id:
                leads[task_id].append(unit)
        elif role == AssignmentRole.SUPPORT:
            supports[task_id].append(unit)
    folded = {unit: fold(name) for unit, name in names.items()}
    by_name = folded.__getitem__
    read_deadlines = _DeadlineReader()
    done, blocked, no_report = Status.DONE.value, Status.BLOCKED.value, NO_REPORT
    previous_cutoff = previous.cutoff if previous is not None else None

    lines: list[TaskLine] = []
    was_done: set[tuple[int, int]] = set()
    tasks.sort(key=lambda t: (t[4], t[0]))  # plan order: position, then id
    for task_id, code, kind, section, _position, title, timeframe, raw_deadlines, completed in tasks:
        task_leads = leads.get(task_id)
        if not task_leads:
            continue
        deadlines = read_deadlines(raw_deadlines)
        first_deadline = deadlines[0] if deadlines else None
        support_ids = supports.get(task_id, ())
        support_names = tuple(names[u] for u in (sorted(support_ids, key=by_name) if len(support_ids) > 1
                                                  else support_ids))
        for lead_id in sorted(task_leads, key=by_name) if len(task_leads) > 1 else task_leads:
            key = (task_id, lead_id)
            first_done = done_before.get(key)
            carried = bool(completed) or first_done is not None
            report = current.get(key)
            line = TaskLine(task_id, code, title, kind, section, lead_id, names[lead_id], support_names, timeframe,
                            deadlines, no_report, carried)
            if report is not None:
                line.status = status = report.status
                line.percent, line.note, line.blocker = report.percent, report.note, report.blocker
                line.expected_date, line.late = report.expected_date, report.late
                line.reported_by, line.reported_at = report.reporter, report.created_at
                if status == blocked or report.blocker:
                    line.blocker_category = blockers.categorize(report.blocker or report.note)
            elif carried:
                line.status = status = done
            else:
                status = no_report
            line.overdue = status != done and first_deadline is not None and first_deadline < today
            lines.append(line)
            if previous_cutoff is not None and (
                completed or (first_done is not None and first_done <= previous_cutoff)
            ):
                was_done.add(key)
    return lines, was_done


def _unit_summaries(lines: list[TaskLine], current: dict[tuple[int, int], _Standing]) -> list[UnitSummary]:
    by_unit: dict[int, UnitSummary] = {}
    reporters: dict[int, set[str]] = defaultdict(set)
    for line in lines:
        unit = by_unit.get(line.lead_unit_id)
        if unit is None:
            unit = by_unit[line.lead_unit_id] = UnitSummary(
                unit_id=line.lead_unit_id, unit=line.lead, state=UnitState.ON_TIME,
                reported=0, total=0, late=0, overdue=0, blocked=0, done=0, lines=0,
            )
        unit.lines += 1
        unit.done += line.is_done
        unit.overdue += line.overdue
        unit.blocked += line.is_blocked
        if line.carried:
            continue
        unit.total += 1
        report = current.get((line.task_id, line.lead_unit_id))
        if report is not None:
            unit.reported += 1
            unit.late += report.late
            if report.reporter:
                reporters[line.lead_unit_id].add(report.reporter)
    listed = [unit for unit in by_unit.values() if unit.total]
    for unit in listed:
        if unit.reported < unit.total:
            unit.state = UnitState.MISSING
        elif unit.late:
            unit.state = UnitState.LATE
        unit.reporters = sorted(reporters.get(unit.unit_id, ()), key=fold)
    return sorted(listed, key=lambda u: fold(u.unit))


def _completion_rate(done: int, total: int) -> float:
    return round(100.0 * done / total, 1) if total else 0.0


def _totals(lines: list[TaskLine], units: list[UnitSummary]) -> Totals:
    by_status: dict[str, int] = defaultdict(int)
    grouped: dict[str, list[BlockerItem]] = {key: [] for key in blockers.ORDER}
    overdue = 0
    for line in lines:
        by_status[line.status] += 1
        overdue += line.overdue
        if line.blocker_category is not None:
            grouped[line.blocker_category].append(BlockerItem(
                category=line.blocker_category, text=(line.blocker or line.note or "").strip(),
                code=line.code, title=line.title, lead=line.lead,
            ))
    done = by_status.get(Status.DONE.value, 0)
    states = [u.state for u in units]
    return Totals(
        lines=len(lines), by_status=dict(by_status), done=done, completion_rate=_completion_rate(done, len(lines)),
        units_total=len(units), units_on_time=states.count(UnitState.ON_TIME),
        units_late=states.count(UnitState.LATE), units_missing=states.count(UnitState.MISSING),
        overdue=overdue, blocked=sum(len(items) for items in grouped.values()),
        blockers={key: items for key, items in grouped.items() if items},
    )


def _changes(
    lines: list[TaskLine], totals: Totals, previous: PeriodInfo | None,
    was_done: set[tuple[int, int]], was_blocked: set[tuple[int, int]],
) -> Changes:
    if previous is None:
        return Changes()
    before_rate = _completion_rate(len(was_done), len(lines))
    newly_done: list[LineRef] = []
    newly_blocked: list[LineRef] = []
    for line in lines:
        key = (line.task_id, line.lead_unit_id)
        if line.is_done and key not in was_done:
            newly_done.append(line.ref())
        if line.is_blocked and key not in was_blocked:
            newly_blocked.append(line.ref())
    return Changes(
        previous_key=previous.key, previous_label=previous.label, previous_completion_rate=before_rate,
        completion_rate_delta=round(totals.completion_rate - before_rate, 1),
        newly_done=newly_done, newly_blocked=newly_blocked,
    )


# --- finding the plan (for the CLI and the chat handlers) -----------------------------------------------


def resolve_plan(*, session: Session, ref: str | None) -> int:
    """A plan id from an id or a plan number ("125/KH-UBND", or "125" when unambiguous);
    with no reference, the only active plan."""
    rows = session.execute(select(Plan.id, Plan.number, Plan.title, Plan.active).order_by(Plan.id)).all()
    if ref is None or not ref.strip():
        active = [r for r in rows if r.active]
        if len(active) == 1:
            return active[0].id
        if not active:
            raise UserError("Chưa có kế hoạch nào đang hoạt động. Hãy nhập kế hoạch trước.")
        listed = "; ".join(f"{r.id}: {r.number or r.title}" for r in active[:10])
        raise UserError(f"Có {len(active)} kế hoạch đang hoạt động; hãy chọn một bằng --plan ({listed}).")
    wanted = "".join(fold(ref).split())
    if wanted.isdigit() and any(r.id == int(wanted) for r in rows):
        return int(wanted)
    exact = [r for r in rows if r.number and "".join(fold(r.number).split()) == wanted]
    prefix = [r for r in rows if r.number and "".join(fold(r.number).split()).startswith(wanted + "/")]
    for found in (exact, prefix):
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            raise UserError(f"Có nhiều kế hoạch số «{ref}»; hãy dùng mã kế hoạch (id).")
    raise UserError(f"Không tìm thấy kế hoạch «{ref}» (theo mã hoặc số kế hoạch).")
