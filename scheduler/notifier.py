"""The platform-neutral way to deliver one message, with neutral errors the dispatcher understands."""

from __future__ import annotations

from typing import Protocol

from bot.base.chat import Outgoing


class DeliveryError(Exception):
    """Base of the neutral delivery errors."""


class RetryLater(DeliveryError):
    """The platform asked us to wait (Telegram's 429 retry_after); nothing was delivered."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class ChatMoved(DeliveryError):
    """The chat has a new id (Telegram: the group became a supergroup); nothing was delivered. Send again there."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Transient(DeliveryError):
    """A timeout, a network error or a 5xx: try again with backoff (it may or may not have arrived)."""


class Permanent(DeliveryError):
    """Will never work as sent. `chat_gone`: the bot was blocked or removed, or the chat no longer exists."""

    def __init__(self, reason: str, *, chat_gone: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.chat_gone = chat_gone


class Notifier(Protocol):
    """Sends one neutral message to one chat of its platform; returns the platform's message id."""

    platform: str

    async def send(self, chat_id: str, out: Outgoing) -> str:
        ...
