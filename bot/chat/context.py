"""What every conversation step needs: the database, the clock, the zone, and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.base.chat import Incoming
from bot.base.clock import Clock
from bot.chat.flood import FloodGuard
from bot.importer.worker import PlanParser
from storage.database import Database
from storage.members import chat_bindings, get_member
from storage.models import InboundMessage, Member, Nudge, Role, Unit

ROLE_RANK = {Role.STAFF: 0, Role.HEAD: 1, Role.COORDINATOR: 2, Role.ADMIN: 3}


@dataclass
class ChatDeps:
    db: Database
    clock: Clock
    tz: ZoneInfo
    bot_username: str | None = None
    web_base_url: str | None = None  # WEB_BASE_URL: /web answers with a sign-in link when it is set
    invite_days: int = 7
    max_upload_mb: int = 10
    upload_dir: Path = Path("data/uploads")
    flood: FloodGuard = field(default_factory=FloodGuard)
    parser: PlanParser = field(default_factory=PlanParser)  # plan files are read in worker processes
    db_retry_seconds: float = 120.0  # how long a step waits for an unavailable database before giving up
    outbox_changed: Callable[[], None] = lambda: None  # set by the runner: dispatch now, not at the next tick
    # set by the runner when its answer lane runs (scheduler/answers.py): answers to replies are then queued in
    # the outbox with the reply (storage/answers.py) and this wakes the lane; None: the handler sends them
    answers_queued: Callable[[list[Nudge]], None] | None = None

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()


@dataclass(frozen=True)
class Actor:
    """The person acting and the unit this chat acts for."""

    member: Member | None
    chat_unit_id: int | None  # the unit the chat is bound to (group), or the member's unit (private)
    chat_unit_name: str | None
    chat_role: str | None  # the binding's role in a group (coordinator groups see summaries)

    @property
    def is_coordinator(self) -> bool:
        return self.member is not None and self.member.role in (Role.COORDINATOR, Role.ADMIN)

    def may_act_for(self, unit_id: int) -> bool:
        """Only bound members act for their own unit (in a group: the group's unit too)."""
        if self.member is None or self.member.unit_id != unit_id:
            return False
        return self.chat_unit_id is None or self.chat_unit_id == unit_id


def resolve_actor(*, session: Session, event: Incoming) -> Actor:
    member = get_member(session=session, platform=event.platform, user_id=event.user_id)
    if event.chat_type == "private":
        unit = session.get(Unit, member.unit_id) if member and member.unit_id else None
        return Actor(member, unit.id if unit else None, unit.name if unit else None, None)
    bound = group_binding(session=session, event=event)
    if bound is None:
        return Actor(member, None, None, None)
    unit_id, role = bound
    unit = session.get(Unit, unit_id)
    return Actor(member, unit_id, unit.name if unit else None, role)


def group_binding(*, session: Session, event: Incoming) -> tuple[int, str] | None:
    """The unit a group chat acts for and the binding's role, or None when the group is not bound.

    A group belongs to one unit: the one it was bound to first (binding it to a second unit is refused, and
    migration 0007 retired the later units' bindings an older version wrote). Bound to that unit more than
    once (a head code, then a coordinator code), the highest role counts."""
    bindings = chat_bindings(session=session, platform=event.platform, chat_id=event.chat_id)
    if not bindings:
        return None
    unit_id = bindings[0].unit_id
    return unit_id, max((b.role for b in bindings if b.unit_id == unit_id), key=role_rank)


def role_rank(role: str) -> int:
    """staff < head < coordinator < admin; an unknown role ranks lowest."""
    return ROLE_RANK.get(role, -1)


def already_handled(*, session: Session, event: Incoming) -> bool:
    return session.exec(select(InboundMessage.id).where(
        InboundMessage.platform == event.platform, InboundMessage.update_key == event.update_key)).first() is not None


def journal(*, session: Session, event: Incoming, kind: str, now: datetime) -> InboundMessage | None:
    """Record what arrived; None when this exact update was already handled (a redelivery)."""
    if already_handled(session=session, event=event):
        return None
    entry = InboundMessage(platform=event.platform, update_key=event.update_key, chat_id=event.chat_id,
                           message_id=event.message_id, user_id=event.user_id, kind=kind, text=event.text or None,
                           received_at=now)
    # No SAVEPOINT here: on SQLite (pysqlite) a SAVEPOINT opened before the transaction's first write starts
    # the transaction itself, and its RELEASE commits it, so the entry was committed alone, before the step's
    # work; a crash in between left the update "handled" with nothing applied, and its redelivery ignored.
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:  # the same update, being handled right now by another worker
        session.rollback()
        return None
    return entry
