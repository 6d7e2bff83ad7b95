"""/kiemtra (/check) in chat: `nhacviec plans check` for the coordinator: who will not be nudged, and why."""

from __future__ import annotations

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.context import ChatDeps, resolve_actor
from bot.directory.check import check_plan
from bot.summary.render_text import chunk_sections
from handlers.routes import Route
from storage.reports import active_plans

LIMIT = 10  # tasks or names per list in a message; the rest is counted


def handle_check(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text=msg.CHECK_COORDINATOR_ONLY if actor.member else msg.STRANGER)]
    plans = active_plans(session=session)
    if not plans:
        return [Outgoing(text=msg.NO_PLAN)]
    sections = [msg.check_lines(check_plan(session=session, plan_id=plan.id or 0).lines_vi(limit=LIMIT, chat=True))
                for plan in plans]
    return [Outgoing(text=chunk) for chunk in chunk_sections(sections)]


ROUTES = (Route("command", handle_check, names=("check", "kiemtra")),)
