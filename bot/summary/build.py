"""The summary of a plan for one period, from the rows storage.summary reads: every summary rule lives here.

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

Two ways to the same figures, one query count each whatever the number of units and tasks:

- `build_summary(detail=True)` (the default) reads every line and builds them all (`Summary.tasks`): what the
  text, Excel, Word, chart and JSON renderers of a whole summary need. Eight queries (plan, periods, lines
  with the reported tasks no lead unit answers for, support units, unit names, standing reports of this
  period, blocked ones of the previous period, done in earlier periods), a ninth for the texts of those tasks
  when there are some; about a second at 100,000 lines, most of it reading
  300,000 rows and building 100,000 TaskLine objects.
- `build_summary(detail=False)` counts the lines in SQL, grouped by lead unit and by what the rules look at
  (recurrence, completed, the current report's status and late flag, done in an earlier period, a deadline
  set judged overdue here), and builds only the lines the figures name one by one: the blocked ones (blockers
  by category, newly blocked), the newly done ones and the first `OVERDUE_SAMPLE` overdue ones
  (`Summary.overdue_sample`). Units, totals and changes are identical to the full path's; `Summary.tasks` is
  empty and `Summary.detail` False. The deadline sets are judged in Python (`overdue_in_period`, the one rule)
  and passed to SQL as values; a plan with more than `MAX_MARKED` distinct sets takes the full path.

`now` is a parameter and the clock is never read here.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from sqlmodel import Session

from bot.base.clock import local
from bot.base.errors import UserError
from bot.base.period import done_windows, previous_of
from bot.base.period_keys import listed_keys
from bot.base.text import and_more, fold
from bot.calendar import Frequency, ReportingPeriod
from bot.summary import blockers
from bot.summary.gc_pause import gc_paused
from bot.summary.labels import STATUS_ORDER
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
    UnassignedTask,
    UnitState,
    UnitSummary,
    chart_state,
)
from bot.summary.overdue import Overdue, carried_done, overdue_in_period
from storage import summary as rows_of
from storage.models import REPORTED_KINDS, Status

OVERDUE_SAMPLE = 100  # overdue lines an aggregate summary lists (the web overview shows 100)
MAX_MARKED = 500  # distinct deadline sets an aggregate summary passes to SQL; beyond, the full path
SAMPLE_WALK = 4  # the first lines an aggregate summary looks through for its overdue sample, per candidate wanted

Key = tuple[int, int]  # (task_id, unit_id)


# --- plan and periods ---------------------------------------------------------------------------------


def _load_plan(session: Session, plan_id: int) -> PlanInfo:
    row = rows_of.plan_row(session=session, plan_id=plan_id)
    if row is None:
        raise UserError(f"Không tìm thấy kế hoạch mã {plan_id}.")
    return PlanInfo(id=row[0], number=row[1], title=row[2], issuer=row[3], year=row[4], coordinator=row[5])


def _load_periods(session: Session, plan_id: int) -> list[PeriodInfo]:
    return [
        PeriodInfo(id=pid, key=key, kind=kind, label=period_label(key, kind, start, end, cutoff), start=start,
                   end=end, cutoff=cutoff, request_text=request_text)
        for pid, key, kind, start, end, cutoff, request_text in rows_of.period_rows(session=session, plan_id=plan_id)
    ]


def period_label(key: str, kind: str, start: date, end: date, cutoff: date) -> str:
    """ "Quý II/2026", "6 tháng đầu năm 2026", "Năm 2026"; ad hoc requests: "Đột xuất (hạn dd/mm/yyyy)"."""
    if kind == Frequency.AD_HOC:
        return f"Đột xuất {key}"
    try:
        return ReportingPeriod(key, Frequency(kind), start, end, cutoff).label_vi()
    except ValueError:
        return key


def find_period(periods: Iterable[PeriodInfo], key: str) -> PeriodInfo | None:
    wanted = key.strip().upper()
    return next((p for p in periods if p.key.upper() == wanted), None)


def previous_period(periods: Iterable[PeriodInfo], period: PeriodInfo) -> PeriodInfo | None:
    """The period of the same kind with the latest cutoff before this one's."""
    return previous_of(periods, period)


# --- the summary --------------------------------------------------------------------------------------


def build_summary(*, session: Session, plan_id: int, period_key: str, now: datetime, unit_id: int | None = None,
                  detail: bool = True) -> Summary:
    """The summary of `plan_id` for the period `period_key` as of `now` (optionally one lead unit only); with
    `detail=False`, the same figures without the list of every line (see the module's docstring)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    plan = _load_plan(session, plan_id)
    periods = _load_periods(session, plan_id)
    period = find_period(periods, period_key)
    if period is None:
        known = listed_keys(p.key for p in periods)
        raise UserError(f"{plan.label()} không có kỳ báo cáo «{period_key}» (các kỳ: {known}).")
    with gc_paused():
        before, before_previous = done_windows(periods, period)
        earlier = {p.id: p.cutoff for p in before}
        previous = previous_period(periods, period)
        if not detail:
            found = _aggregate(session, plan, period, previous, earlier, [p.id for p in before_previous], now,
                               unit_id)
            if found is not None:
                return found
        return _summarize(session, plan, period, previous, earlier, now, unit_id)


def _summarize(session: Session, plan: PlanInfo, period: PeriodInfo, previous: PeriodInfo | None,
               earlier: dict[int, date], now: datetime, unit_id: int | None) -> Summary:
    """Every line read and built; the rows are freed on return, before the collector runs."""
    line_rows = rows_of.line_rows(session=session, plan_id=plan.id, kinds=REPORTED_KINDS, unit_id=unit_id,
                                  unassigned=True)
    unassigned = any(row[9] is None for row in line_rows)  # tasks with no lead unit came with the lines
    if unassigned:
        line_rows = [row for row in line_rows if row[9] is not None]
    names = rows_of.unit_names(session=session)
    supports = _support_names(rows_of.support_rows(session=session, plan_id=plan.id, kinds=REPORTED_KINDS,
                                                   unit_id=unit_id), names)
    current, read_time = _load_current(session, period.id, unit_id, None)
    blocked_before = _blocked_in(session, previous.id if previous else None, unit_id)
    done_before = _done_before(session, earlier, unit_id, None)
    lines, marks = _build_lines(_in_plan_order(line_rows, names), supports, names, current, done_before,
                                blocked_before, previous, period, local(now).date(), read_time)
    units, totals, changes = _tally(lines, marks, names, previous)
    return Summary(plan=plan, period=period, generated_at=now, units=units, tasks=lines, totals=totals,
                   changes=changes, unit_filter=unit_id,
                   unassigned=_unassigned(session, plan.id, unit_id) if unassigned else [])


def _unassigned(session: Session, plan_id: int, unit_id: int | None) -> list[UnassignedTask]:
    """The reported tasks no lead unit answers for, in plan order, with the lead names their plan wrote (a
    unit's own summary has none)."""
    if unit_id is not None:
        return []
    return [UnassignedTask(code, title, tuple(names or ()))
            for code, title, names in rows_of.unassigned_rows(session=session, plan_id=plan_id, kinds=REPORTED_KINDS)]


def _load_current(session: Session, period_id: int, unit_id: int | None, task_ids: Any
                  ) -> tuple[dict[Key, tuple[Any, ...]], Any]:
    """The period's standing reports by (task_id, unit_id): the current versions, retractions dropped (an
    undo leaves no standing report); and the reader of created_at."""
    found, read_time = rows_of.current_rows(session=session, period_id=period_id, except_statuses=(Status.RETRACTED,),
                                            unit_id=unit_id, task_ids=task_ids)
    return {(row[0], row[1]): row for row in found}, read_time


def _blocked_in(session: Session, period_id: int | None, unit_id: int | None) -> set[Key]:
    """The (task_id, unit_id) pairs whose standing report in `period_id` named a blocker: status "blocked", or
    a blocker text that is not blank on a report that is not a retraction."""
    if period_id is None:
        return set()
    return {(task, unit) for task, unit, status, blocker in rows_of.blocker_rows(session=session, period_id=period_id,
                                                                                  unit_id=unit_id)
            if _names_blocker(status, blocker)}


def _names_blocker(status: str | None, blocker: str | None) -> bool:
    """A standing report names a blocker: status "blocked", or a blocker text that is not blank on a report that
    is not a retraction."""
    return status == Status.BLOCKED or bool(status != Status.RETRACTED and blocker and blocker.strip())


def _done_before(session: Session, earlier: dict[int, date], unit_id: int | None, task_ids: Any) -> dict[Key, date]:
    """(task_id, unit_id) -> the earliest cutoff of an earlier period (`earlier`: period id -> cutoff) whose
    standing report says done."""
    first: dict[Key, date] = {}
    if not earlier:
        return first
    for task_id, unit, period_id in rows_of.status_rows(session=session, period_ids=list(earlier),
                                                        status=Status.DONE, unit_id=unit_id, task_ids=task_ids):
        cutoff, key = earlier[period_id], (task_id, unit)
        known = first.get(key)
        if known is None or cutoff < known:
            first[key] = cutoff
    return first


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


_fold_name = lru_cache(maxsize=50_000)(fold)  # unit and reporter names repeat from one summary to the next


class _Folded(dict[str, str]):
    """fold(name), computed once per distinct name (and kept between summaries: a province's 1,000 names cost
    0.1 s to fold)."""

    def __missing__(self, name: str) -> str:
        value = self[name] = _fold_name(name)
        return value


def _in_plan_order(rows: list[tuple[Any, ...]], names: dict[int, str]) -> list[tuple[Any, ...]]:
    """Lines in plan order: task position, then task id, then (for a task with several leads) lead name, then
    lead id (two names may fold alike)."""
    rows.sort(key=itemgetter(4, 0))
    shared = {task for task, count in Counter(map(itemgetter(0), rows)).items() if count > 1}
    if shared:
        folded = _Folded()
        rows.sort(key=lambda r: (r[4], r[0], folded[names[r[9]]], r[9]) if r[0] in shared else (r[4], r[0], "", 0))
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


def _blocker_of(status: str, blocker: str | None, note: str | None, category_of: Any) -> tuple[str | None, str | None]:
    """A standing report's blocker text (stripped, None when blank) and its category: a report names a blocker
    when its status is "blocked" or it has a blocker text; the category is read from that text, else the note
    (`category_of`: blockers.categorize, cached)."""
    if blocker is not None:
        blocker = blocker.strip() or None
    return blocker, (category_of[blocker or note] if status == Status.BLOCKED or blocker else None)


def _done_by(completed: Any, first_done: date | None, previous_cutoff: date) -> bool:
    """Done by the previous period: completed at import, or first reported done in a period whose cutoff is
    not after the previous period's."""
    return bool(completed) or (first_done is not None and first_done <= previous_cutoff)


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
    done, no_report = Status.DONE.value, NO_REPORT
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
            blocker, category = _blocker_of(status, blocker, note, category_of)
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
            if _done_by(completed, first_done, previous_cutoff):
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
    by_status = _in_status_order(Counter(map(attrgetter("status"), lines)))
    done = by_status.get(Status.DONE.value, 0)
    states = Counter(unit.state for unit in units)
    totals = Totals(
        lines=len(lines), by_status=by_status, done=done, completion_rate=_completion_rate(done, len(lines)),
        units_total=len(units), units_on_time=states[UnitState.ON_TIME], units_late=states[UnitState.LATE],
        units_missing=states[UnitState.MISSING], overdue=len(marks.overdue), blocked=len(marks.blocked),
        blockers=_blocker_groups(_blocker_item(line.blocker_category, line.blocker, line.note, line.code, line.title,
                                               line.lead) for line in marks.blocked),
        units_partial=states[UnitState.PARTIAL],
    )
    return units, totals, _changes(previous, totals, done_before_previous=marks.done_before_previous,
                                   newly_done=[line.ref() for line in marks.newly_done],
                                   newly_blocked=[line.ref() for line in marks.newly_blocked])


def _in_status_order(counts: Counter[str]) -> dict[str, int]:
    """Lines by status, statuses in the labels' order (bot.summary.labels.STATUS_ORDER), any other after."""
    known = [status for status in STATUS_ORDER if counts.get(status)]
    return {status: counts[status] for status in known + sorted(set(counts) - set(known)) if counts[status]}


def _blocker_item(category: str | None, blocker: str | None, note: str | None, code: str, title: str, lead: str
                  ) -> BlockerItem:
    assert category is not None
    return BlockerItem(category=category, text=(blocker or note or "").strip(), code=code, title=title, lead=lead)


def _blocker_groups(items: Iterable[BlockerItem]) -> dict[str, list[BlockerItem]]:
    """The blocked lines' items by category, categories in their fixed order, lines in plan order."""
    grouped: dict[str, list[BlockerItem]] = {key: [] for key in blockers.ORDER}
    for item in items:
        grouped[item.category].append(item)
    return {key: found for key, found in grouped.items() if found}


def _changes(previous: PeriodInfo | None, totals: Totals, *, done_before_previous: int, newly_done: list[LineRef],
             newly_blocked: list[LineRef], newly_done_count: int | None = None) -> Changes:
    """The change since the previous period: its completion rate (lines done by its cutoff, over this period's
    lines), the lines newly done (or only their number: an aggregate summary) and newly blocked."""
    if previous is None:
        return Changes()
    before_rate = _completion_rate(done_before_previous, totals.lines)
    return Changes(
        previous_key=previous.key, previous_label=previous.label, previous_completion_rate=before_rate,
        completion_rate_delta=round(totals.completion_rate - before_rate, 1),
        newly_done=newly_done, newly_blocked=newly_blocked, newly_done_count=newly_done_count,
    )


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
    listed = [_unit_summary(unit_id, names[unit_id], reported=reported[unit_id], total=due[unit_id],
                            late=late[unit_id], overdue=overdue[unit_id], blocked=blocked[unit_id],
                            done=done[unit_id], lines=all_lines[unit_id],
                            reporters=sorted(reporters.get(unit_id, ()), key=folded.__getitem__))
              for unit_id in all_lines if due[unit_id]]
    return sorted(listed, key=lambda u: folded[u.unit])


# --- the aggregate path ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _UnitCounts:
    """A lead unit's lines counted from the groups (the fields of UnitSummary); `first` is its first line in
    plan order (position * ORDER_SHIFT + task id)."""

    first: int
    lines: int = 0
    due: int = 0
    reported: int = 0
    late: int = 0
    done: int = 0
    overdue: int = 0
    reporters: set[str] = field(default_factory=set)
    states: Counter[str] = field(default_factory=Counter)  # chart states, blocked ones still counted in progress


def _aggregate(session: Session, plan: PlanInfo, period: PeriodInfo, previous: PeriodInfo | None,
               earlier: dict[int, date], done_by: list[int], now: datetime, unit_id: int | None) -> Summary | None:
    """The summary with its lines counted in SQL (None when the plan has too many distinct deadline sets)."""
    today = local(now).date()
    tallied = rows_of.tallied_sets(session=session, period_id=period.id, unit_id=unit_id)  # counted at write time
    sets = tallied if tallied is not None else rows_of.task_deadlines(session=session, plan_id=plan.id,
                                                                      kinds=REPORTED_KINDS, unit_id=unit_id)
    if len(sets) > MAX_MARKED:
        return None
    marked = [(raw, recurrence) for raw, recurrence in sets
              if overdue_in_period(deadlines=_parse_deadlines(raw), recurrence=recurrence, period_start=period.start,
                                   period_end=period.end, today=today, done=False) is not None]
    if tallied is None:  # as tallied_counts gives them: the mark's lines counted beside the group's
        groups = [(unit, recurrence, completed, done_class, status, late, member, number, number if mark else 0, first)
                  for unit, recurrence, completed, done_class, mark, status, late, member, number, first in
                  rows_of.line_counts(session=session, plan_id=plan.id, kinds=REPORTED_KINDS, period_id=period.id,
                                      status_done=Status.DONE, done_in=list(earlier), done_by=done_by,
                                      marked=marked, unit_id=unit_id)]
    else:
        groups = rows_of.tallied_counts(session=session, period_id=period.id, marked=marked, unit_id=unit_id)
    reporters = rows_of.reporter_names(session=session, member_ids={row[6] for row in groups if row[6]})
    names = rows_of.unit_names(session=session)
    counts, by_status, done_before_previous, newly_done = _count_groups(groups, reporters)
    items, newly_blocked, blocked, blocked_open = _named(session, plan, period, previous, unit_id, names)
    overdue_total = sum(unit.overdue for unit in counts.values())
    line_total = sum(unit.lines for unit in counts.values())
    sample = _overdue_sample(session, plan, period, previous, today, unit_id, names, earlier, marked,
                             min(OVERDUE_SAMPLE, overdue_total), line_total, overdue_total)
    units = _units_from_counts(counts, blocked, names)
    for lead, number in blocked_open.items():  # blocked, not done: in progress for _count_groups
        states = counts[lead].states
        states[chart_state(done=False, blocked=False, silent=False)] -= number
        states[chart_state(done=False, blocked=True, silent=False)] += number
    done = by_status.get(Status.DONE.value, 0)
    states = Counter(unit.state for unit in units)
    totals = Totals(
        lines=line_total, by_status=by_status, done=done, completion_rate=_completion_rate(done, line_total),
        units_total=len(units), units_on_time=states[UnitState.ON_TIME], units_late=states[UnitState.LATE],
        units_missing=states[UnitState.MISSING], overdue=overdue_total, blocked=sum(blocked.values()),
        blockers=_blocker_groups(items), units_partial=states[UnitState.PARTIAL],
    )
    changes = _changes(previous, totals, done_before_previous=done_before_previous, newly_done=[],
                       newly_blocked=newly_blocked, newly_done_count=newly_done)
    unassigned = _unassigned(session, plan.id, unit_id) if any(row[0] is None for row in groups) else []
    states = {lead: {key: n for key, n in unit.states.items() if n} for lead, unit in counts.items()}
    return Summary(plan=plan, period=period, generated_at=now, units=units, tasks=[], totals=totals,
                   changes=changes, unit_filter=unit_id, unassigned=unassigned, detail=False, overdue_sample=sample,
                   unit_states=states)


def _count_groups(groups: list[tuple[Any, ...]], reporters: dict[int, str | None]
                  ) -> tuple[dict[int, _UnitCounts], dict[str, int], int, int]:
    """The units' counts, the lines by status, the number of lines done by the previous period's cutoff and
    the number of the others done now (newly done, when there is a previous period), from
    rows_of.tallied_counts' groups: the rules of _build_lines applied to groups of lines (`marked`: those of the
    group's lines whose deadline set is judged overdue)."""
    done, retracted = Status.DONE.value, Status.RETRACTED.value
    counts: dict[int, _UnitCounts] = {}
    by_status: Counter[str] = Counter()
    before = newly = 0
    # the rules, judged once per distinct argument (a province's 14,000 groups have a dozen)
    carried_of = _Cached(lambda key: carried_done(recurrence=key[0], completed=bool(key[1]), done_earlier=key[2] > 0))
    done_by_of = _Cached(lambda key: _done_by(key[0], date.min if key[1] == 2 else None, date.min))
    state_of = _Cached(lambda shown: chart_state(done=shown == done, blocked=False, silent=shown == NO_REPORT))
    for unit_id, recurrence, completed, done_class, status, late, member_id, number, marked, first in groups:
        if unit_id is None:  # tasks with no lead unit: not lines
            continue
        if status == retracted:  # an undo: no standing report
            status = None
        carried = carried_of[recurrence, completed, done_class]
        shown = (done if carried else NO_REPORT) if status is None else status
        unit = counts.get(unit_id)
        if unit is None:
            unit = counts[unit_id] = _UnitCounts(first)
        elif first < unit.first:
            unit.first = first
        unit.lines += number
        if not carried:
            unit.due += number
            if status is not None:
                unit.reported += number
                if late:
                    unit.late += number
                reporter = reporters.get(member_id) if member_id else None
                if reporter:
                    unit.reporters.add(reporter)
        if shown == done:
            unit.done += number
        else:
            unit.overdue += marked
        unit.states[state_of[shown]] += number
        by_status[shown] += number
        if done_by_of[completed, done_class]:
            before += number
        elif shown == done:
            newly += number
    return counts, _in_status_order(by_status), before, newly


def _named(session: Session, plan: PlanInfo, period: PeriodInfo, previous: PeriodInfo | None, unit_id: int | None,
           names: dict[int, str]) -> tuple[list[BlockerItem], list[LineRef], Counter[int], Counter[int]]:
    """From the period's reports that name a blocker: the blockers' items and the lines newly blocked (no
    blocker named by the line's standing report of the previous period), in plan order, and the blocked lines
    by unit, all and those not done (the lines newly done are only counted, by _count_groups)."""
    rows = rows_of.named_reports(session=session, plan_id=plan.id, kinds=REPORTED_KINDS, period_id=period.id,
                                 previous_id=previous.id if previous else None, unit_id=unit_id)
    folded = _Folded()
    rows.sort(key=lambda r: (r[4], r[0], folded[names[r[1]]], r[1]))  # plan order, as _in_plan_order
    category_of = _Cached(blockers.categorize)
    items: list[BlockerItem] = []
    newly_blocked: list[LineRef] = []
    blocked: list[int] = []  # unit ids, counted at the end with Counter (which runs in C)
    blocked_open: list[int] = []
    retracted, done, track = Status.RETRACTED.value, Status.DONE.value, previous is not None
    for _task_id, unit, code, title, _position, _completed, status, blocker, note, before, before_blocker in rows:
        if status == retracted:
            continue
        blocker, category = _blocker_of(status, blocker, note, category_of)
        if category is not None:
            lead = names[unit]
            items.append(_blocker_item(category, blocker, note, code, title, lead))
            blocked.append(unit)
            if status != done:
                blocked_open.append(unit)
            if track and not (before is not None and _names_blocker(before, before_blocker)):
                newly_blocked.append(LineRef(code, title, lead))
    return items, newly_blocked, Counter(blocked), Counter(blocked_open)


def _overdue_sample(session: Session, plan: PlanInfo, period: PeriodInfo, previous: PeriodInfo | None, today: date,
                    unit_id: int | None, names: dict[int, str], earlier: dict[int, date],
                    marked: list[tuple[str, str]], wanted: int, lines_in_all: int, overdue_in_all: int
                    ) -> list[TaskLine]:
    """The first `wanted` overdue lines in plan order, built as the full path builds them: the lines of the
    first tasks with an overdue deadline set that are not reported done, among the first lines of the plan
    (`lines_in_all` of them), more when some of them turn out done (carried) after all or too few were
    candidates."""
    # a candidate in two that turns out carried (done earlier) still fills the sample in one round, and so do
    # the first lines when the overdue ones are spread evenly (twice as many as their share would need); more
    # are looked for when not (building 800 candidates' lines for 100 was a third of the sample's time)
    limit = 2 * wanted
    share = -(-2 * wanted * lines_in_all // max(1, overdue_in_all))
    walk = max(1, int(SAMPLE_WALK * limit), share)  # the first lines looked at (their number bounds the query's cost)
    while wanted:
        ids = rows_of.marked_tasks(session=session, plan_id=plan.id, kinds=REPORTED_KINDS, period_id=period.id,
                                   marked=marked, except_status=Status.DONE, limit=limit, walk=walk,
                                   unit_id=unit_id)
        done_before = _done_before(session, earlier, unit_id, ids)  # of these tasks only
        # the lines' marks are not read (the previous period's blockers only mark lines newly blocked)
        lines = _detail(session, plan, period, previous, today, unit_id, ids, names, done_before, set())[0]
        sample = [line for line in lines if line.overdue][:wanted]
        if len(sample) >= wanted or (walk >= lines_in_all and len(ids) < limit):  # enough, or every candidate seen
            return sample
        limit *= 4
        walk *= 4
    return []


def _detail(session: Session, plan: PlanInfo, period: PeriodInfo, previous: PeriodInfo | None, today: date,
            unit_id: int | None, task_ids: Any, names: dict[int, str], done_before: dict[Key, date],
            blocked_before: set[Key]) -> tuple[list[TaskLine], _Marks]:
    """The lines of the tasks in `task_ids` (a list or a subquery), built as the full path builds them."""
    line_rows = rows_of.line_rows(session=session, plan_id=plan.id, kinds=REPORTED_KINDS, unit_id=unit_id,
                                  task_ids=task_ids)
    supports = _support_names(rows_of.support_rows(session=session, plan_id=plan.id, kinds=REPORTED_KINDS,
                                                   unit_id=unit_id, task_ids=task_ids), names)
    current, read_time = _load_current(session, period.id, unit_id, task_ids)
    return _build_lines(_in_plan_order(line_rows, names), supports, names, current, done_before, blocked_before,
                        previous, period, today, read_time)


def _units_from_counts(counts: dict[int, _UnitCounts], blocked: Counter[int], names: dict[int, str]
                       ) -> list[UnitSummary]:
    """The units with a due line, their state set, sorted by name (as _unit_summaries)."""
    folded = _Folded()
    listed: list[UnitSummary] = []
    for unit_id, unit in sorted(counts.items(), key=lambda item: item[1].first):
        if not unit.due:
            continue
        listed.append(_unit_summary(unit_id, names[unit_id], reported=unit.reported, total=unit.due, late=unit.late,
                                    overdue=unit.overdue, blocked=blocked[unit_id], done=unit.done, lines=unit.lines,
                                    reporters=sorted(unit.reporters, key=folded.__getitem__)))
    return sorted(listed, key=lambda u: folded[u.unit])


def _unit_summary(unit_id: int, name: str, *, reported: int, total: int, late: int, overdue: int, blocked: int,
                  done: int, lines: int, reporters: list[str]) -> UnitSummary:
    """A unit's record and its state: missing (no due line reported), partial (some), late (a report on a due
    line was late), else on time."""
    unit = UnitSummary(unit_id=unit_id, unit=name, state=UnitState.ON_TIME, reported=reported, total=total, late=late,
                       overdue=overdue, blocked=blocked, done=done, lines=lines, reporters=reporters)
    if unit.reported < unit.total:
        unit.state = UnitState.PARTIAL if unit.reported else UnitState.MISSING
    elif unit.late:
        unit.state = UnitState.LATE
    return unit


# --- finding the plan (for the CLI and the chat handlers) -----------------------------------------------


def resolve_plan(*, session: Session, ref: str | None) -> int:
    """A plan id from an id or a plan number ("125/KH-UBND", or "125" when unambiguous);
    with no reference, the only active plan."""
    rows = rows_of.plan_refs(session=session)
    if ref is None or not ref.strip():
        active = [r for r in rows if r[3]]
        if len(active) == 1:
            return active[0][0]
        if not active:
            raise UserError("Chưa có kế hoạch nào đang hoạt động. Hãy nhập kế hoạch trước.")
        more = and_more(len(active), 10, "kế hoạch")
        listed = "; ".join(f"{r[0]}: {r[1] or r[2]}" for r in active[:10]) + (f"; {more}" if more else "")
        raise UserError(f"Có {len(active)} kế hoạch đang hoạt động; hãy chọn một bằng --plan ({listed}).")
    wanted = "".join(fold(ref).split())
    if wanted.isdigit() and any(r[0] == int(wanted) for r in rows):
        return int(wanted)
    exact = [r for r in rows if r[1] and "".join(fold(r[1]).split()) == wanted]
    prefix = [r for r in rows if r[1] and "".join(fold(r[1]).split()).startswith(wanted + "/")]
    for found in (exact, prefix):
        if len(found) == 1:
            return found[0][0]
        if len(found) > 1:
            raise UserError(f"Có nhiều kế hoạch số «{ref}»; hãy dùng mã kế hoạch (id).")
    raise UserError(f"Không tìm thấy kế hoạch «{ref}» (theo mã hoặc số kế hoạch).")
