"""/help (/huongdan): what the bot does and how to answer it (numbered answers where there are no buttons); what
it says to a private message it cannot read (a sticker, a photo: platforms that send such messages as such)."""

from __future__ import annotations

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.capabilities import capabilities_of
from bot.chat.context import ChatDeps
from handlers.routes import Route


def handle_help(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    typed = not capabilities_of(event.platform).buttons  # numbered answers and codes instead of buttons
    return [Outgoing(text=msg.HELP + (msg.TYPED_HELP if typed else ""))]


def handle_not_text(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    """A private message with nothing the bot reads (a sticker, a photo, a voice note, a contact): say so, once."""
    return [Outgoing(text=msg.NOT_TEXT)]


ROUTES = (
    Route("command", handle_help, names=("help", "huongdan")),
    Route("nontext", handle_not_text),
)
