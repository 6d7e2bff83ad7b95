"""/request (/yeucau) DATE TEXT: a coordinator's ad hoc ("đột xuất") report request to every lead unit with open
tasks; the outbox work is the scheduler's (scheduler/requests.py)."""

from __future__ import annotations

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.errors import UserError
from bot.chat.context import ChatDeps
from handlers.nudge import coordinator_plan
from handlers.routes import Route
from scheduler.requests import create_request, parse_request_args


def handle_request(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """/yeucau 30/11 nội dung: an ad hoc request to every lead unit with open tasks."""
    plan_id, refusal = coordinator_plan(session, event)
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


ROUTES = (Route("command", handle_request, names=("request", "yeucau"), wakes_outbox=True),)
