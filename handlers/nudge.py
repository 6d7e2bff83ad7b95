"""/nudge (/nhacnho): a coordinator nudges the units still missing, now.

The step checks who asks and answers; the outbox work is the scheduler's (scheduler/requests.py).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.context import ChatDeps, resolve_actor
from handlers.routes import Route
from scheduler.requests import Queued, queue_manual_nudge
from storage.reports import active_plans


def coordinator_plan(session: Session, event: Incoming) -> tuple[int | None, list[Outgoing]]:
    """The plan a coordinator's /nhacnho or /yeucau is about (the one their unit coordinates, else the first
    active one), or the refusal to send when the person is not a coordinator or there is no plan."""
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return None, [Outgoing(text=msg.NUDGE_COORDINATOR_ONLY)]
    plans = active_plans(session=session)
    unit_id = actor.member.unit_id if actor.member else None
    own = [p for p in plans if p.coordinator_unit_id == unit_id]
    plan = (own or plans or [None])[0]
    if plan is None or plan.id is None:
        return None, [Outgoing(text=msg.NO_PLAN)]
    return plan.id, []


def _later_text(queued: Queued, tz: ZoneInfo) -> str | None:
    return f"{queued.later.astimezone(tz):%H:%M %d/%m}" if queued.later else None


def handle_nudge(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """/nhacnho: nudge the units still missing now."""
    plan_id, refusal = coordinator_plan(session, event)
    if plan_id is None:
        return refusal
    queued = queue_manual_nudge(session=session, plan_id=plan_id, now=deps.now(), tz=deps.tz)
    return [Outgoing(text=msg.nudge_queued(units=queued.units, period_label=queued.period_label,
                                           later=_later_text(queued, deps.tz)))]


ROUTES = (Route("command", handle_nudge, names=("nudge", "nhacnho"), wakes_outbox=True),)
