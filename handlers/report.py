"""/report (/baocao) and the status, skip and undo buttons: the guided report card by card, one task by its code,
and the one way a status is recorded and confirmed (or asked back), which replies (replies.py) and typed text
(typed.py) use too."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.buttons import SkipPress, StatusPress, UndoPress, parse_press, status_buttons
from bot.base.chat import Button, Incoming, Link, Outgoing
from bot.cards import card
from bot.chat.context import Actor, ChatDeps, journal, resolve_actor
from bot.periods import as_period, collecting_period, unit_task_lines
from bot.readers.status import StatusReading, read_reply
from handlers.routes import Route
from storage.journal import last_asked
from storage.models import InboundMessage, Plan, ReportingPeriodRow, StatusReport, Task
from storage.reports import (
    active_plans,
    find_link,
    latest_report,
    lead_tasks,
    lead_unit_ids,
    record_status,
    undo_report,
)


def _acting_unit(session: Session, actor: Actor, task_id: int) -> int | None:
    """The lead unit of the task the actor may report for, or None."""
    return next((u for u in lead_unit_ids(session=session, task_id=task_id) if actor.may_act_for(u)), None)


def next_guided_card(session: Session, deps: ChatDeps, unit_id: int, after_task_id: int | None = None
                     ) -> Outgoing | None:
    """The next task of the unit, in plan order, with no report for its collecting period."""
    for plan in active_plans(session=session):
        assert plan.id is not None
        period = collecting_period(session=session, plan=plan, today=deps.today(), now=deps.now())
        lines = unit_task_lines(session=session, plan_id=plan.id, unit_id=unit_id, period=period)
        passed = after_task_id is None
        for line in lines:
            if not passed:
                passed = line.task.id == after_task_id
                continue
            if line.report is None:
                return card(line.task, period, None, kind="guided", unit_id=unit_id)
    return None


def record(session: Session, deps: ChatDeps, event: Incoming, actor: Actor, entry: InboundMessage, *, task: Task,
           unit_id: int, period: ReportingPeriodRow, source: str, raw_text: str | None, message_id: str | None,
           understood: str, reply_to: str | None, edit_message_id: str | None = None, outcome: str = "recorded",
           **fields: Any) -> Outgoing:
    """Record a new version of the task's status (a button, a reply, a note or an edit: `source`) and confirm it
    with an undo button; a blocked or in-progress report without a note asks for one."""
    assert task.id is not None
    report = record_status(session=session, task_id=task.id, unit_id=unit_id, period=period, now=deps.now(),
                           today=deps.today(), member_id=actor.member.id if actor.member else None,
                           raw_text=raw_text, source=source, platform=event.platform, chat_id=event.chat_id,
                           message_id=message_id, **fields)
    session.flush()
    entry.outcome, entry.report_id = outcome, report.id
    assert report.id is not None
    text = msg.recorded(code=task.code, understood=understood, late=report.late)
    if report.status in ("blocked", "in_progress") and not (report.blocker or report.note):
        text += "\n" + msg.ask_note(report.status)
    return Outgoing(text=text, buttons=[[Button(msg.BUTTON_UNDO, UndoPress(report.id).data)]], reply_to=reply_to,
                    edit_message_id=edit_message_id,
                    link=Link(task_id=task.id, period_id=report.period_id, unit_id=report.unit_id,
                              kind="confirmation", report_id=report.id))


def ask_back(entry: InboundMessage, event: Incoming, task: Task, period: ReportingPeriodRow, unit_id: int,
             reading: StatusReading) -> Outgoing:
    """A reply that says too little, or is about several tasks: never recorded; asked back with the status
    buttons, as a question about the task."""
    entry.outcome = "asked"
    assert task.id is not None and period.id is not None
    return Outgoing(text=msg.ask_back(task.code, reading.ask_reason), buttons=status_buttons(task.id, period.id),
                    reply_to=event.message_id,
                    link=Link(task_id=task.id, period_id=period.id, unit_id=unit_id, kind="question"))


def reading_fields(reading: StatusReading) -> dict[str, Any]:
    return {
        "status": reading.status, "percent": reading.percent, "expected_date": reading.expected_date,
        "blocker": reading.blocker, "note": reading.note,
        "quantities": [asdict(q) for q in reading.quantities],
        "document_ref": reading.document_ref, "caveat": reading.caveat,
    }


def handle_button(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """A press on a status, skip or undo button (callback data is untrusted: re-check everything)."""
    entry = journal(session=session, event=event, kind="button", now=deps.now())
    if entry is None:
        return []
    press = parse_press(event.text)
    if press is None or not isinstance(press, StatusPress | SkipPress | UndoPress):
        entry.outcome = "ignored"
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    actor = resolve_actor(session=session, event=event)
    if isinstance(press, UndoPress):
        return _undo(session, deps, event, actor, press.report_id, entry)
    task, period = session.get(Task, press.task_id), session.get(ReportingPeriodRow, press.period_id)
    if task is None or period is None or period.plan_id != task.plan_id:
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    assert task.id is not None
    unit_id = _acting_unit(session, actor, task.id)
    if unit_id is None:
        entry.outcome = "refused"
        return [Outgoing(text="", toast=msg.NOT_MEMBER_OF_UNIT)]
    if isinstance(press, SkipPress):
        following = next_guided_card(session, deps, unit_id, after_task_id=task.id)
        return [following] if following else [Outgoing(text=msg.NO_TASKS)]
    link = find_link(session=session, platform=event.platform, chat_id=event.chat_id,
                     message_id=event.message_id or "")
    understood = msg.STATUS_LABELS[press.status]
    out = [record(session, deps, event, actor, entry, task=task, unit_id=unit_id, period=period, source="button",
                  raw_text=_question_text(session, link), message_id=None, understood=understood, reply_to=None,
                  edit_message_id=event.message_id, status=press.status)]
    out[0].toast = f"Đã ghi: {understood}"
    if link is not None and link.kind == "guided":
        following = next_guided_card(session, deps, unit_id, after_task_id=task.id)
        out.append(following or Outgoing(text=msg.ALL_REPORTED.format(period=as_period(period).label_vi())))
    return out


def _question_text(session: Session, link: Any) -> str | None:
    """When a button answers our question about an unclear reply, keep that reply's text with the report."""
    if link is None or link.kind != "question" or link.report_id is not None:
        return None
    asked = last_asked(session=session, chat_id=link.chat_id)
    return asked.text if asked else None


def _undo(session: Session, deps: ChatDeps, event: Incoming, actor: Actor, report_id: int,
          entry: InboundMessage) -> list[Outgoing]:
    report = session.get(StatusReport, report_id)
    if report is None or not actor.may_act_for(report.unit_id):
        entry.outcome = "refused"
        return [Outgoing(text="", toast=msg.NOT_MEMBER_OF_UNIT)]
    restored = undo_report(session=session, report_id=report_id, now=deps.now(), today=deps.today(),
                           member_id=actor.member.id if actor.member else None)
    if restored is None:
        return [Outgoing(text="", toast=msg.UNDO_TOO_LATE)]
    entry.outcome, entry.report_id = "undone", restored.id
    text = msg.UNDO_DONE.format(status=msg.STATUS_LABELS.get(restored.status, restored.status))
    return [Outgoing(text=text, edit_message_id=event.message_id, toast="Đã hoàn tác")]


def report_on_task(session: Session, deps: ChatDeps, event: Incoming, *, task_id: int, period_id: int | None,
                   link_kind: str = "task_card", link_report_id: int | None = None) -> list[Outgoing]:
    """Read `event.text` as a status for one task and record it (or ask back when it says too little)."""
    entry = journal(session=session, event=event, kind="reply", now=deps.now())
    if entry is None:
        return []
    actor = resolve_actor(session=session, event=event)
    task = session.get(Task, task_id)
    assert task is not None and task.id is not None
    unit_id = _acting_unit(session, actor, task.id)
    if unit_id is None:
        entry.outcome = "refused"
        return [Outgoing(text=msg.NOT_MEMBER_OF_UNIT, reply_to=event.message_id)]
    period = session.get(ReportingPeriodRow, period_id) if period_id else None
    if period is None:
        plan = session.get(Plan, task.plan_id)
        assert plan is not None
        period = collecting_period(session=session, plan=plan, today=deps.today(), now=deps.now())
    reading = read_reply(event.text, today=deps.today())
    if reading.status == "unknown" and link_kind == "confirmation" and link_report_id is not None:
        return _add_note(session, deps, event, actor, task, period, link_report_id, entry)
    if reading.needs_asking:  # unclear, or about several tasks: never recorded on this one task
        return [ask_back(entry, event, task, period, unit_id, reading)]
    return [record(session, deps, event, actor, entry, task=task, unit_id=unit_id, period=period, source="reply",
                   raw_text=event.text, message_id=event.message_id, understood=reading.describe_vi(),
                   reply_to=event.message_id, **reading_fields(reading))]


def _add_note(session: Session, deps: ChatDeps, event: Incoming, actor: Actor, task: Task,
              period: ReportingPeriodRow, report_id: int, entry: InboundMessage) -> list[Outgoing]:
    """A reply to our confirmation that is not a status: the blocker or note for that report."""
    base = session.get(StatusReport, report_id)
    assert base is not None and task.id is not None
    current = latest_report(session=session, task_id=task.id, unit_id=base.unit_id, period_id=base.period_id)
    source = current if current is not None and current.status != "retracted" else base
    text = event.text.strip()
    fields = {k: getattr(source, k) for k in ("status", "percent", "expected_date", "quantities")}
    fields["blocker"] = text if source.status == "blocked" else source.blocker
    fields["note"] = text if source.status != "blocked" else source.note
    what = "vướng mắc" if source.status == "blocked" else "ghi chú"
    return [record(session, deps, event, actor, entry, task=task, unit_id=base.unit_id, period=period, source="note",
                   raw_text=text, message_id=event.message_id, outcome="note",
                   understood=f"{msg.STATUS_LABELS[source.status]}, {what}: {text[:80]}", reply_to=event.message_id,
                   **fields)]


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
    rows = lead_tasks(session=session, unit_id=unit_id)
    wanted = code.strip().lower().rstrip(".")
    return next((t for t in rows if t.code.lower() == wanted), None)


ROUTES = (
    Route("command", handle_report, names=("report", "baocao")),
    Route("button", handle_button),  # every button no other route took (their prefixes come first)
)
