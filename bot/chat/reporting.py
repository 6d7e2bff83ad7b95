"""Reporting in chat: guided cards with buttons, free-text replies, edits, undo (platform-neutral)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.buttons import SkipPress, StatusPress, UndoPress, parse_press, status_buttons
from bot.base.chat import Button, Incoming, Link, Outgoing
from bot.cards import card
from bot.chat.context import Actor, ChatDeps, journal, resolve_actor
from bot.chat.importing import typed_leave_out
from bot.periods import as_period, collecting_period, unit_task_lines
from bot.readers.status import StatusReading, read_reply
from storage.models import InboundMessage, Plan, ReportingPeriodRow, StatusReport, Task, TaskAssignment
from storage.reports import active_plans, find_link, latest_report, record_status, report_for_message, undo_report


def _acting_unit(session: Session, actor: Actor, task_id: int) -> int | None:
    """The lead unit of the task the actor may report for, or None."""
    units = session.exec(select(TaskAssignment.unit_id).where(
        TaskAssignment.task_id == task_id, TaskAssignment.role == "lead")).all()
    return next((u for u in units if actor.may_act_for(u)), None)


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


def _confirmation(task: Task, report: StatusReport, understood: str, *, reply_to: str | None,
                  edit_message_id: str | None = None, period_id: int | None = None) -> Outgoing:
    assert report.id is not None
    text = msg.recorded(code=task.code, understood=understood, late=report.late)
    if report.status in ("blocked", "in_progress") and not (report.blocker or report.note):
        text += "\n" + msg.ask_note(report.status)
    return Outgoing(text=text, buttons=[[Button(msg.BUTTON_UNDO, UndoPress(report.id).data)]], reply_to=reply_to,
                    edit_message_id=edit_message_id,
                    link=Link(task_id=task.id, period_id=period_id or report.period_id, unit_id=report.unit_id,
                              kind="confirmation", report_id=report.id))


def _reading_fields(reading: StatusReading) -> dict[str, Any]:
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
    status = press.status
    link = find_link(session=session, platform=event.platform, chat_id=event.chat_id,
                     message_id=event.message_id or "")
    report = record_status(
        session=session, task_id=task.id, unit_id=unit_id, period=period, now=deps.now(), today=deps.today(),
        status=status, member_id=actor.member.id if actor.member else None, source="button",
        raw_text=_question_text(session, link), platform=event.platform, chat_id=event.chat_id,
    )
    session.flush()
    entry.outcome, entry.report_id = "recorded", report.id
    understood = msg.STATUS_LABELS[status]
    out = [_confirmation(task, report, understood, reply_to=None, edit_message_id=event.message_id,
                         period_id=period.id)]
    out[0].toast = f"Đã ghi: {understood}"
    if link is not None and link.kind == "guided":
        following = next_guided_card(session, deps, unit_id, after_task_id=task.id)
        out.append(following or Outgoing(text=msg.ALL_REPORTED.format(period=as_period(period).label_vi())))
    return out


def _question_text(session: Session, link: Any) -> str | None:
    """When a button answers our question about an unclear reply, keep that reply's text with the report."""
    if link is None or link.kind != "question" or link.report_id is not None:
        return None
    asked = session.exec(select(InboundMessage).where(InboundMessage.outcome == "asked",
                                                      InboundMessage.chat_id == link.chat_id)
                         .order_by(InboundMessage.id.desc())).first()  # type: ignore[union-attr]
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


def handle_reply(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """Free text replying to a bot message about a task: read it, record it, or ask back."""
    link = find_link(session=session, platform=event.platform, chat_id=event.chat_id,
                     message_id=event.reply_to_message_id or "")
    if link is None or link.task_id is None:  # a reply to something else: not ours to interpret
        if event.chat_type != "private":
            return []
        typed = typed_leave_out(session, deps, event)  # "bỏ 2 3" replying to a plan preview
        if typed is not None:
            return typed
        member = resolve_actor(session=session, event=event).member
        return [Outgoing(text=msg.REPLY_NOT_TASK if member else msg.STRANGER)]
    return report_on_task(session, deps, event, task_id=link.task_id, period_id=link.period_id,
                          link_kind=link.kind, link_report_id=link.report_id)


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
        entry.outcome = "asked"
        assert period.id is not None
        return [Outgoing(text=msg.ask_back(task.code, reading.ask_reason), buttons=status_buttons(task.id, period.id),
                         reply_to=event.message_id,
                         link=Link(task_id=task.id, period_id=period.id, unit_id=unit_id, kind="question"))]
    report = record_status(
        session=session, task_id=task.id, unit_id=unit_id, period=period, now=deps.now(), today=deps.today(),
        member_id=actor.member.id if actor.member else None, raw_text=event.text, source="reply",
        platform=event.platform, chat_id=event.chat_id, message_id=event.message_id, **_reading_fields(reading),
    )
    session.flush()
    entry.outcome, entry.report_id = "recorded", report.id
    return [_confirmation(task, report, reading.describe_vi(), reply_to=event.message_id)]


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
    report = record_status(session=session, task_id=task.id, unit_id=base.unit_id, period=period, now=deps.now(),
                           today=deps.today(), member_id=actor.member.id if actor.member else None,
                           raw_text=text, source="note", platform=event.platform, chat_id=event.chat_id,
                           message_id=event.message_id, **fields)
    session.flush()
    entry.outcome, entry.report_id = "note", report.id
    what = "vướng mắc" if source.status == "blocked" else "ghi chú"
    return [_confirmation(task, report, f"{msg.STATUS_LABELS[report.status]}, {what}: {text[:80]}",
                          reply_to=event.message_id)]


def handle_edit(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """An edited reply: read it again and append a new version (the history stays)."""
    previous = report_for_message(session=session, platform=event.platform, chat_id=event.chat_id,
                                  message_id=event.message_id or "")
    if previous is None:
        # an edit of a reply we asked about (unknown before): treat it as a fresh reply
        return handle_reply(session, deps, event) if event.reply_to_message_id else []
    entry = journal(session=session, event=event, kind="edit", now=deps.now())
    if entry is None:
        return []
    actor = resolve_actor(session=session, event=event)
    task = session.get(Task, previous.task_id)
    period = session.get(ReportingPeriodRow, previous.period_id)
    assert task is not None and period is not None
    if not actor.may_act_for(previous.unit_id):
        entry.outcome = "refused"
        return []
    reading = read_reply(event.text, today=deps.today())
    if reading.needs_asking:
        entry.outcome = "asked"
        assert task.id is not None and period.id is not None
        return [Outgoing(text=msg.ask_back(task.code, reading.ask_reason), buttons=status_buttons(task.id, period.id),
                         reply_to=event.message_id,
                         link=Link(task_id=task.id, period_id=period.id, unit_id=previous.unit_id, kind="question"))]
    assert task.id is not None
    report = record_status(
        session=session, task_id=task.id, unit_id=previous.unit_id, period=period, now=deps.now(),
        today=deps.today(), member_id=actor.member.id if actor.member else None, raw_text=event.text,
        source="edit", platform=event.platform, chat_id=event.chat_id, message_id=event.message_id,
        **_reading_fields(reading),
    )
    session.flush()
    entry.outcome, entry.report_id = "recorded", report.id
    return [_confirmation(task, report, "(đã sửa) " + reading.describe_vi(), reply_to=event.message_id)]
