"""The inbound journal (InboundMessage): what arrived, plain queries over it."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import InboundMessage


def inbound(*, session: Session, platform: str, update_key: str) -> InboundMessage | None:
    """The journal entry of one update (its platform's key), or None when it never arrived."""
    return session.exec(select(InboundMessage).where(
        InboundMessage.platform == platform, InboundMessage.update_key == update_key)).first()


def last_previewed(*, session: Session, platform: str, chat_id: str) -> InboundMessage | None:
    """The newest plan file of the chat whose preview waits (outcome "previewed")."""
    newest = InboundMessage.received_at.desc()  # type: ignore[union-attr]
    return session.exec(select(InboundMessage).where(
        InboundMessage.platform == platform, InboundMessage.chat_id == chat_id,
        InboundMessage.outcome == "previewed").order_by(newest)).first()


def last_asked(*, session: Session, chat_id: str) -> InboundMessage | None:
    """The newest reply of the chat that was asked back (outcome "asked")."""
    return session.exec(select(InboundMessage).where(InboundMessage.outcome == "asked",
                                                     InboundMessage.chat_id == chat_id)
                        .order_by(InboundMessage.id.desc())).first()  # type: ignore[union-attr]
