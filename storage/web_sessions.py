"""One-time sign-in links and browser sessions for the web pages: tokens are random, only their hashes stored.

A link signs in once: it is claimed with one conditional UPDATE (unused and not expired), so two browsers
racing for it cannot both win. A session ends when signed out, after `idle` without a request, or at its
absolute `expires_at`. A session opened for a member follows that member: a member made inactive is signed
out, and a member moved to another unit or role sees what they may see now.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import update
from sqlmodel import Session, select

from bot.base.errors import UserError
from storage.models import Member, Role, Unit, WebLink, WebSession

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often (not on every request)
UNIT_ROLES = (Role.STAFF.value, Role.HEAD.value, Role.COORDINATOR.value)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class WebLinkError(UserError):
    """A sign-in link that cannot be used; `reason` is one of unknown, used, expired."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "unknown": "Đường dẫn đăng nhập không đúng (có thể bị cắt mất một phần khi sao chép).",
        "used": "Đường dẫn đăng nhập này đã được dùng. Mỗi đường dẫn chỉ dùng được một lần.",
        "expired": "Đường dẫn đăng nhập đã hết hạn.",
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.MESSAGES[reason])
        self.reason = reason


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the pages, with what they may see."""

    session_id: int
    role: str
    unit_id: int | None
    unit_name: str | None
    member_id: int | None
    member_name: str | None

    @property
    def sees_all(self) -> bool:
        """Coordinators and admins see their plans whole; heads and staff only their own unit."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    def may_see_unit(self, unit_id: int) -> bool:
        return self.sees_all or self.unit_id == unit_id


def create_link(*, session: Session, now: datetime, ttl: timedelta, role: str | None = None,
                unit_id: int | None = None, member_id: int | None = None, created_by: str | None = None) -> str:
    """A new one-time link's token: for a member (their role and unit), or a role (admin, or a unit's role)."""
    if member_id is not None:
        member = session.get(Member, member_id)
        if member is None or not member.active:
            raise UserError(f"Không tìm thấy thành viên mã {member_id} (hoặc đã ngừng hoạt động).")
        role, unit_id = member.role, member.unit_id
    elif role == Role.ADMIN:
        unit_id = None
    elif role in UNIT_ROLES:
        if unit_id is None or session.get(Unit, unit_id) is None:
            raise UserError("Vai trò này cần một đơn vị; chọn đơn vị bằng --unit.")
    else:
        raise UserError(f"Vai trò «{role}» không hợp lệ; chọn: staff, head, coordinator, admin.")
    token = secrets.token_urlsafe(32)
    session.add(WebLink(token_hash=token_hash(token), role=role, unit_id=unit_id, member_id=member_id,
                        created_by=created_by, created_at=now, expires_at=now + ttl))
    session.flush()
    return token


def link_state(*, session: Session, token: str, now: datetime) -> str:
    """"ok", or why the link cannot be used ("unknown", "used", "expired"); nothing is written."""
    link = session.exec(select(WebLink).where(WebLink.token_hash == token_hash(token))).first()
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    assert link.expires_at is not None
    return "expired" if link.expires_at <= now else "ok"


def redeem_link(*, session: Session, token: str, now: datetime, lifetime: timedelta) -> str:
    """Use the link once and open a session; returns the session's token (for the cookie)."""
    claimed = session.execute(
        update(WebLink)
        .where(WebLink.token_hash == token_hash(token), WebLink.used_at.is_(None),  # type: ignore[union-attr]
               WebLink.expires_at > now)  # type: ignore[operator]
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        reason = link_state(session=session, token=token, now=now)
        raise WebLinkError("used" if reason == "ok" else reason)
    link = session.exec(select(WebLink).where(WebLink.token_hash == token_hash(token))).one()
    secret = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=token_hash(secret), link_id=link.id, role=link.role, unit_id=link.unit_id,
                           member_id=link.member_id, created_at=now, last_seen_at=now, expires_at=now + lifetime))
    session.flush()
    return secret


def load_viewer(*, session: Session, token: str, now: datetime, idle: timedelta) -> Viewer | None:
    """The viewer behind a session token, or None when there is no such open session (ended, idle too long,
    past its limit, or its member no longer active). Notes the activity (at most once a minute)."""
    row = session.exec(select(WebSession).where(WebSession.token_hash == token_hash(token))).first()
    if row is None or row.ended_at is not None:
        return None
    assert row.expires_at is not None and row.last_seen_at is not None and row.id is not None
    if row.expires_at <= now or row.last_seen_at + idle <= now:
        return None
    role, unit_id, member_name = row.role, row.unit_id, None
    if row.member_id is not None:
        member = session.get(Member, row.member_id)
        if member is None or not member.active:
            return None
        role, unit_id, member_name = member.role, member.unit_id, member.display_name
        if role not in (Role.COORDINATOR, Role.ADMIN) and unit_id is None:
            return None
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return Viewer(session_id=row.id, role=role, unit_id=unit_id, unit_name=unit.name if unit else None,
                  member_id=row.member_id, member_name=member_name)


def end_session(*, session: Session, token: str, now: datetime) -> bool:
    """Sign out: the session can no longer be used. False if there was no open session."""
    ended = session.execute(
        update(WebSession)
        .where(WebSession.token_hash == token_hash(token), WebSession.ended_at.is_(None))  # type: ignore[union-attr]
        .values(ended_at=now)
    )
    return bool(ended.rowcount)  # type: ignore[attr-defined]
