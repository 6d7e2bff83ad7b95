"""From the plan to outbox rows: resolve each due send's recipients (chats) and give it a unique key.

Planning is idempotent (INSERT ... ON CONFLICT DO NOTHING on the key), so the "plan ahead" job can run
as often as it likes, in as many processes as run, and a restart plans nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.base.clock import VN_TZ
from bot.calendar import Frequency, Regime, ReportingPeriod
from bot.directory.resolve import load_unit_directory
from bot.periods import as_period, ensure_periods, plan_regimes
from scheduler.planner import Due, LevelFact, PeriodFact, PlanFacts, TaskFact, plan_dues
from scheduler.settings import NudgeSettings
from storage.members import unit_chats
from storage.models import AssignmentRole, ChatBinding, Plan, ReportingPeriodRow, Role, Task, TaskAssignment, Unit
from storage.outbox import DROPPED, PlannedRow, add_rows
from storage.reports import active_plans

log = logging.getLogger(__name__)
NO_CHAT = "chưa có chat nào nhận tin (chưa gắn nhóm hoặc cán bộ)"


@dataclass(frozen=True)
class Target:
    chat_id: str
    platform: str  # the binding's: the dispatcher sends through that platform's notifier


def plan_facts(*, session: Session, plan: Plan, now: datetime, tz: ZoneInfo = VN_TZ) -> PlanFacts:
    """Plain facts about one plan: its nudge settings, its periods (created for this year and the next) and
    its tasks' deadlines and lead units."""
    assert plan.id is not None
    today = now.astimezone(tz).date()
    ensure_periods(session=session, plan=plan, years=[today.year, today.year + 1], now=now)
    rows = session.exec(select(ReportingPeriodRow).where(ReportingPeriodRow.plan_id == plan.id)).all()
    leveled = {r.frequency.value: r for r in plan_regimes(plan) if r.levels}
    periods = tuple(PeriodFact(r.id, r.key, r.kind, r.start, r.end, r.cutoff, _label(r),
                               _levels(leveled.get(r.kind), r)) for r in rows if r.id is not None)
    assignments = session.exec(select(Task, TaskAssignment.unit_id).join(
        TaskAssignment, TaskAssignment.task_id == Task.id).where(
        Task.plan_id == plan.id, Task.active.is_(True), TaskAssignment.role == AssignmentRole.LEAD,  # type: ignore[attr-defined]
        Task.kind.in_(("task", "target")))).all()  # type: ignore[attr-defined]
    tasks: dict[int, tuple[Task, list[int]]] = {}
    for task, unit_id in assignments:
        assert task.id is not None
        tasks.setdefault(task.id, (task, []))[1].append(unit_id)
    facts = tuple(TaskFact(task.id, task.code, _deadlines(task) if not task.completed else (), tuple(sorted(units)))
                  for task, units in tasks.values() if task.id is not None)
    return PlanFacts(plan.id, NudgeSettings.from_plan(plan.settings), periods, facts)


def _levels(regime: Regime | None, row: ReportingPeriodRow) -> tuple[LevelFact, ...]:
    """The levels above the units in a calendar period, as the plan's regime of its frequency states them (none for
    a plan that states no deadline per level, and for ad hoc requests)."""
    if regime is None:
        return ()
    deadlines = regime.level_deadlines(as_period(row))
    return tuple(LevelFact(sender, level.recipient, last_day)
                 for level, (sender, last_day) in zip(regime.levels, deadlines, strict=True))


def _label(row: ReportingPeriodRow) -> str:
    return ReportingPeriod(row.key, Frequency(row.kind), row.start, row.end, row.cutoff).label_vi()


def _deadlines(task: Task) -> tuple[date, ...]:
    days = []
    for value in task.deadlines or []:
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            log.warning("task %s has an unreadable deadline %r", task.id, value)
    return tuple(days)


# ---- recipients ---------------------------------------------------------------------------------------

def _prefer_groups(bindings: Iterable[ChatBinding]) -> list[Target]:
    """A unit's group chats when it has any (one message per unit, not per person), else its private chats."""
    bindings = list(bindings)
    groups = [b for b in bindings if b.chat_type != "private"]
    chosen = groups or bindings
    seen: dict[tuple[str, str], Target] = {}
    for b in chosen:
        seen.setdefault((b.platform, b.chat_id), Target(b.chat_id, b.platform))
    return list(seen.values())


def unit_targets(session: Session, unit_id: int) -> list[Target]:
    """Where routine nudges go: the unit's group chats (only a head's code binds a group, so a group's binding
    carries the head role: it is still the whole unit's chat); else its staff's private chats; its head's only
    when no staff is bound, since heads get the escalations."""
    bound = unit_chats(session=session, unit_id=unit_id, roles=(Role.STAFF, Role.HEAD))
    groups = [b for b in bound if b.chat_type != "private"]
    if groups:
        return _prefer_groups(groups)
    return _prefer_groups(b for b in bound if b.role == Role.STAFF) \
        or _prefer_groups(b for b in bound if b.role == Role.HEAD)


def head_targets(session: Session, unit_id: int) -> list[Target]:
    return _prefer_groups(unit_chats(session=session, unit_id=unit_id, roles=(Role.HEAD,))) \
        or unit_targets(session, unit_id)


def coordinator_targets(session: Session, plan: Plan) -> list[Target]:
    roles = (Role.COORDINATOR, Role.ADMIN)
    if plan.coordinator_unit_id is not None:
        own = unit_chats(session=session, unit_id=plan.coordinator_unit_id, roles=roles)
        if own:
            return _prefer_groups(own)
    rows = session.exec(select(ChatBinding).where(
        ChatBinding.active.is_(True), ChatBinding.role.in_(roles))  # type: ignore[attr-defined]
        .order_by(ChatBinding.chat_type.desc(), ChatBinding.id)).all()  # type: ignore[attr-defined]
    return _prefer_groups(rows)


# ---- dues -> rows -------------------------------------------------------------------------------------

def due_payload(due: Due) -> dict[str, object]:
    base: dict[str, object] = {"planned_at": due.at.isoformat()}
    if due.kind in ("cutoff", "ad_hoc", "manual"):
        return {**base, "render": "period", "offset": due.step}
    if due.kind == "deadline":
        assert due.task is not None and due.deadline is not None
        return {**base, "render": "deadline", "task_id": due.task.id, "deadline": due.deadline.isoformat(),
                "offset": due.step}
    if due.kind == "escalation":
        return {**base, "render": "escalation_head" if due.step == "head" else "escalation_coordinator"}
    if due.kind == "upward":
        assert due.deadline is not None
        return {**base, "render": "upward", "deadline": due.deadline.isoformat(), "recipient": due.recipient,
                "offset": due.step,
                **({"level": due.level + 1, "sender": due.sender} if due.level else {}),
                **({"escalated": due.escalated.isoformat()} if due.escalated else {})}
    if due.step.startswith("late-"):
        return {**base, "render": "late_digest", "day": due.step.removeprefix("late-")}
    return {**base, "render": "summary", "which": due.step}


def due_key(due: Due) -> str:
    subject = f"t{due.task.id}:{due.deadline}" if due.task else (due.period.key if due.period else "-")
    who = f"u{due.unit_id}" if due.unit_id is not None else "coord"
    return f"{due.kind}:p{due.plan_id}:{subject}:{who}:{due.step}"


def sender_unit(session: Session, due: Due) -> int | None:
    """The registered unit that sends a level above the first one up (its name as the plan writes it, resolved as
    the importer resolves names), when it is one unit."""
    if due.kind != "upward" or not due.level or not due.sender:
        return None
    found = load_unit_directory(session=session, suggesting=False).resolve(due.sender)
    return found.unit_ids[0] if found.status == "unit" and len(found.unit_ids) == 1 else None


def due_targets(session: Session, plan: Plan, due: Due) -> list[Target]:
    """Where a due send goes. A level above the first is reminded in its sender's chats when the sender is a
    registered unit with chats; otherwise (the issuer itself, "UBND huyện", whose report the coordinating office
    drafts) the coordinator is, the message naming the sender."""
    sender = sender_unit(session, due)
    if sender is not None and sender != plan.coordinator_unit_id and (chats := unit_targets(session, sender)):
        return chats
    if due.unit_id is None:
        return coordinator_targets(session, plan)
    if due.kind == "escalation":
        return head_targets(session, due.unit_id)
    return unit_targets(session, due.unit_id)


def rows_for(session: Session, plan: Plan, due: Due) -> list[PlannedRow]:
    base = due_key(due)
    common = {"kind": due.kind, "due_at": due.at, "payload": due_payload(due), "plan_id": due.plan_id,
              "period_id": due.period.id if due.period else None, "task_id": due.task.id if due.task else None,
              "unit_id": due.unit_id}
    targets = due_targets(session, plan, due)
    if not targets:
        return [PlannedRow(key=f"{base}:nochat", chat_id="", state=DROPPED, last_error=NO_CHAT, **common)]  # type: ignore[arg-type]
    return [PlannedRow(key=f"{base}:{t.platform}:{t.chat_id}", chat_id=t.chat_id, platform=t.platform, **common)  # type: ignore[arg-type]
            for t in targets]


def plan_ahead(*, session: Session, now: datetime, days: int = 3, tz: ZoneInfo = VN_TZ) -> int:
    """Put every send of the next `days` days (and the missed ones still within the grace window) into the
    outbox; returns how many rows were new. Safe to run any number of times."""
    today = now.astimezone(tz).date()
    added = 0
    for plan in active_plans(session=session):
        facts = plan_facts(session=session, plan=plan, now=now, tz=tz)
        grace = facts.settings.grace
        rows: list[PlannedRow] = []
        for due in plan_dues(facts, today - timedelta(days=grace.days + 1), today + timedelta(days=days), tz):
            if due.at < now - grace:
                continue
            rows.extend(rows_for(session, plan, due))
        added += add_rows(session=session, rows=rows, now=now)
    return added


def preview(*, session: Session, start: date, end: date, now: datetime,
            tz: ZoneInfo = VN_TZ) -> list[dict[str, object]]:
    """What would be sent in [start, end], one entry per recipient chat (nothing is written)."""
    entries: list[dict[str, object]] = []
    units = {u.id: u.name for u in session.exec(select(Unit))}
    for plan in active_plans(session=session):
        facts = plan_facts(session=session, plan=plan, now=now, tz=tz)
        for due in plan_dues(facts, start, end, tz):
            base = due.to_json(tz)
            base["unit"] = units.get(due.unit_id) if due.unit_id is not None else "(đầu mối tổng hợp)"
            if due.kind == "upward" and due.level:
                sender = sender_unit(session, due)
                base["unit"] = units[sender] if sender is not None else f"{due.sender} (qua đầu mối tổng hợp)"
            base["period_label"] = due.period.label if due.period else None
            targets = due_targets(session, plan, due)
            base["chats"] = [t.chat_id for t in targets]
            entries.append(base)
    return entries
