"""/tasks (/nhiemvu): the unit's tasks with deadline and latest status."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.context import ChatDeps, resolve_actor
from bot.periods import TaskLine as UnitTaskLine
from bot.periods import as_period, plans_collecting, unit_task_lines
from bot.summary.overdue import overdue_in_period, overdue_text
from handlers.routes import Route
from storage.models import ReportingPeriodRow, Status

MAX_CHUNK = 3800


def handle_tasks(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    if actor.member is None and actor.chat_unit_id is None:
        return [Outgoing(text=msg.STRANGER)]
    if actor.chat_unit_id is None:
        return [Outgoing(text=msg.GROUP_NOT_BOUND)]
    if actor.member is None or not (actor.may_act_for(actor.chat_unit_id) or actor.is_coordinator):
        return [Outgoing(text=msg.NOT_MEMBER_OF_UNIT)]
    collecting = plans_collecting(session=session, today=deps.today(), now=deps.now())
    if not collecting:
        return [Outgoing(text=msg.NO_PLAN)]
    chunks: list[str] = []
    for plan, period in collecting:
        assert plan.id is not None
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


ROUTES = (Route("command", handle_tasks, names=("tasks", "nhiemvu")),)
