"""Help, the task list and the guided report (platform-neutral); joining is in joining.py, invites in invite.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.cards import card
from bot.chat.capabilities import capabilities_of
from bot.chat.context import ChatDeps, resolve_actor
from bot.chat.importing import typed_leave_out
from bot.chat.reporting import next_guided_card, report_on_task
from bot.periods import TaskLine as UnitTaskLine
from bot.periods import as_period, collecting_period, unit_task_lines
from bot.summary.overdue import overdue_in_period, overdue_text
from storage.models import Plan, ReportingPeriodRow, Status, Task, TaskAssignment
from storage.reports import active_plans

MAX_CHUNK = 3800


def handle_tasks(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    if actor.member is None and actor.chat_unit_id is None:
        return [Outgoing(text=msg.STRANGER)]
    if actor.chat_unit_id is None:
        return [Outgoing(text=msg.GROUP_NOT_BOUND)]
    if actor.member is None or not (actor.may_act_for(actor.chat_unit_id) or actor.is_coordinator):
        return [Outgoing(text=msg.NOT_MEMBER_OF_UNIT)]
    plans = active_plans(session=session)
    if not plans:
        return [Outgoing(text=msg.NO_PLAN)]
    chunks: list[str] = []
    for plan in plans:
        assert plan.id is not None
        period = collecting_period(session=session, plan=plan, today=deps.today(), now=deps.now())
        lines = unit_task_lines(session=session, plan_id=plan.id, unit_id=actor.chat_unit_id, period=period,
                                roles=("lead", "support"), only_open=False)
        if not lines:
            continue
        title = f"KH {plan.number}" if plan.number else plan.title
        block = [msg.tasks_header(actor.chat_unit_name or "", title, as_period(period).label_vi(), len(lines))]
        block += [msg.task_list_line(code=ln.task.code, title=ln.task.title, deadlines=ln.task.deadlines,
                                     recurrence=ln.task.recurrence, status=ln.report.status if ln.report else None,
                                     role=ln.role, overdue=_overdue(ln, period, deps.today())) for ln in lines]
        chunks.extend(_chunk(block))
    if not chunks:
        return [Outgoing(text=msg.NO_TASKS)]
    chunks[-1] += "\n\n" + msg.TASKS_FOOTER
    return [Outgoing(text=c) for c in chunks]


def _overdue(line: UnitTaskLine, period: ReportingPeriodRow, today: date) -> str | None:
    """ "Quá hạn từ 30/04/2026" when the task is overdue in the period (the summary's rule), else None."""
    if line.role != "lead":
        return None
    done = line.carried or (line.report is not None and line.report.status == Status.DONE)
    days = [date.fromisoformat(d) for d in line.task.deadlines or [] if _is_iso(d)]
    found = overdue_in_period(deadlines=days, recurrence=line.task.recurrence, period_start=period.start,
                              period_end=period.end, today=today, done=done)
    return overdue_text(found) if found else None


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _chunk(lines: list[str]) -> list[str]:
    chunks, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > MAX_CHUNK:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def handle_report(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """`/baocao` starts the guided report; `/baocao CODE text` records one task directly."""
    actor = resolve_actor(session=session, event=event)
    if actor.chat_unit_id is None:
        return [Outgoing(text=msg.STRANGER if actor.member is None else msg.GROUP_NOT_BOUND)]
    if not actor.may_act_for(actor.chat_unit_id):
        return [Outgoing(text=msg.NOT_MEMBER_OF_UNIT)]
    if not event.args:
        first = next_guided_card(session, deps, actor.chat_unit_id)
        return [first] if first else [Outgoing(text=msg.NO_TASKS)]
    code, text = event.args[0], " ".join(event.args[1:])
    task = unit_task_by_code(session, actor.chat_unit_id, code)
    if task is None:
        return [Outgoing(text=msg.REPORT_CODE_UNKNOWN.format(code=msg.escape(code)))]
    plan_period = collecting_period(session=session, plan=_plan_of(session, task), today=deps.today(),
                                    now=deps.now())
    if not text:
        return [card(task, plan_period, None, unit_id=actor.chat_unit_id)]
    assert task.id is not None
    return report_on_task(session, deps, replace(event, text=text), task_id=task.id, period_id=plan_period.id)


def _plan_of(session: Session, task: Task) -> Plan:
    plan = session.get(Plan, task.plan_id)
    assert plan is not None
    return plan


def unit_task_by_code(session: Session, unit_id: int, code: str) -> Task | None:
    rows = session.exec(select(Task).join(TaskAssignment, TaskAssignment.task_id == Task.id).where(
        TaskAssignment.unit_id == unit_id, TaskAssignment.role == "lead", Task.active.is_(True),  # type: ignore[attr-defined]
    )).all()
    wanted = code.strip().lower().rstrip(".")
    return next((t for t in rows if t.code.lower() == wanted), None)


def handle_help(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    typed = not capabilities_of(event.platform).buttons  # numbered answers and codes instead of buttons
    return [Outgoing(text=msg.HELP + (msg.TYPED_HELP if typed else ""))]


def handle_other_text(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """A private message that is neither a command nor a reply to a task message."""
    actor = resolve_actor(session=session, event=event)
    if actor.member is None:
        return [Outgoing(text=msg.STRANGER)]
    typed = typed_leave_out(session, deps, event)  # "bỏ 2 3" while a plan preview waits
    return typed if typed is not None else [Outgoing(text=msg.PLAIN_TEXT_HINT)]
