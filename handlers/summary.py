"""/summary (/tonghop) in chat: coordinators and admins only, never into a unit's own chat."""

from __future__ import annotations

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.errors import UserError
from bot.base.period_keys import listed_keys, looks_like_period, read_period_key
from bot.chat.context import ChatDeps, resolve_actor
from bot.chat.units import match_unit
from bot.periods import ensure_periods, plans_collecting
from bot.summary.build import build_summary
from bot.summary.files import CAPTIONS, summary_attachment
from bot.summary.render_text import render_text
from handlers.routes import Route
from storage.reports import active_plans
from storage.summary import period_rows


def handle_summary(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text=msg.COORDINATOR_ONLY if actor.member else msg.STRANGER)]
    if event.chat_type != "private" and actor.chat_role not in ("coordinator", "admin"):
        return [Outgoing(text=msg.SUMMARY_NOT_HERE)]
    args = list(event.args)
    period_key = None
    if args:
        # the period may be written in up to four words ("Q2", "quý 2", "tuần này", "tháng 11 năm 2026")
        for width in (4, 3, 2, 1):
            candidate = read_period_key(" ".join(args[:width]), today=deps.today()) if len(args) >= width else None
            if candidate:
                period_key, args = candidate, args[width:]
                break
        else:
            if looks_like_period(args[0]):
                return [Outgoing(text=_bad_period(session, deps, " ".join(args)))]
    unit_id = None
    if args:
        found = match_unit(session=session, written=" ".join(args), limit=3)
        if found.unit_id is None:
            hint = msg.BAD_PERIOD.format(text=msg.escape(args[0]))
            if found.suggested:
                hint = msg.did_you_mean([name for _, name in found.suggested]) + " " + hint
            return [Outgoing(text=msg.UNIT_NOT_FOUND.format(text=msg.escape(" ".join(args)), hint=hint))]
        unit_id = found.unit_id
    # the periods of this year and the next exist before a typed key is looked up ("tuần 48" of a weekly plan)
    collecting = plans_collecting(session=session, today=deps.today(), now=deps.now())
    if not collecting:
        return [Outgoing(text=msg.NO_PLAN)]
    out: list[Outgoing] = []
    for plan, period in collecting:
        assert plan.id is not None
        key = period_key or period.key
        try:
            summary = build_summary(session=session, plan_id=plan.id, period_key=key, now=deps.now(),
                                    unit_id=unit_id)
        except UserError as exc:
            out.append(Outgoing(text=msg.escape(str(exc))))
            continue
        out.extend(Outgoing(text=chunk) for chunk in render_text(summary))
        out.extend(summary_attachment(summary, fmt) for fmt in CAPTIONS)
    return out


def _bad_period(session: Session, deps: ChatDeps, written: str) -> str:
    """A period the coordinator typed that names none: how to type one, and each active plan's periods."""
    today, now = deps.today(), deps.now()
    lines = [msg.BAD_PERIOD.format(text=msg.escape(written))]
    for plan in active_plans(session=session):
        assert plan.id is not None
        ensure_periods(session=session, plan=plan, years=[today.year, today.year + 1], now=now)
        keys = [row[1] for row in period_rows(session=session, plan_id=plan.id)]
        name = f"Kế hoạch số {plan.number}" if plan.number else plan.title
        lines.append(msg.PLAN_PERIODS.format(plan=msg.escape(name), keys=listed_keys(keys)))
    return "\n".join(lines)


ROUTES = (Route("command", handle_summary, names=("summary", "tonghop")),)
