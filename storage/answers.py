"""Answers to replies queued in the outbox, in the step's own transaction, instead of sent by the handler.

At the cutoff rush the bot stores replies far faster than the platform lets it answer (30 messages/s, 1/s per
chat): a handler that sent its confirmation itself held the update, and every update after it, for as long
as the pacing asked. Queued, the step commits the reply and its answer together (a reply is never confirmed
before it is stored, and a crash after the commit leaves the answer in the outbox, sent once by the next run),
the update is done, and the answer lane (scheduler/answers.py) sends it ahead of routine nudges.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from bot.base.chat import Button, Incoming, Link, Outgoing
from storage import outbox
from storage.models import Nudge

KIND = "answer"  # the outbox rows of this kind: sent by the answer lane, always (no sending window, no grace)


def queueable(out: Outgoing) -> bool:
    """Plain text (with buttons, a reply or an edit): what an outbox payload can hold."""
    return out.document is None and out.photo is None and out.photo_url is None and out.file_ref is None


def to_payload(out: Outgoing, *, group: bool) -> dict[str, Any]:
    link = out.link
    return {
        "render": "answer", "text": out.text, "buttons": [[[b.text, b.data] for b in row] for row in out.buttons],
        "reply_to": out.reply_to, "edit_message_id": out.edit_message_id, "group": group,
        "link": None if link is None else {"task_id": link.task_id, "period_id": link.period_id,
                                           "unit_id": link.unit_id, "kind": link.kind, "report_id": link.report_id},
    }


def from_payload(payload: dict[str, Any]) -> Outgoing:
    link = payload.get("link")
    return Outgoing(
        text=str(payload.get("text", "")), buttons=[[Button(str(t), str(d)) for t, d in row]
                                                     for row in payload.get("buttons") or []],
        reply_to=payload.get("reply_to"), edit_message_id=payload.get("edit_message_id"),
        link=Link(**link) if isinstance(link, dict) else None,
    )


def queue_answers(session: Session, event: Incoming, outgoing: list[Outgoing], now: datetime, *,
                  due_at: datetime | None = None, first: int = 0) -> tuple[list[Outgoing], list[Nudge]]:
    """Put the step's text answers in the outbox (keyed by the update: one delivered again adds nothing);
    returns what is left for the handler to do itself (toasts, files), and the rows, for the lane.
    `due_at`: not before then (a 429's retry_after); `first`: the index of `outgoing[0]` among the step's answers
    (the ones before it were sent directly)."""
    rows, left = [], []
    for i, out in enumerate(outgoing, first):
        if out.text and queueable(out):
            rows.append(outbox.PlannedRow(
                key=f"answer:{event.platform}:{event.update_key}:{i}"[:300], kind=KIND, chat_id=event.chat_id,
                platform=event.platform, due_at=due_at or now, task_id=out.link.task_id if out.link else None,
                payload={**to_payload(out, group=event.chat_type != "private"), "planned_at": now.isoformat()}))
            if out.toast:
                left.append(Outgoing(text="", toast=out.toast))
        else:
            left.append(out)
    if not rows:
        return left, []
    queued = outbox.add_rows_returning(session=session, rows=rows, now=now)
    if len(queued) < len(rows):  # an update delivered again: its answers were queued the first time
        queued = list(session.exec(select(Nudge).where(
            Nudge.key.in_([r.key for r in rows]), Nudge.state == outbox.PENDING).order_by(Nudge.id)))  # type: ignore[attr-defined]
    return left, queued
