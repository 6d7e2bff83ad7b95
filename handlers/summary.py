"""/summary (/tonghop) in chat: coordinators and admins only, never into a unit's own chat."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.errors import UserError
from bot.base.text import fold
from bot.chat.context import ChatDeps, resolve_actor
from bot.chat.units import match_unit
from bot.periods import collecting_period
from bot.summary.build import build_summary
from bot.summary.files import CAPTIONS, summary_attachment
from bot.summary.render_text import render_text
from handlers.routes import Route
from storage.reports import active_plans

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(r"^(?:(\d{4})-)?(?:q|quy)\s*(i{1,3}|iv|[1-4])(?:\s*[/-]\s*(\d{4}))?$")
_HALF = re.compile(r"^(?:(\d{4})-)?(?:h1|6t|6 thang)(?:\s*[/-]\s*(\d{4}))?$")


def parse_period_arg(text: str, *, today: date) -> str | None:
    """"2026-Q2", "Q2", "quý II/2026", "6T", "H1", "2026", "ADHOC-3" -> a period key; None if not a period."""
    t = fold(text).strip()
    if re.fullmatch(r"adhoc-\d+", t):
        return t.upper()
    if re.fullmatch(r"\d{4}", t):
        return t
    if m := _QUARTER.match(t):
        year = int(m.group(1) or m.group(3) or today.year)
        q = m.group(2)
        return f"{year}-Q{_ROMAN.get(q) or int(q)}"
    if m := _HALF.match(t):
        return f"{int(m.group(1) or m.group(2) or today.year)}-H1"
    return None


def handle_summary(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text=msg.COORDINATOR_ONLY if actor.member else msg.STRANGER)]
    if event.chat_type != "private" and actor.chat_role not in ("coordinator", "admin"):
        return [Outgoing(text=msg.SUMMARY_NOT_HERE)]
    args = list(event.args)
    period_key = None
    if args:
        # the period may be written in one or two words ("Q2", "quý 2")
        for width in (2, 1):
            candidate = parse_period_arg(" ".join(args[:width]), today=deps.today()) if len(args) >= width else None
            if candidate:
                period_key, args = candidate, args[width:]
                break
    unit_id = None
    if args:
        found = match_unit(session=session, written=" ".join(args), limit=3)
        if found.unit_id is None:
            hint = msg.BAD_PERIOD.format(text=msg.escape(args[0]))
            if found.suggested:
                hint = msg.did_you_mean([name for _, name in found.suggested]) + " " + hint
            return [Outgoing(text=msg.UNIT_NOT_FOUND.format(text=msg.escape(" ".join(args)), hint=hint))]
        unit_id = found.unit_id
    plans = active_plans(session=session)
    if not plans:
        return [Outgoing(text=msg.NO_PLAN)]
    out: list[Outgoing] = []
    for plan in plans:
        assert plan.id is not None
        key = period_key or collecting_period(session=session, plan=plan, today=deps.today(), now=deps.now()).key
        try:
            summary = build_summary(session=session, plan_id=plan.id, period_key=key, now=deps.now(),
                                    unit_id=unit_id)
        except UserError as exc:
            out.append(Outgoing(text=msg.escape(str(exc))))
            continue
        out.extend(Outgoing(text=chunk) for chunk in render_text(summary))
        out.extend(summary_attachment(summary, fmt) for fmt in CAPTIONS)
    return out


ROUTES = (Route("command", handle_summary, names=("summary", "tonghop")),)
