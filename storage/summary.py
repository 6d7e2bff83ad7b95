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
  `completed`, or (a one-off task, see `bot.summary.overdue.carried_done`) a standing report of an earlier
  period says "done". A carried line is shown as done
  and is not due; if the unit still sent a standing report for it this period, that report is shown.
- The lines a unit *must report on* (its due lines) are its lines that are not carried.
- A unit's state for the period: `missing` if no due line has a standing report, `partial` if some but not
  all do ("đã báo cáo 1/12 nhiệm vụ"); else `late`
  if any standing report on a due line has `late=True`; else `on_time`. Units with no due line are not
  listed (they have nothing to report). `reported/total` counts due lines with/without a standing report.
- A line is *overdue* as `bot.summary.overdue.overdue_in_period` says (the one rule: judged as of the earlier
  of `now`'s date in Asia/Ho_Chi_Minh and the period's end; a recurring task on its occurrences in the
  period; a one-off task left over from earlier is overdue since its deadline) and the line is not done.
  A line is *blocked* when its standing report has status "blocked" or a blocker text; the
  blocker's category comes from `bot.summary.blockers.categorize` (the blocker text, else the note).
- Completion rate = lines done (carried or reported done) / all lines, in percent with one decimal.
- Changes are measured against the *previous* period: same plan, same kind, the latest cutoff before
  this one. A line was done then if it was carried into it or its standing report there said "done";
  *newly done* lines are done now and were not then; *newly blocked* lines are blocked now and had no
  blocked standing report then.

Cost: a constant number of queries (nine: plan, periods, lines (tasks with their lead units), support units,
unit names, standing reports of this period, blocked ones of the previous period, done in earlier periods, and
the reported tasks with no lead unit)
whatever the number of units and tasks. Standing reports are read through `StatusReport.current` (index
ix_report_current on (period_id, current)), which storage.reports.record_status keeps on the highest version;
the previous period's blocked ones through the partial index ix_report_blocked. Large results are read
from the driver's cursor as plain tuples. `now` is a parameter and the clock is never read here.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Text, and_, cast, func, literal, select, true, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import Session

from bot.base.clock import local
from bot.base.errors import UserError
from bot.base.text import and_more, fold
from bot.calendar import Frequency, ReportingPeriod
from bot.summary import blockers
from bot.summary.gc_pause import gc_paused
from bot.summary.model import (
    NO_REPORT,
    BlockerItem,
    Changes,
    PeriodInfo,
    PlanInfo,
    Summary,
    TaskLine,
    Totals,
    UnassignedTask,
    UnitState,
    UnitSummary,
)
from bot.summary.overdue import Overdue, carried_done, overdue_in_period
from storage.models import (
    BLOCKED_STANDING,
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
_member = Member.__table__
_unit = Unit.__table__

Key = tuple[int, int]  # (task_id, unit_id)


# --- queries ------------------------------------------------------------------------------------------


def _rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """The rows as the driver gives them. The statement runs through SQLAlchemy (compiled-statement cache,
    events, the session's transaction), but rows are read from the DBAPI cursor: no Row objects and no
    per-value type hooks, which cost more than the query itself at a hundred thousand rows. Values are
    therefore the driver's own (SQLite: 0/1 and ISO text for booleans and dates); the readers below
    convert them."""
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


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


def _reported_task(plan_id: int) -> tuple[Any, ...]:
    """The tasks units report on: this plan's tasks and targets still listed by the plan (not group rows)."""
    return _task.c.plan_id == plan_id, _task.c.kind.in_(REPORTED_KINDS), _task.c.active.is_(True)


def _load_line_rows(session: Session, plan_id: int, unit_id: int | None) -> list[tuple[Any, ...]]:
    """One row per line, (task_id, code, kind, section, position, title, timeframe, deadlines as JSON text,
    completed, lead unit id, recurrence): the reported tasks joined with their lead assignments."""
    lead = and_(_assignment.c.task_id == _task.c.id, _assignment.c.role == AssignmentRole.LEAD)
    query = (
        select(_task.c.id, _task.c.code, _task.c.kind, _task.c.section, _task.c.position, _task.c.title,
               _task.c.timeframe_raw, cast(_task.c.deadlines, Text), _task.c.completed, _assignment.c.unit_id,
               _task.c.recurrence)
        .join(_assignment, lead)
        .where(*_reported_task(plan_id))
    )
    if unit_id is not None:
        query = query.where(_assignment.c.unit_id == unit_id)
    return _rows(session, query)


def _load_supports(session: Session, plan_id: int, unit_id: int | None) -> list[tuple[Any, ...]]:
    """(task_id, unit_id, via_group) of the support assignments of the reported tasks (of one lead unit's
    tasks); via_group is the group's name when the plan named a group ("Các sở, ban, ngành")."""
    query = (
        select(_assignment.c.task_id, _assignment.c.unit_id, _assignment.c.via_group)
        .join(_task, _task.c.id == _assignment.c.task_id)
        .where(*_reported_task(plan_id), _assignment.c.role == AssignmentRole.SUPPORT)
    )
    if unit_id is not None:
        led = aliased(_assignment)
        query = query.where(select(led.c.id).where(
            led.c.task_id == _assignment.c.task_id, led.c.unit_id == unit_id, led.c.role == AssignmentRole.LEAD,
        ).exists())
    return _rows(session, query)


def _load_unit_names(session: Session) -> dict[int, str]:
    return dict(_rows(session, select(_unit.c.id, _unit.c.name)))


def _is_current() -> Any:
    """The standing version of its (task, unit, period): `StatusReport.current`, kept by record_status."""
    return _report.c.current == true()


def _created_at(session: Session) -> tuple[Any, Any]:
    """created_at as selected, and the function that makes it an aware UTC datetime. SQLite stores naive
    UTC text: the offset is appended in SQL so that one fromisoformat call does it all; PostgreSQL's driver
    returns aware datetimes in the session's time zone."""
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(_report.c.created_at, Text).concat("+00:00"), datetime.fromisoformat
    return _report.c.created_at, _as_utc


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _load_standing(session: Session, period_id: int, unit_id: int | None) -> tuple[dict[Key, tuple[Any, ...]], Any]:
    """This period's standing reports by (task_id, unit_id), retractions dropped, as rows (task_id, unit_id,
    period_id, status, percent, expected_date, blocker, note, late, created_at, reporter), and the reader of
    created_at. The reporter is the member's display name, else "#<user id>"."""
    created_at, read_time = _created_at(session)
    query = (
        select(_report.c.task_id, _report.c.unit_id, _report.c.period_id, _report.c.status, _report.c.percent,
               _report.c.expected_date, _report.c.blocker, _report.c.note, _report.c.late, created_at,
               func.coalesce(func.nullif(_member.c.display_name, ""),
                             literal("#").concat(func.nullif(_member.c.user_id, ""))))
        .select_from(_report.outerjoin(_member, _member.c.id == _report.c.member_id))
        .where(_report.c.period_id == period_id, _is_current(), _report.c.status != Status.RETRACTED)
    )
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    return {(row[0], row[1]): row for row in _rows(session, query)}, read_time


def _blocked_in(session: Session, period_id: int | None, unit_id: int | None) -> set[Key]:
    """The (task_id, unit_id) pairs whose standing report in `period_id` named a blocker (status "blocked" or a
    blocker text that is not blank), read from the partial index ix_report_blocked alone."""
    if period_id is None:
        return set()
    query = (
        select(_report.c.task_id, _report.c.unit_id, _report.c.status, _report.c.blocker)
        .where(_report.c.period_id == period_id, BLOCKED_STANDING)
    )
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    blocked, retracted = Status.BLOCKED.value, Status.RETRACTED.value
    return {(task, unit) for task, unit, status, blocker in _rows(session, query)
            if status == blocked or (status != retracted and blocker and blocker.strip())}


def _done_before(session: Session, earlier: dict[int, date], unit_id: int | None) -> dict[Key, date]:
    """(task_id, unit_id) -> the earliest cutoff of an earlier period (`earlier`: period id -> cutoff) whose
    standing report says done. The query reads ix_report_current alone (it covers these columns)."""
    query = (
        select(_report.c.task_id, _report.c.unit_id, _report.c.period_id)
        .where(_report.c.period_id.in_(list(earlier)), _is_current(), _report.c.status == Status.DONE)
    )
    if unit_id is not None:
        query = query.where(_report.c.unit_id == unit_id)
    first: dict[Key, date] = {}
    for task_id, unit, period_id in _rows(session, query):
        cutoff, key = earlier[period_id], (task_id, unit)
        known = first.get(key)
        if known is None or cutoff < known:
            first[key] = cutoff
    return first


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


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
    with gc_paused():
        earlier = {p.id: p.cutoff for p in periods if p.cutoff < period.cutoff}
        return _summarize(session, plan, period, previous_period(periods, period), earlier, now, unit_id)


def _summarize(session: Session, plan: PlanInfo, period: PeriodInfo, previous: PeriodInfo | None,
               earlier: dict[int, date], now: datetime, unit_id: int | None) -> Summary:
    """The rows read and turned into the summary; the rows are freed on return, before the collector runs."""
    line_rows = _load_line_rows(session, plan.id, unit_id)
    names = _load_unit_names(session)
    supports = _support_names(_load_supports(session, plan.id, unit_id), names)
    current, read_time = _load_standing(session, period.id, unit_id)
    blocked_before = _blocked_in(session, previous.id if previous else None, unit_id)
    done_before = _done_before(session, earlier, unit_id)
    lines, marks = _build_lines(_in_plan_order(line_rows, names), supports, names, current, done_before,
                                blocked_before, previous, period, local(now).date(), read_time)
    units, totals, changes = _tally(lines, marks, names, previous)
    unassigned = _load_unassigned(session, plan.id) if unit_id is None else []
    return Summary(plan=plan, period=period, generated_at=now, units=units, tasks=lines, totals=totals,
                   changes=changes, unit_filter=unit_id, unassigned=unassigned)


def _load_unassigned(session: Session, plan_id: int) -> list[UnassignedTask]:
    """The reported tasks no lead unit answers for, in plan order, with the lead names their plan wrote."""
    lead = select(_assignment.c.task_id).where(_assignment.c.role == AssignmentRole.LEAD)
    query = (select(_task.c.code, _task.c.title, _task.c.lead_names)
             .where(*_reported_task(plan_id), _task.c.id.not_in(lead)).order_by(_task.c.position, _task.c.id))
    return [UnassignedTask(code, title, tuple(names or ())) for code, title, names in session.execute(query)]


class _Folded(dict[str, str]):
    """fold(name), computed once per distinct name."""

    def __missing__(self, name: str) -> str:
        value = self[name] = fold(name)
        return value


def _in_plan_order(rows: list[tuple[Any, ...]], names: dict[int, str]) -> list[tuple[Any, ...]]:
    """Lines in plan order: task position, then task id, then (for a task with several leads) lead name."""
    rows.sort(key=itemgetter(4, 0))
    shared = {task for task, count in Counter(map(itemgetter(0), rows)).items() if count > 1}
    if shared:
        folded = _Folded()
        rows.sort(key=lambda r: (r[4], r[0], folded[names[r[9]]] if r[0] in shared else ""))
    return rows


def _support_names(rows: list[tuple[Any, ...]], names: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """task_id -> the support units' names, a group the plan named listed once by the group's name, sorted as
    a reader expects them (diacritics and case folded). Equal name tuples are shared between tasks."""
    several: dict[int, dict[str, None]] = defaultdict(dict)
    for task_id, unit, via_group in rows:
        several[task_id][via_group or names[unit]] = None
    folded = _Folded()
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    supports: dict[int, tuple[str, ...]] = {}
    for task_id, listed in several.items():
        ordered = tuple(listed) if len(listed) == 1 else tuple(sorted(listed, key=folded.__getitem__))
        supports[task_id] = shared.setdefault(ordered, ordered)
    return supports


class _Cached(dict[Any, Any]):
    """A function's results by argument, each computed once (deadline texts and blocker texts repeat)."""

    def __init__(self, fn: Any) -> None:
        super().__init__()
        self._fn = fn

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._fn(key)
        return value


def _parse_deadlines(raw: Any) -> tuple[date, ...]:
    """Task.deadlines read as JSON text (cast in SQL, so PostgreSQL's driver does not decode it either), as
    sorted dates; bad values skipped."""
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


@dataclass(slots=True)
class _Marks:
    """What each line counts towards, noted while the lines are built (lead unit ids, tallied afterwards
    with Counter, which runs in C): done, overdue, due (not carried), reported (due, with a standing report),
    late (reported late); the blocked lines; the lines newly done or blocked since the previous period."""

    done: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    due: list[int] = field(default_factory=list)
    reported: list[int] = field(default_factory=list)
    late: list[int] = field(default_factory=list)
    reporters: set[tuple[int, str]] = field(default_factory=set)
    blocked: list[TaskLine] = field(default_factory=list)
    done_before_previous: int = 0
    newly_done: list[TaskLine] = field(default_factory=list)
    newly_blocked: list[TaskLine] = field(default_factory=list)


def _build_lines(
    rows: list[tuple[Any, ...]],
    supports: dict[int, tuple[str, ...]],
    names: dict[int, str],
    current: dict[Key, tuple[Any, ...]],
    done_before: dict[Key, date],
    blocked_before: set[Key],
    previous: PeriodInfo | None,
    period: PeriodInfo,
    today: date,
    read_time: Any,
) -> tuple[list[TaskLine], _Marks]:
    """Every line with its standing state, and what it counts towards (one pass: this is the hot loop).
    `read_time` turns the driver's created_at into an aware UTC datetime."""
    deadlines_of = _Cached(_parse_deadlines)

    def judge(key: tuple[tuple[date, ...], str | None]) -> Overdue | None:
        return overdue_in_period(deadlines=key[0], recurrence=key[1], period_start=period.start,
                                 period_end=period.end, today=today, done=False)

    overdue_of = _Cached(judge)
    category_of = _Cached(blockers.categorize)
    done, blocked, no_report = Status.DONE.value, Status.BLOCKED.value, NO_REPORT
    track = previous is not None
    previous_cutoff = previous.cutoff if previous is not None else date.min
    marks = _Marks()
    done_ids, overdue_ids, due_ids, reported_ids = marks.done, marks.overdue, marks.due, marks.reported
    lines: list[TaskLine] = []
    for task_id, code, kind, section, _position, title, timeframe, raw_deadlines, completed, lead_id, recurrence \
            in rows:
        key = (task_id, lead_id)
        deadlines = deadlines_of[raw_deadlines]
        first_done = done_before.get(key)
        carried = carried_done(recurrence=recurrence, completed=bool(completed), done_earlier=first_done is not None)
        report = current.get(key)
        if report is None:
            status = done if carried else no_report
            line = TaskLine(task_id, code, title, kind, section, lead_id, names[lead_id], supports.get(task_id, ()),
                            timeframe, deadlines, status, carried)
        else:
            _task_id, _unit_id, _period_id, status, percent, expected, blocker, note, late, created, reporter = report
            if blocker is not None:
                blocker = blocker.strip() or None
            category = category_of[blocker or note] if status == blocked or blocker else None
            line = TaskLine(task_id, code, title, kind, section, lead_id, names[lead_id], supports.get(task_id, ()),
                            timeframe, deadlines, status, carried, percent, note, blocker, category,
                            expected if expected is None else _day(expected), bool(late), False, reporter,
                            read_time(created))
            if category is not None:
                marks.blocked.append(line)
                if track and key not in blocked_before:
                    marks.newly_blocked.append(line)
            if not carried:
                reported_ids.append(lead_id)
                if late:
                    marks.late.append(lead_id)
                if reporter:
                    marks.reporters.add((lead_id, reporter))
        lines.append(line)
        if not carried:
            due_ids.append(lead_id)
        if status == done:
            done_ids.append(lead_id)
        elif deadlines and (overdue := overdue_of[deadlines, recurrence]) is not None:
            line.overdue, line.overdue_since = True, overdue.since
            overdue_ids.append(lead_id)
        if track:
            if completed or (first_done is not None and first_done <= previous_cutoff):
                marks.done_before_previous += 1
            elif status == done:
                marks.newly_done.append(line)
    return lines, marks


def _completion_rate(done: int, total: int) -> float:
    return round(100.0 * done / total, 1) if total else 0.0


def _tally(lines: list[TaskLine], marks: _Marks, names: dict[int, str], previous: PeriodInfo | None
           ) -> tuple[list[UnitSummary], Totals, Changes]:
    """The units' submission records, the totals and the changes since the previous period."""
    units = _unit_summaries(lines, marks, names)
    grouped: dict[str, list[BlockerItem]] = {key: [] for key in blockers.ORDER}
    for line in marks.blocked:
        category = line.blocker_category
        assert category is not None
        grouped[category].append(BlockerItem(category=category, text=(line.blocker or line.note or "").strip(),
                                             code=line.code, title=line.title, lead=line.lead))
    by_status = Counter(map(attrgetter("status"), lines))  # in order of first appearance
    done = by_status.get(Status.DONE.value, 0)
    states = Counter(unit.state for unit in units)
    totals = Totals(
        lines=len(lines), by_status=dict(by_status), done=done, completion_rate=_completion_rate(done, len(lines)),
        units_total=len(units), units_on_time=states[UnitState.ON_TIME], units_late=states[UnitState.LATE],
        units_missing=states[UnitState.MISSING], overdue=len(marks.overdue), blocked=len(marks.blocked),
        blockers={key: items for key, items in grouped.items() if items}, units_partial=states[UnitState.PARTIAL],
    )
    if previous is None:
        return units, totals, Changes()
    before_rate = _completion_rate(marks.done_before_previous, len(lines))
    changes = Changes(
        previous_key=previous.key, previous_label=previous.label, previous_completion_rate=before_rate,
        completion_rate_delta=round(totals.completion_rate - before_rate, 1),
        newly_done=[line.ref() for line in marks.newly_done],
        newly_blocked=[line.ref() for line in marks.newly_blocked],
    )
    return units, totals, changes


def _unit_summaries(lines: list[TaskLine], marks: _Marks, names: dict[int, str]) -> list[UnitSummary]:
    """The units with something to report (a due line), their state set, sorted by name."""
    all_lines = Counter(map(attrgetter("lead_unit_id"), lines))
    due = Counter(marks.due)
    done, overdue, blocked = Counter(marks.done), Counter(marks.overdue), Counter(map(attrgetter("lead_unit_id"),
                                                                                        marks.blocked))
    reported, late = Counter(marks.reported), Counter(marks.late)
    reporters: dict[int, list[str]] = defaultdict(list)
    for unit_id, name in marks.reporters:
        reporters[unit_id].append(name)
    folded = _Folded()
    listed: list[UnitSummary] = []
    for unit_id in all_lines:
        if not due[unit_id]:
            continue
        unit = UnitSummary(unit_id=unit_id, unit=names[unit_id], state=UnitState.ON_TIME,
                           reported=reported[unit_id], total=due[unit_id], late=late[unit_id],
                           overdue=overdue[unit_id], blocked=blocked[unit_id], done=done[unit_id],
                           lines=all_lines[unit_id],
                           reporters=sorted(reporters.get(unit_id, ()), key=folded.__getitem__))
        if unit.reported < unit.total:
            unit.state = UnitState.PARTIAL if unit.reported else UnitState.MISSING
        elif unit.late:
            unit.state = UnitState.LATE
        listed.append(unit)
    return sorted(listed, key=lambda u: folded[u.unit])


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
        more = and_more(len(active), 10, "kế hoạch")
        listed = "; ".join(f"{r.id}: {r.number or r.title}" for r in active[:10]) + (f"; {more}" if more else "")
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
