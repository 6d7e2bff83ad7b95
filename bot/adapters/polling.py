"""Long polling that confirms an update to Telegram only after its handlers ran, so a kill -9 loses nothing.

python-telegram-bot's Updater confirms a batch (the next getUpdates' offset) as soon as it is queued, before
any handler ran: a crash then loses every update still waiting in its queue. Here the offset moves past an
update only once `Application.process_update` returned for it; an update delivered again after a crash is
recognised by the InboundMessage journal and not applied twice. Updates of one chat run in order, chats run
side by side. An update python-telegram-bot cannot read is logged and skipped (PTB's Updater would fetch
the same batch again forever, and no later update would ever be handled).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.adapters.telegram import retry_after_seconds
from bot.adapters.waiting import race, sleep_or_stop
from bot.base import messages as msg
from bot.base.errors import UserError

log = logging.getLogger(__name__)

# The update kinds the handlers use. Asking for exactly these (rather than Update.ALL_TYPES) keeps traffic down
# and keeps a Bot API server that does not know a newer kind from refusing the whole getUpdates/setWebhook call.
HANDLED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)


class DurablePoller:
    def __init__(self, app: Application, *, timeout: int = 10, limit: int = 100,  # type: ignore[type-arg]
                 allowed_updates: Sequence[str] = HANDLED_UPDATES, max_backoff: float = 30.0) -> None:
        self.app, self.timeout, self.limit = app, timeout, limit
        self.allowed_updates, self.max_backoff = list(allowed_updates), max_backoff
        self.offset: int | None = None
        self.skipped = 0  # updates that could not be read

    async def run(self, stop: asyncio.Event) -> None:
        """Poll, handle, confirm, until `stop` is set; a last getUpdates confirms what was handled."""
        await self._until_ok(stop, lambda: self.app.bot.delete_webhook(), "deleteWebhook")
        backoff = 0.0
        while not stop.is_set():
            try:
                raw = await self._race(stop, self._fetch(self.timeout))
            except InvalidToken:
                raise UserError(msg.TOKEN_REJECTED) from None
            except RetryAfter as exc:
                await self._sleep(stop, retry_after_seconds(exc))
                continue
            except TelegramError as exc:  # 5xx, dropped connections, timeouts: try again, a little later each time
                backoff = min(self.max_backoff, max(0.5, backoff * 2))
                log.warning("getUpdates failed (%s); retrying in %.1f s", exc.__class__.__name__, backoff)
                await self._sleep(stop, backoff)
                continue
            backoff = 0.0
            if raw:
                await self._handle(raw)
        if self.offset is not None:
            with contextlib.suppress(TelegramError):
                await self._fetch(0)

    async def _fetch(self, timeout: int) -> list[dict[str, Any]]:
        data: dict[str, Any] = {"timeout": timeout, "limit": self.limit, "allowed_updates": self.allowed_updates}
        if self.offset is not None:
            data["offset"] = self.offset
        # the raw list, so that one unreadable update does not block the whole batch (Bot.get_updates parses all)
        result = await self.app.bot._post("getUpdates", data, read_timeout=timeout + 10)
        return [item for item in result if isinstance(item, dict)] if isinstance(result, list) else []

    async def _handle(self, raw: list[dict[str, Any]]) -> None:
        by_chat: dict[object, list[Update]] = defaultdict(list)
        last_id: int | None = None
        for item in raw:
            update_id = item.get("update_id")
            if isinstance(update_id, int):
                last_id = update_id if last_id is None else max(last_id, update_id)
            try:
                update = Update.de_json(item, self.app.bot)
                message = update.effective_message
                if message is not None and message.chat is None:  # PTB reads it, its filters then crash
                    raise ValueError("a message without a chat")
            except Exception as exc:  # Telegram's side should never send these; one must not stop the others
                self.skipped += 1
                log.warning("skipped an unreadable update %s (%s)", update_id, exc.__class__.__name__)
                continue
            chat = update.effective_chat
            by_chat[chat.id if chat is not None else ("update", update.update_id)].append(update)
        await asyncio.gather(*(self._run_in_order(updates) for updates in by_chat.values()))
        if last_id is not None:
            self.offset = last_id + 1  # only now: everything before it was handled

    async def _run_in_order(self, updates: list[Update]) -> None:
        for update in updates:
            try:
                await self.app.process_update(update)  # handler errors go to the error handler
            except Exception:
                log.exception("update %s could not be processed", update.update_id)

    async def _until_ok(self, stop: asyncio.Event, call: Any, what: str) -> None:
        backoff = 0.5
        while not stop.is_set():
            try:
                await self._race(stop, call())
                return
            except (InvalidToken, BadRequest, EndPointNotFound) as exc:
                # getMe has accepted the token, so a 404 here (read as InvalidToken) means a Bot API server
                # without this method: poll anyway; a token revoked since then is caught by getUpdates
                log.warning("%s refused (%s); polling anyway", what, exc.__class__.__name__)
                return
            except TelegramError as exc:
                log.warning("%s failed (%s); retrying in %.1f s", what, exc.__class__.__name__, backoff)
                await self._sleep(stop, backoff)
                backoff = min(self.max_backoff, backoff * 2)

    _race = staticmethod(race)
    _sleep = staticmethod(sleep_or_stop)
