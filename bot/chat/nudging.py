"""/nhacnho and /yeucau in chat: a coordinator nudges the units still missing now, or sends an ad hoc request.

The steps check who asks and answer; the outbox work is the scheduler's (scheduler/requests.py).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.errors import UserError
from bot.chat.context import ChatDeps, resolve_actor
from scheduler.requests import Queued, create_request, parse_request_args, queue_manual_nudge
from storage.models import Plan


def _coordinator_plan(session: Session, event: Incoming) -> tuple[int | None, list[Outgoing]]:
    """The plan a coordinator's /nhacnho or /yeucau is about (the one their unit coordinates, else the first
    active one), or the refusal to send when the person is not a coordinator or there is no plan."""
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return None, [Outgoing(text=msg.NUDGE_COORDINATOR_ONLY)]
    plans = list(session.exec(select(Plan).where(Plan.active.is_(True)).order_by(Plan.id)))  # type: ignore[attr-defined]
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
    plan_id, refusal = _coordinator_plan(session, event)
    if plan_id is None:
        return refusal
    queued = queue_manual_nudge(session=session, plan_id=plan_id, now=deps.now(), tz=deps.tz)
    return [Outgoing(text=msg.nudge_queued(units=queued.units, period_label=queued.period_label,
                                           later=_later_text(queued, deps.tz)))]


def handle_request(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """/yeucau 30/11 nội dung: an ad hoc request to every lead unit with open tasks."""
    plan_id, refusal = _coordinator_plan(session, event)
    if plan_id is None:
        return refusal
    try:
        deadline, text = parse_request_args(event.args, deps.today())
        queued = create_request(session=session, plan_id=plan_id, deadline=deadline, text=text, now=deps.now(),
                                tz=deps.tz)
    except UserError as exc:
        session.rollback()
        return [Outgoing(text=str(exc))]
    return [Outgoing(text=msg.request_created(key=queued.period_key, deadline=deadline, units=queued.units,
                                              text=" ".join(text.split())))]
