"""Long polling for Zalo: getUpdates returns the next message (no offset, no update id), we handle it.

Zalo counts a message as delivered once getUpdates returned it; nothing can be confirmed later. So each one is
handed to the connector at once: messages of one chat in order, chats side by side, a stop waits for those
being handled. A message Zalo delivers again (after a timeout on its side) is recognised by the inbound
journal (chat id + message id) and not applied twice. Polling and a webhook cannot run together: the webhook
is deleted first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from bot.adapters.waiting import race, sleep_or_stop
from bot.adapters.zalo import ZaloConnector, to_incoming, unwrap
from bot.adapters.zalo_api import ZaloError, ZaloNetworkError, ZaloRateLimited
from bot.base import messages as msg
from bot.base.errors import UserError

log = logging.getLogger(__name__)


class ZaloPoller:
    def __init__(self, connector: ZaloConnector, *, timeout: int = 10, max_backoff: float = 30.0) -> None:
        self.connector, self.timeout, self.max_backoff = connector, timeout, max_backoff
        self._chains: dict[str, asyncio.Task[None]] = {}
        self.handled = 0

    async def run(self, stop: asyncio.Event) -> None:
        client = self.connector.client
        with contextlib.suppress(ZaloError, ZaloNetworkError):  # no webhook set is fine too
            await client.delete_webhook()
        backoff = 0.0
        while not stop.is_set():
            try:
                updates = await race(stop, client.get_updates(self.timeout))
            except ZaloRateLimited as exc:
                await sleep_or_stop(stop, exc.retry_after or max(1.0, backoff))
                backoff = min(self.max_backoff, max(1.0, backoff * 2))
                continue
            except ZaloError as exc:
                if exc.code in (401, 403):
                    raise UserError(msg.ZALO_TOKEN_REJECTED) from None
                backoff = min(self.max_backoff, max(0.5, backoff * 2))
                log.warning("zalo getUpdates refused (%s); retrying in %.1f s", exc.code, backoff)
                await sleep_or_stop(stop, backoff)
                continue
            except ZaloNetworkError as exc:
                backoff = min(self.max_backoff, max(0.5, backoff * 2))
                log.warning("zalo getUpdates failed (%s); retrying in %.1f s", exc, backoff)
                await sleep_or_stop(stop, backoff)
                continue
            backoff = 0.0
            for update in updates or []:
                self._dispatch(update)
        pending = [task for task in self._chains.values() if not task.done()]
        if pending:
            await asyncio.wait(pending)

    def _dispatch(self, payload: Any) -> None:
        update = unwrap(payload)
        event = to_incoming(update) if update is not None else None
        chat = event.chat_id if event is not None else ""
        previous = self._chains.get(chat)
        self._chains[chat] = asyncio.create_task(self._after(chat, previous, payload))

    async def _after(self, chat: str, previous: asyncio.Task[None] | None, payload: Any) -> None:
        if previous is not None and not previous.done():
            with contextlib.suppress(Exception):
                await asyncio.shield(previous)
        try:
            await self.connector.handle_update(payload)
            self.handled += 1
        except Exception:  # one update's failure must not stop the others
            log.exception("zalo update could not be processed")
        finally:
            if self._chains.get(chat) is asyncio.current_task():  # the chat's last one: forget the chain
                del self._chains[chat]
