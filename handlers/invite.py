"""/moi (/invite): coordinators and admins invite anyone, a unit head invites own staff (platform-neutral).

`/moi [vai trò] [đơn vị]`: the role in English or in Vietnamese, with or without diacritics ("cán bộ", "lanh
dao", "đầu mối tổng hợp"); the unit by any name the plan importer accepts (full name, alias, abbreviation,
case, diacritics, Ủy/Uỷ, UBND): the importer's own directory resolves it. An unknown name gets the closest
units as buttons; a group gets its member units as buttons.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Button, Incoming, Outgoing
from bot.base.errors import UserError
from bot.base.text import fold
from bot.chat.capabilities import capabilities_of
from bot.chat.context import ChatDeps, journal, resolve_actor
from bot.chat.units import match_unit
from handlers.routes import Route
from storage.members import create_invite
from storage.models import Role, Unit

# Every way a coordinator writes a role, folded; the longest phrase is tried first.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    Role.STAFF: ("staff", "cán bộ", "canbo", "cán bộ đơn vị", "chuyên viên", "công chức", "nhân viên"),
    Role.HEAD: ("head", "lãnh đạo", "lanhdao", "lãnh đạo đơn vị", "thủ trưởng", "trưởng đơn vị",
                "người đứng đầu"),
    Role.COORDINATOR: ("coordinator", "đầu mối tổng hợp", "đầu mối", "daumoi", "đầu mối tổng hợp báo cáo"),
    Role.ADMIN: ("admin", "quản trị", "quantri", "quản trị viên"),
}
_PHRASES = sorted(((tuple(fold(p).split()), str(role)) for role, ps in ROLE_WORDS.items() for p in ps),
                  key=lambda item: -len(item[0]))
MAX_BUTTONS = 8
PREFIX = "moi"


def parse_role(args: tuple[str, ...] | list[str]) -> tuple[str | None, list[str]]:
    """(role, the words left) from `/moi` arguments: "cán bộ Phòng Kinh tế" -> ("staff", ["Phòng", "Kinh", "tế"])."""
    folded = [fold(a) for a in args]
    for words, role in _PHRASES:
        if tuple(folded[:len(words)]) == words:
            return role, list(args[len(words):])
    return None, list(args)


def handle_invite(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    member = actor.member
    if member is None or member.role not in (Role.COORDINATOR, Role.ADMIN, Role.HEAD):
        return [Outgoing(text=msg.INVITE_NOT_ALLOWED)]
    role, rest = parse_role(event.args)
    role = role or Role.STAFF
    if member.role == Role.HEAD:
        if role != Role.STAFF or rest:
            return [Outgoing(text=msg.INVITE_HEAD_OWN_STAFF)]
        return _invite(session, deps, event, member.unit_id, role)
    if role == Role.ADMIN and member.role != Role.ADMIN:
        return [Outgoing(text=msg.INVITE_ADMIN_ONLY)]
    if not rest:
        return _invite(session, deps, event, member.unit_id, role)
    written = " ".join(rest)
    found = match_unit(session=session, written=written, limit=MAX_BUTTONS)
    status = found.resolution.status
    if found.unit_id is not None:
        return _invite(session, deps, event, found.unit_id, role)
    if status in ("group", "empty_group"):
        return [Outgoing(text=msg.invite_group(group=found.resolution.matched or written, role=role,
                                               count=len(found.members), shown=min(len(found.members), MAX_BUTTONS)),
                         buttons=_buttons(role, found.members))]
    if status == "vague":
        return [Outgoing(text=msg.invite_vague(written))]
    return [Outgoing(text=msg.invite_unknown(written=written, suggested=len(found.suggested)),
                     buttons=_buttons(role, found.suggested))]


def handle_invite_button(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """A suggested unit pressed: `moi|ROLE|UNIT_ID`; the same checks as the command, then the code."""
    if journal(session=session, event=event, kind="button", now=deps.now()) is None:
        return []
    parts = event.text.split("|")
    if len(parts) != 3 or parts[1] not in ROLE_WORDS or not parts[2].isdigit():
        return [Outgoing(text="", toast=msg.BUTTON_STALE)]
    role, unit_id = parts[1], int(parts[2])
    member = resolve_actor(session=session, event=event).member
    if member is None or member.role not in (Role.COORDINATOR, Role.ADMIN):
        return [Outgoing(text="", toast=msg.INVITE_NOT_ALLOWED)]
    if role == Role.ADMIN and member.role != Role.ADMIN:
        return [Outgoing(text="", toast=msg.INVITE_ADMIN_ONLY)]
    made = _invite(session, deps, event, unit_id, role)
    return [Outgoing(text=m.text, edit_message_id=event.message_id, toast="Đã tạo mã mời") for m in made]


def _buttons(role: str, units: tuple[tuple[int, str], ...]) -> list[list[Button]]:
    return [[Button(name, f"{PREFIX}|{role}|{unit_id}")] for unit_id, name in units[:MAX_BUTTONS]]


def _invite(session: Session, deps: ChatDeps, event: Incoming, unit_id: int | None, role: str) -> list[Outgoing]:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or unit.id is None:
        return [Outgoing(text=msg.INVITE_NO_OWN_UNIT)]
    code = secrets.token_urlsafe(9)
    expires = deps.now() + timedelta(days=deps.invite_days)
    try:
        create_invite(session=session, unit_id=unit.id, role=role, code=code, now=deps.now(), expires_at=expires,
                      created_by=f"{event.platform}:{event.user_id}")
    except UserError as exc:
        return [Outgoing(text=str(exc))]
    deep_link = deps.bot_username and capabilities_of(event.platform).deep_links
    link = f"https://t.me/{deps.bot_username}?start={code}" if deep_link else None
    return [Outgoing(text=msg.invite_created(code=code, unit=unit.name, role=role, link=link,
                                             expires=expires.astimezone(deps.tz).strftime("%d/%m/%Y %H:%M")))]


ROUTES = (
    Route("command", handle_invite, names=("invite", "moi")),
    Route("button", handle_invite_button, prefix=PREFIX),
)
