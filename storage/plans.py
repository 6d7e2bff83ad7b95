"""Plans and their tasks: load the unit directory for an import, save a plan in one go, list plans and tasks.

Re-import rules (the same plan, matched by number, else by title and year):
- a task is matched by its code and updated in place: its id, and so its status reports, stay;
- a task no longer in the file is marked inactive (`Task.active = False`), never deleted; it becomes
  active again if a later file lists it;
- assignments are recomputed; reports hang on (task, unit), so dropping an assignment loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, func, insert, update
from sqlmodel import Session, col, select

from bot.base.errors import UserError
from bot.base.text import normalize_name
from storage import tally
from storage.models import AssignmentRole, Plan, StatusReport, Task, TaskAssignment, Unit


class ParsedItem(Protocol):
    """A task as the importer read it (`bot.importer.items.ParsedItem` has this shape): storage states what it
    stores and imports nothing of the importer."""

    @property
    def kind(self) -> str: ...
    @property
    def appendix(self) -> str | None: ...
    @property
    def section(self) -> str | None: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def parent_code(self) -> str | None: ...
    @property
    def lead(self) -> Sequence[str]: ...
    @property
    def support(self) -> Sequence[str]: ...
    @property
    def product(self) -> str | None: ...
    @property
    def timeframe(self) -> str | None: ...
    @property
    def deadlines(self) -> Sequence[str]: ...
    @property
    def recurrence(self) -> str: ...
    @property
    def completed(self) -> bool: ...


class PlanMeta(Protocol):
    @property
    def number(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def year(self) -> int: ...
    @property
    def regimes(self) -> Sequence[dict[str, Any]]: ...


class ParsedPlan(Protocol):
    """A plan as the importer read it (`bot.importer.items.ParsedPlan` has this shape)."""

    @property
    def meta(self) -> PlanMeta: ...
    @property
    def items(self) -> Sequence[ParsedItem]: ...
    @property
    def source_name(self) -> str | None: ...


Assignment = tuple[int, str, str | None]  # unit id, role, via group


def find_plan(*, session: Session, number: str | None, title: str, year: int) -> Plan | None:
    """The stored plan with this number, else the one with this title (ignoring case and diacritics) and year."""
    if number:
        plan = session.exec(select(Plan).where(Plan.number == number).order_by(col(Plan.id).desc())).first()
        if plan is not None:
            return plan
    key = normalize_name(title)
    for plan in session.exec(select(Plan).where(Plan.year == year).order_by(col(Plan.id).desc())):
        if normalize_name(plan.title) == key:
            return plan
    return None


@dataclass
class SaveResult:
    plan_id: int
    created_plan: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    deactivated_with_reports: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id, "created_plan": self.created_plan, "added": len(self.added),
            "updated": len(self.updated), "unchanged": len(self.unchanged), "deactivated": self.deactivated,
            "deactivated_with_reports": self.deactivated_with_reports,
        }


def _task_fields(item: ParsedItem) -> dict[str, Any]:
    return {
        "kind": item.kind, "appendix": (item.appendix or None) and item.appendix[:100],
        "section": item.section[:500] if item.section else None, "parent_code": item.parent_code,
        "position": item.position, "title": item.title, "product": item.product, "timeframe_raw": item.timeframe,
        "deadlines": list(item.deadlines), "recurrence": item.recurrence[:20], "completed": item.completed,
        "active": True, "lead_names": list(item.lead), "support_names": list(item.support),
    }


def save_plan(
    *, session: Session, parsed: ParsedPlan, assignments: dict[str, list[Assignment]],
    coordinator_unit_id: int | None, now: datetime,
) -> SaveResult:
    """Create or update the plan and its tasks (the caller's session is the one transaction)."""
    meta = parsed.meta
    plan = find_plan(session=session, number=meta.number, title=meta.title, year=meta.year)
    created = plan is None
    if plan is None:
        plan = Plan(title=meta.title[:1000], year=meta.year, created_at=now, updated_at=now)
    plan.number = meta.number or plan.number
    plan.title = meta.title[:1000]
    plan.issuer = (meta.issuer or plan.issuer or None) and (meta.issuer or plan.issuer or "")[:300]
    plan.year = meta.year
    plan.coordinator_unit_id = coordinator_unit_id or plan.coordinator_unit_id
    if meta.regimes:
        plan.regimes = list(meta.regimes)
    plan.source_name = (parsed.source_name or "")[:300] or plan.source_name
    plan.active = True
    plan.updated_at = now
    session.add(plan)
    session.flush()
    assert plan.id is not None
    result = SaveResult(plan_id=plan.id, created_plan=created)
    existing = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id))}
    seen: set[str] = set()
    tasks: dict[str, Task] = {}
    for item in parsed.items:
        fields = _task_fields(item)
        code = item.code[:40]
        seen.add(code)
        task = existing.get(code)
        if task is None:
            task = Task(plan_id=plan.id, code=code, created_at=now, updated_at=now, **fields)
            result.added.append(code)
        elif any(getattr(task, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(task, name, value)
            task.updated_at = now
            result.updated.append(code)
        else:
            result.unchanged.append(code)
        session.add(task)
        tasks[code] = task
    session.flush()
    gone = [task for code, task in existing.items() if code not in seen and task.active]
    reported = _tasks_with_reports(session, [t.id for t in gone if t.id is not None])
    for task in gone:
        task.active = False
        task.updated_at = now
        session.add(task)
        result.deactivated.append(task.code)
        if task.id in reported:
            result.deactivated_with_reports.append(task.code)
    sync_assignments(session=session, wanted={task.id: assignments.get(code, []) for code, task in tasks.items()
                                             if task.id is not None}, recount=False)
    session.flush()
    tally.refresh_plan(session, plan_id=plan.id)
    return result


def _tasks_with_reports(session: Session, task_ids: list[int]) -> set[int]:
    if not task_ids:
        return set()
    rows = session.exec(select(StatusReport.task_id).where(col(StatusReport.task_id).in_(task_ids)).distinct())
    return set(rows)


def task_unit_names(*, session: Session, plan_id: int | None = None) -> list[tuple[int, list[str], list[str]]]:
    """(task id, lead names, support names) of every active task that kept the names its plan wrote."""
    table = Task.__table__  # type: ignore[attr-defined]
    query = select(table.c.id, table.c.lead_names, table.c.support_names).where(
        table.c.active.is_(True), table.c.lead_names.is_not(None))
    if plan_id is not None:
        query = query.where(table.c.plan_id == plan_id)
    return [(task_id, lead or [], support or []) for task_id, lead, support in session.execute(query)]


def sync_assignments(*, session: Session, wanted: dict[int, list[Assignment]], recount: bool = True) -> int:
    """Bring each task's assignments to `wanted` (by task id) with bulk statements (thousands of rows), and
    the tally of the lead units concerned (unless `recount` is False: the caller counts the plan again);
    returns how many tasks changed."""
    ids = list(wanted)
    table = TaskAssignment.__table__  # type: ignore[attr-defined]
    columns = select(table.c.id, table.c.task_id, table.c.unit_id, table.c.role, table.c.via_group)
    # a few tasks: by id, in chunks; many (a re-resolution): every row in one query, the others skipped
    chunks = [columns.where(table.c.task_id.in_(ids[i:i + 500])) for i in range(0, len(ids), 500)] \
        if len(ids) <= 2000 else [columns]
    current: dict[int, dict[tuple[int, str], tuple[int, str | None]]] = {}
    for query in chunks:
        for row_id, task_id, unit_id, role, via in session.execute(query):
            if task_id in wanted:
                current.setdefault(task_id, {})[(unit_id, role)] = (row_id, via)
    stale: list[int] = []
    regrouped: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    changed: set[int] = set()
    for task_id, rows in wanted.items():
        have = current.get(task_id, {})
        want = {(unit_id, role): (via[:300] if via else None) for unit_id, role, via in rows}
        for key, (row_id, via) in have.items():
            if key not in want:
                stale.append(row_id)
                changed.add(task_id)
            elif via != want[key]:
                regrouped.append({"row_id": row_id, "via": want[key]})
        new = [{"task_id": task_id, "unit_id": unit_id, "role": role, "via_group": via}
               for (unit_id, role), via in want.items() if (unit_id, role) not in have]
        if new:
            changed.add(task_id)
            fresh += new
    for start in range(0, len(stale), 500):
        session.execute(delete(table).where(table.c.id.in_(stale[start:start + 500])))
    if regrouped:
        session.execute(update(table).where(table.c.id == bindparam("row_id")).values(via_group=bindparam("via")),
                        regrouped)
    if fresh:
        session.execute(insert(table), fresh)
    if recount and changed:
        before = {unit_id for task_id in changed for (unit_id, role) in current.get(task_id, {})
                  if role == AssignmentRole.LEAD}
        tally.refresh_tasks(session, task_ids=changed, units_before=before)
    return len(changed)


@dataclass
class PlanView:
    id: int
    number: str | None
    title: str
    issuer: str | None
    year: int
    active: bool
    coordinator: str | None
    tasks: int
    targets: int
    groups: int
    inactive: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_plans(*, session: Session) -> list[PlanView]:
    counts: dict[tuple[int, str, bool], int] = {}
    rows = session.exec(select(Task.plan_id, Task.kind, Task.active, func.count()).group_by(
        Task.plan_id, Task.kind, Task.active))
    for plan_id, kind, active, count in rows:
        counts[(plan_id, kind, bool(active))] = count
    units = {u.id: u.name for u in session.exec(select(Unit))}
    views = []
    for plan in session.exec(select(Plan).order_by(col(Plan.year).desc(), Plan.id)):
        pid = plan.id or 0
        views.append(PlanView(
            id=pid, number=plan.number, title=plan.title, issuer=plan.issuer, year=plan.year, active=plan.active,
            coordinator=units.get(plan.coordinator_unit_id) if plan.coordinator_unit_id else None,
            tasks=counts.get((pid, "task", True), 0), targets=counts.get((pid, "target", True), 0),
            groups=counts.get((pid, "group", True), 0),
            inactive=sum(v for (p, _, active), v in counts.items() if p == pid and not active),
        ))
    return views


@dataclass
class TaskView:
    plan_id: int
    code: str
    kind: str
    title: str
    lead: list[str]
    support: list[str]
    timeframe: str | None
    deadlines: list[str]
    recurrence: str
    completed: bool
    active: bool
    section: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def resolve_plan(*, session: Session, plan: str) -> Plan:
    """A plan by id, number or (part of its) title."""
    if plan.isdigit():
        found = session.get(Plan, int(plan))
        if found is not None:
            return found
    found = session.exec(select(Plan).where(Plan.number == plan)).first()
    if found is not None:
        return found
    key = normalize_name(plan)
    matches = [p for p in session.exec(select(Plan)) if key in normalize_name(p.title)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UserError(f"Không tìm thấy kế hoạch «{plan}». Xem danh sách: nhacviec plans list")
    raise UserError(f"Có {len(matches)} kế hoạch khớp «{plan}»; hãy dùng mã số (id) của kế hoạch.")


def list_tasks(*, session: Session, plan: str | None = None, unit_ids: list[int] | None = None,
               include_inactive: bool = False) -> list[TaskView]:
    """Active tasks (all with `include_inactive`), of a plan, and of units (`unit_ids`: led or supported,
    directly or through a group, since a group's tasks are assigned to each of its members)."""
    query = select(Task)
    if plan:
        query = query.where(Task.plan_id == resolve_plan(session=session, plan=plan).id)
    if not include_inactive:
        query = query.where(Task.active == True)  # noqa: E712
    if unit_ids is not None:
        query = query.where(col(Task.id).in_(
            select(TaskAssignment.task_id).where(col(TaskAssignment.unit_id).in_(unit_ids))))
    tasks = list(session.exec(query.order_by(Task.plan_id, Task.position, Task.id)))
    names = {u.id: u.name for u in session.exec(select(Unit))}
    people: dict[int, dict[str, list[str]]] = {}
    ids = [t.id for t in tasks]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in session.exec(select(TaskAssignment).where(col(TaskAssignment.task_id).in_(chunk))
                                .order_by(TaskAssignment.id)):
            people.setdefault(row.task_id, {"lead": [], "support": []}).setdefault(row.role, []).append(
                names.get(row.unit_id, str(row.unit_id)))
    return [
        TaskView(plan_id=t.plan_id, code=t.code, kind=t.kind, title=t.title,
                 lead=people.get(t.id or 0, {}).get("lead", []), support=people.get(t.id or 0, {}).get("support", []),
                 timeframe=t.timeframe_raw, deadlines=list(t.deadlines), recurrence=t.recurrence,
                 completed=t.completed, active=t.active, section=t.section)
        for t in tasks
    ]


@dataclass
class PlanRoster:
    """Who a plan's tasks reach, as plain rows: what `plans check` judges."""

    plan: Plan
    tasks: list[tuple[int, str, str, list[str] | None, list[str] | None]]  # id, code, title, lead, support names
    leads: dict[int, set[int]]  # task id -> lead unit ids
    units: dict[int, str]  # every unit assigned to a task of the plan (lead or support)
    with_chat: set[int]  # units with an active chat binding
    with_head: set[int]  # units with an active head


def plan_roster(*, session: Session, plan_id: int) -> PlanRoster:
    from storage.models import ChatBinding, Member, Role

    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UserError(f"Không tìm thấy kế hoạch mã {plan_id}. Xem danh sách: nhacviec plans list")
    tasks = [(t.id or 0, t.code, t.title, t.lead_names, t.support_names) for t in session.exec(
        select(Task).where(Task.plan_id == plan_id, Task.active == True,  # noqa: E712
                           col(Task.kind).in_(("task", "target"))).order_by(Task.position, Task.id))]
    leads: dict[int, set[int]] = {}
    assigned: set[int] = set()
    rows = session.exec(select(TaskAssignment.task_id, TaskAssignment.unit_id, TaskAssignment.role)
                        .join(Task, Task.id == TaskAssignment.task_id).where(Task.plan_id == plan_id))
    for task_id, unit_id, role in rows:
        assigned.add(unit_id)
        if role == "lead":
            leads.setdefault(task_id, set()).add(unit_id)
    units = {u.id or 0: u.name for u in session.exec(select(Unit).where(col(Unit.id).in_(assigned)))}
    with_chat = set(session.exec(select(ChatBinding.unit_id).where(ChatBinding.active == True)))  # noqa: E712
    with_head = {unit_id for unit_id in session.exec(select(Member.unit_id).where(
        Member.active == True, Member.role == Role.HEAD)) if unit_id is not None}  # noqa: E712
    return PlanRoster(plan=plan, tasks=tasks, leads=leads, units=units, with_chat=with_chat, with_head=with_head)
