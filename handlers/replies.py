"""Free text: replies to task messages (read, recorded or asked back), edits of those replies, and other private
text (a hint, or "bỏ 2 3" while a plan preview waits)."""

from __future__ import annotations

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.context import ChatDeps, journal, resolve_actor
from bot.readers.status import read_reply
from handlers.importing import typed_leave_out
from handlers.report import ask_back, reading_fields, record, report_on_task
from handlers.routes import Route
from storage.models import ReportingPeriodRow, Task
from storage.reports import find_link, report_for_message


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
        return [ask_back(entry, event, task, period, previous.unit_id, reading)]
    return [record(session, deps, event, actor, entry, task=task, unit_id=previous.unit_id, period=period,
                   source="edit", raw_text=event.text, message_id=event.message_id,
                   understood="(đã sửa) " + reading.describe_vi(), reply_to=event.message_id,
                   **reading_fields(reading))]


def handle_other_text(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """A private message that is neither a command nor a reply to a task message."""
    actor = resolve_actor(session=session, event=event)
    if actor.member is None:
        return [Outgoing(text=msg.STRANGER)]
    typed = typed_leave_out(session, deps, event)  # "bỏ 2 3" while a plan preview waits
    return typed if typed is not None else [Outgoing(text=msg.PLAIN_TEXT_HINT)]


ROUTES = (
    Route("reply", handle_reply, guarded=False, queued=True),
    Route("edit", handle_edit, guarded=False, queued=True),
    Route("text", handle_other_text),
)
