"""/start CODE (join a unit with an invite code, or bind a group chat to its unit) and /unbind (/gonhom).

In a private chat a code makes the sender a member of its unit with its role. In a group it binds the group,
and only a leader's code does (head, coordinator, admin): a staff code there is refused and stays usable. A
group belongs to one unit; a code of another unit is refused with the way to change it (/gonhom). Binding a
group never lowers the sender's own role: someone who already ranks as high as the code keeps their unit and
role.

A code that cannot be used gets one answer whatever the reason (wrong, used, expired), and each such failure
is recorded: five from one sender within an hour block that sender for an hour, told once (with the fifth
answer), then answered with silence until the hour has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.context import ChatDeps, group_binding, journal, resolve_actor, role_rank
from handlers.routes import Route
from storage.members import (
    InviteError,
    check_invite,
    deactivate_chat,
    invite_redeemed_by,
    lock_chat,
    recent_invite_failures,
    record_invite_failure,
    redeem_invite,
)
from storage.models import Role, Unit

GROUP_BINDING_ROLES = (Role.HEAD, Role.COORDINATOR, Role.ADMIN)
LOCKOUT_FAILURES = 5  # this many unusable codes from one sender within LOCKOUT_WINDOW ...
LOCKOUT_WINDOW = timedelta(hours=1)
LOCKOUT = timedelta(hours=1)  # ... block that sender this long after the last of them


def blocked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When a sender with these failure times (newest first) may try codes again, or None if they may now."""
    if len(failures) < LOCKOUT_FAILURES:
        return None
    newest, oldest = failures[0], failures[LOCKOUT_FAILURES - 1]
    if newest - oldest < LOCKOUT_WINDOW and now < newest + LOCKOUT:
        return newest + LOCKOUT
    return None


def handle_start(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    if not event.args:
        actor = resolve_actor(session=session, event=event)
        if actor.member is None or actor.member.unit_id is None:
            return [Outgoing(text=msg.STRANGER)]
        unit = session.get(Unit, actor.member.unit_id)
        return [Outgoing(text=msg.welcome(unit.name if unit else "?", actor.member.role, group=False))]
    entry = journal(session=session, event=event, kind="command", now=deps.now())
    if entry is None:
        return []
    if _blocked_until(session, deps, event) is not None:
        entry.outcome = "blocked"  # told with the failure that blocked them: silence now
        return []
    code = event.args[0].strip()
    try:
        invite = check_invite(session=session, code=code, now=deps.now())
        in_group = event.chat_type != "private"
        if in_group:
            lock_chat(session=session, platform=event.platform, chat_id=event.chat_id)
            refusal = _group_refusal(session, deps, event, invite.role, invite.unit_id)
            if refusal is not None:
                entry.outcome = "refused"
                return [Outgoing(text=refusal)]
        member = resolve_actor(session=session, event=event).member
        keep = in_group and member is not None and role_rank(member.role) >= role_rank(invite.role)
        binding = redeem_invite(session=session, code=code, platform=event.platform, user_id=event.user_id,
                                display_name=event.user_name, chat_id=event.chat_id, chat_type=event.chat_type,
                                now=deps.now(), keep_member=keep)
    except InviteError as exc:
        joined = invite_redeemed_by(session=session, code=code, platform=event.platform,
                                    user_id=event.user_id) if exc.reason == "used" else None
        if joined is not None:
            return [Outgoing(text=msg.already_joined(joined.unit_name, joined.role))]
        entry.outcome = f"invite_{exc.reason}"
        record_invite_failure(session=session, platform=event.platform, user_id=event.user_id,
                              chat_id=event.chat_id, reason=exc.reason, now=deps.now())
        until = _blocked_until(session, deps, event)
        if until is None:
            return [Outgoing(text=str(exc))]
        return [Outgoing(text=str(exc) + "\n\n" + msg.invite_blocked(until.astimezone(deps.tz), LOCKOUT_FAILURES))]
    return [Outgoing(text=msg.welcome(binding.unit_name, binding.role, group=binding.chat_bound))]


def _blocked_until(session: Session, deps: ChatDeps, event: Incoming) -> datetime | None:
    failures = recent_invite_failures(session=session, platform=event.platform, user_id=event.user_id,
                                      limit=LOCKOUT_FAILURES)
    return blocked_until(failures, deps.now())


def _group_refusal(session: Session, deps: ChatDeps, event: Incoming, role: str, unit_id: int) -> str | None:
    """Why this code may not bind this group (None: it may); the code is left unused."""
    if role not in GROUP_BINDING_ROLES:
        return msg.GROUP_NEEDS_LEADER_CODE.format(bot=f" (@{deps.bot_username})" if deps.bot_username else "")
    bound = group_binding(session=session, event=event)
    if bound is not None and bound[0] != unit_id:
        unit = session.get(Unit, bound[0])
        return msg.group_bound_elsewhere(unit.name if unit else "một đơn vị khác")
    return None


def handle_unbind(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """`/gonhom` in a group: its unit's head, a coordinator or an admin frees the group for another unit."""
    if event.chat_type == "private":
        return [Outgoing(text=msg.GROUP_UNBIND_ONLY_IN_GROUP)]
    actor = resolve_actor(session=session, event=event)
    if actor.chat_unit_id is None:
        return [Outgoing(text=msg.GROUP_NOT_BOUND)]
    member, unit = actor.member, actor.chat_unit_name or "?"
    own_head = member is not None and member.role == Role.HEAD and member.unit_id == actor.chat_unit_id
    if not (own_head or actor.is_coordinator):
        return [Outgoing(text=msg.group_unbind_refused(unit))]
    deactivate_chat(session=session, platform=event.platform, chat_id=event.chat_id,
                    reason=f"gỡ bằng /gonhom ({event.platform}:{event.user_id})")
    return [Outgoing(text=msg.group_unbound(unit))]


ROUTES = (
    Route("command", handle_start, names=("start",)),
    Route("command", handle_unbind, names=("unbind", "gonhom")),
)
