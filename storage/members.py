"""Invites, members and chat bindings: who may act for which unit, and where a unit's messages go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import text, update
from sqlmodel import Session, select

from bot.base.errors import UserError
from storage.models import ChatBinding, Invite, InviteFailure, Member, Role, Unit
from storage.outbox import move_unsent


class InviteError(UserError):
    """An invite that cannot be used; `reason` is one of unknown, used, expired (recorded, never shown: the
    message is the same whatever the reason, so a guesser learns nothing)."""

    REASONS: ClassVar[tuple[str, ...]] = ("unknown", "used", "expired")
    MESSAGE: ClassVar[str] = (
        "Mã mời không dùng được (mã có thể gõ sai, đã được dùng hoặc đã hết hạn). Hãy xin mã mới từ đầu mối "
        "tổng hợp: đầu mối gửi <code>/moi staff TÊN_ĐƠN_VỊ</code> cho bot để tạo mã (lãnh đạo đơn vị gửi "
        "<code>/moi</code>), rồi bạn gửi <code>/start MÃ_MỚI</code>."
    )

    def __init__(self, reason: str) -> None:
        assert reason in self.REASONS
        super().__init__(self.MESSAGE)
        self.reason = reason


@dataclass(frozen=True)
class Binding:
    """The outcome of redeeming an invite."""

    unit_id: int
    unit_name: str
    role: str
    member_id: int
    chat_bound: bool  # a group chat was bound to the unit too


def create_invite(*, session: Session, unit_id: int, role: str, code: str, now: datetime,
                  expires_at: datetime, created_by: str | None = None) -> Invite:
    if role not in {r.value for r in Role}:
        raise UserError(f"Vai trò «{role}» không hợp lệ; chọn: staff, head, coordinator, admin.")
    if session.get(Unit, unit_id) is None:
        raise UserError("Không tìm thấy đơn vị.")
    invite = Invite(code=code, unit_id=unit_id, role=role, created_by=created_by, created_at=now,
                    expires_at=expires_at)
    session.add(invite)
    session.flush()
    return invite


def check_invite(*, session: Session, code: str, now: datetime) -> Invite:
    """The invite behind a code, when it can still be used; else InviteError (unknown, used or expired)."""
    invite = session.exec(select(Invite).where(Invite.code == code)).first()
    if invite is None:
        raise InviteError("unknown")
    if invite.used_at is not None:
        raise InviteError("used")
    assert invite.expires_at is not None
    if invite.expires_at <= now:
        raise InviteError("expired")
    return invite


def redeem_invite(*, session: Session, code: str, platform: str, user_id: str, display_name: str | None,
                  chat_id: str, chat_type: str, now: datetime, keep_member: bool = False) -> Binding:
    """Use a single-use code: binds the chat it is sent in to the unit and role, and the person too unless
    `keep_member` (the sender keeps the unit and role they have).

    The code is claimed with one conditional UPDATE, so two people racing for it cannot both win.
    """
    invite = check_invite(session=session, code=code, now=now)
    claimed = session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=now, used_by=f"{platform}:{user_id}")
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InviteError("used")
    member = session.exec(select(Member).where(Member.platform == platform, Member.user_id == user_id)).first()
    if member is None:
        member = Member(platform=platform, user_id=user_id)
    if not keep_member or member.unit_id is None:
        member.unit_id, member.role = invite.unit_id, invite.role
        member.active, member.joined_at = True, now
    member.display_name = display_name
    session.add(member)
    bind_chat(session=session, platform=platform, chat_id=chat_id, chat_type=chat_type,
              unit_id=invite.unit_id, role=invite.role, now=now)
    session.flush()
    unit = session.get(Unit, invite.unit_id)
    assert unit is not None and member.id is not None
    return Binding(unit_id=invite.unit_id, unit_name=unit.name, role=invite.role, member_id=member.id,
                   chat_bound=chat_type != "private")


def lock_chat(*, session: Session, platform: str, chat_id: str) -> None:
    """Hold this chat's binding lock until the transaction ends, so two codes sent to one group at the same
    moment are decided one after the other (the second sees the first's binding). SQLite needs nothing: every
    transaction there starts with BEGIN IMMEDIATE and so runs alone."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"chat:{platform}:{chat_id}"})


def bind_chat(*, session: Session, platform: str, chat_id: str, chat_type: str, unit_id: int, role: str,
              now: datetime) -> ChatBinding:
    binding = session.exec(select(ChatBinding).where(
        ChatBinding.platform == platform, ChatBinding.chat_id == chat_id,
        ChatBinding.unit_id == unit_id, ChatBinding.role == role,
    )).first()
    if binding is None:
        binding = ChatBinding(platform=platform, chat_id=chat_id, chat_type=chat_type, unit_id=unit_id,
                              role=role, created_at=now)
    binding.active, binding.inactive_reason = True, None
    session.add(binding)
    session.flush()
    return binding


def get_member(*, session: Session, platform: str, user_id: str) -> Member | None:
    member = session.exec(select(Member).where(Member.platform == platform, Member.user_id == user_id)).first()
    return member if member is not None and member.active else None


def chat_bindings(*, session: Session, platform: str, chat_id: str) -> list[ChatBinding]:
    """A chat's active bindings, oldest first."""
    return list(session.exec(select(ChatBinding).where(
        ChatBinding.platform == platform, ChatBinding.chat_id == chat_id, ChatBinding.active.is_(True)  # type: ignore[attr-defined]
    ).order_by(ChatBinding.id)))  # type: ignore[arg-type]


def unit_chats(*, session: Session, unit_id: int, roles: tuple[str, ...] = ("staff", "head")) -> list[ChatBinding]:
    """Where a unit's nudges go: its active chats bound with one of `roles`, groups first."""
    rows = session.exec(select(ChatBinding).where(
        ChatBinding.unit_id == unit_id, ChatBinding.active.is_(True),  # type: ignore[attr-defined]
        ChatBinding.role.in_(roles),  # type: ignore[attr-defined]
    ).order_by(ChatBinding.chat_type.desc(), ChatBinding.id))  # type: ignore[attr-defined]
    return list(rows)


def deactivate_chat(*, session: Session, platform: str, chat_id: str, reason: str) -> list[int]:
    """Mark every binding of a chat inactive (bot blocked or removed); returns the affected unit ids."""
    bindings = chat_bindings(session=session, platform=platform, chat_id=chat_id)
    for binding in bindings:
        binding.active, binding.inactive_reason = False, reason
        session.add(binding)
    session.flush()
    return [b.unit_id for b in bindings]


def move_chat(*, session: Session, platform: str, chat_id: str, new_chat_id: str, chat_type: str) -> list[int]:
    """The chat now has another id (Telegram: a group upgraded to a supergroup, "migrate_to_chat_id"): its
    bindings and the messages not sent to it yet follow; a binding the new chat already has is kept, the old
    one retired. Returns the units moved; nothing to do (already moved) is an empty list."""
    lock_chat(session=session, platform=platform, chat_id=new_chat_id)
    moved: list[int] = []
    for binding in chat_bindings(session=session, platform=platform, chat_id=chat_id):
        there = session.exec(select(ChatBinding).where(
            ChatBinding.platform == platform, ChatBinding.chat_id == new_chat_id,
            ChatBinding.unit_id == binding.unit_id, ChatBinding.role == binding.role)).first()
        if there is None:
            binding.chat_id, binding.chat_type = new_chat_id, chat_type
        else:
            there.active, there.inactive_reason = True, None
            binding.active, binding.inactive_reason = False, f"chuyển sang {new_chat_id}"
            session.add(there)
        session.add(binding)
        moved.append(binding.unit_id)
    session.flush()
    move_unsent(session=session, platform=platform, chat_id=chat_id, new_chat_id=new_chat_id)
    return moved


def invite_redeemed_by(*, session: Session, code: str, platform: str, user_id: str) -> Binding | None:
    """The membership a used invite gave this very person, when it still holds (they send the code again)."""
    invite = session.exec(select(Invite).where(Invite.code == code)).first()
    if invite is None or invite.used_by != f"{platform}:{user_id}":
        return None
    member = session.exec(select(Member).where(Member.platform == platform, Member.user_id == user_id,
                                               Member.active.is_(True))).first()  # type: ignore[attr-defined]
    if member is None or member.id is None or member.unit_id != invite.unit_id:
        return None
    unit = session.get(Unit, invite.unit_id)
    if unit is None:
        return None
    return Binding(unit_id=unit.id or invite.unit_id, unit_name=unit.name, role=member.role, member_id=member.id,
                   chat_bound=False)


def record_invite_failure(*, session: Session, platform: str, user_id: str, chat_id: str, reason: str,
                          now: datetime) -> None:
    session.add(InviteFailure(platform=platform, user_id=user_id, chat_id=chat_id, reason=reason, failed_at=now))
    session.flush()


def recent_invite_failures(*, session: Session, platform: str, user_id: str, limit: int) -> list[datetime]:
    """When this sender's last `limit` invite failures happened, newest first."""
    rows = session.exec(select(InviteFailure.failed_at).where(
        InviteFailure.platform == platform, InviteFailure.user_id == user_id,
    ).order_by(InviteFailure.failed_at.desc(), InviteFailure.id.desc()).limit(limit))  # type: ignore[union-attr]
    return [at for at in rows if at is not None]


def invite_exists(*, session: Session, code: str) -> bool:
    """Whether a code was ever issued (used, expired or not)."""
    return session.exec(select(Invite.id).where(Invite.code == code)).first() is not None
