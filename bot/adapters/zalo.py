"""Zalo: an update -> a neutral `Incoming`, the step's `Outgoing` -> sendMessage/sendPhoto (bot/adapters/zalo_api.py).

What the platform sends, and where each variant was seen (tests/zalo/test_documented_shapes.py has them):
- getUpdates answers one update, `{"ok": true, "result": {"message": {...}}}` (the documentation's sample has
  no `event_name` there: a message without one is read as text), or `{"ok": true, "result": {}}` when none came;
- a webhook body is the same envelope in the documentation's sample (`{"ok": true, "result": {"event_name":
  "message.text.received", "message": {...}}}`) but the bare event (`{"event_name": ..., "message": {...}}`)
  is what public clients report receiving: both are read;
- a message has `message_id` (a string), `date` (milliseconds), `text`, `chat.id` (a string), `chat.chat_type`
  (PRIVATE or GROUP) and `from.id`, with the sender's name as `from.display_name` (and `from.is_bot`), or
  `from.name`, or `from.first_name` (the getUpdates sample): the first one present is taken.
Events other than `message.text.received` carry no text for the bot (sticker, unsupported, an image without a
caption: answered so in private, tests/zalo/test_other_events.py), except an image's `caption`, read as its text.
Updates carry no id: the inbound journal keys a message on its chat and message id, so a redelivered update is
recognised and ignored. Zalo has no buttons, reply-to, edits or documents: the conversation's messages go
through `present` (bot/chat/capabilities.py); of the route table (handlers/) Zalo takes the commands, typed as
"/name args", and the "typed" route for every other text (`route`).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from bot.adapters.zalo_api import ZaloClient, ZaloError, ZaloNetworkError, ZaloRateLimited
from bot.base.chat import Incoming, Outgoing
from bot.base.text import strip_controls
from bot.chat.capabilities import ZALO, FileLink, file_download_link, present
from bot.chat.service import ChatService
from handlers import ROUTES
from handlers.routes import Route, by_command
from handlers.typed import unknown_command

PLATFORM = "zalo"
log = logging.getLogger(__name__)
SEND_ATTEMPTS = 5
MAX_RATE_WAIT = 30.0
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"  # its `caption` is read as text ("NV1 xong" under a photo of the work)
NAME_FIELDS = ("display_name", "name", "first_name")  # as the documentation, the SDKs and clients name it
COMMANDS = by_command(ROUTES)
TYPED = next(r for r in ROUTES if r.on == "typed")


def route(event: Incoming) -> tuple[Route, Incoming]:
    """The route for one typed message: a command ("/tonghop Q2", "@bot" suffix allowed) with its arguments,
    else the typed route (a bare invite code, a typed report, a numbered answer)."""
    text = event.text.strip()
    if not text.startswith("/"):
        return TYPED, event
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    command = COMMANDS.get(name)
    if command is None:
        return Route("command", unknown_command(name), names=(name,)), event
    return command, replace(event, args=tuple(rest.split()))


def unwrap(payload: Any) -> dict[str, Any] | None:
    """The update inside a getUpdates answer or a webhook body (`{"ok": true, "result": {...}}` or bare)."""
    if isinstance(payload, dict) and isinstance(payload.get("result"), dict):
        payload = payload["result"]
    return payload if isinstance(payload, dict) else None


def to_incoming(update: dict[str, Any]) -> Incoming | None:
    """The neutral event for a message from a person; None for anything else (or anything malformed)."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat, sender = message.get("chat"), message.get("from")
    if not isinstance(chat, dict) or not isinstance(sender, dict) or message.get("message_id") in (None, ""):
        return None
    chat_id, user_id = str(chat.get("id") or ""), str(sender.get("id") or "")
    if not chat_id or not user_id or sender.get("is_bot"):
        return None
    event = str(update.get("event_name") or TEXT_EVENT)
    text = message.get("text") if event == TEXT_EVENT else message.get("caption") if event == IMAGE_EVENT else None
    chat_type = "private" if str(chat.get("chat_type") or "PRIVATE").upper() == "PRIVATE" else "group"
    name = next((sender[key] for key in NAME_FIELDS if sender.get(key)), None)
    message_id = str(message["message_id"])
    return Incoming(platform=PLATFORM, chat_id=chat_id, chat_type=chat_type, user_id=user_id,
                    user_name=str(name) if name else None, update_key=f"msg:{chat_id}:{message_id}",
                    message_id=message_id, text=strip_controls(str(text or "")))


async def send_one(client: ZaloClient, chat_id: str, out: Outgoing) -> str:
    """One presented Outgoing (text within 2,000 characters, or a photo by URL); returns its message id."""
    if out.photo_url is not None:
        return await client.send_photo(chat_id, out.photo_url, out.text[:2000] or None)
    return await client.send_message(chat_id, out.text)


class ZaloConnector:
    """Handles updates (from the poller or the webhook) through the neutral conversation, answers in the chat."""

    platform = PLATFORM
    capabilities = ZALO

    def __init__(self, client: ZaloClient, chat: ChatService, *, file_link: FileLink = file_download_link,
                 attempts: int = SEND_ATTEMPTS, backoff: float = 0.5) -> None:
        self.client, self.chat, self.file_link = client, chat, file_link
        self.attempts, self.backoff = attempts, backoff

    async def handle_update(self, payload: Any) -> None:
        """Run the step for one update and deliver its answer; returns once both are done (or given up)."""
        update = unwrap(payload)
        event = to_incoming(update) if update is not None else None
        if event is None:
            return
        found, event = route(event)
        outgoing = await self.chat.handle(found.step, event, guarded=found.guarded,  # type: ignore[arg-type]
                                          wakes_outbox=found.wakes_outbox, once=True)
        for out in outgoing:
            for piece in present(out, self.capabilities, file_link=self.file_link):
                if not piece.text and piece.photo_url is None:
                    continue
                try:  # the step is committed: what it says must reach the chat, even through a flaky network
                    message_id = await self._send(event.chat_id, piece)
                except (ZaloError, ZaloNetworkError) as exc:
                    log.warning("answer to zalo chat %s not delivered (%s)", event.chat_id, exc.__class__.__name__)
                    return
                if piece.link is not None:
                    await self.chat.record_sent(platform=PLATFORM, chat_id=event.chat_id, message_id=message_id,
                                                link=piece.link,
                                                user_id=event.user_id if event.chat_type != "private" else None)

    async def _send(self, chat_id: str, out: Outgoing) -> str:
        wait = 1.0
        for attempt in range(1, self.attempts + 1):
            try:
                return await send_one(self.client, chat_id, out)
            except ZaloRateLimited as exc:  # no retry_after from Zalo: back off, doubling
                if attempt == self.attempts:
                    raise
                await asyncio.sleep(min(MAX_RATE_WAIT, exc.retry_after or wait))
                wait *= 2
            except ZaloNetworkError:
                if attempt == self.attempts:
                    raise
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")
