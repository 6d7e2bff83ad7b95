"""A webhook that answers Telegram only after the update's handlers ran, so a kill -9 loses nothing.

python-telegram-bot's webhook server answers 200 as soon as an update is queued; a crash then loses every
queued update, because Telegram considers them delivered. Here the answer waits for
`Application.process_update`: an update whose handling was cut short is sent again by Telegram, and the
InboundMessage journal recognises one that was in fact handled. The secret header is checked on every request
(in any letter case: aiohttp's headers are case-insensitive). Telegram sends an update again when our 200 did not
reach it; the journal covers the steps that change something, and the ids of the updates this run took (the last
`SEEN`) cover the read-only ones (/help, /nhiemvu), which would otherwise be answered twice.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections import OrderedDict

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.adapters.polling import HANDLED_UPDATES

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SEEN = 4096


class DurableWebhook:
    def __init__(self, app: Application, *, url: str, listen: str, port: int,  # type: ignore[type-arg]
                 secret: str, path: str = "/telegram") -> None:
        if not secret:  # runner refuses to start without one; never serve unauthenticated updates
            raise ValueError("a webhook secret is required")
        self.app, self.url, self.listen, self.port = app, url, listen, port
        self.secret, self.path = secret, path
        self._runner: web.AppRunner | None = None
        self._seen: OrderedDict[int, None] = OrderedDict()  # update ids taken by this run, oldest first

    async def start(self) -> None:
        server = web.Application(client_max_size=4 * 1024 * 1024)
        server.router.add_post(self.path, self._receive)
        self._runner = web.AppRunner(server, access_log=None, handle_signals=False, shutdown_timeout=5)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        await self.app.bot.set_webhook(url=self.url, secret_token=self.secret, allowed_updates=list(HANDLED_UPDATES))

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()  # lets requests being handled finish first
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(
                request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:  # unreadable: answering an error would only make Telegram send it forever
            log.warning("skipped an unreadable webhook update (%s)", exc.__class__.__name__)
            return web.Response(status=200)
        if update is None or (update.message is not None and update.effective_chat is None):
            return web.Response(status=200)
        if update.update_id in self._seen:  # delivered again (our 200 was lost, or came late): taken already
            return web.Response(status=200)
        self._seen[update.update_id] = None
        while len(self._seen) > SEEN:
            self._seen.popitem(last=False)
        try:
            await self.app.process_update(update)  # handler errors go to the error handler
        except BaseException:  # not handled (a stop cut it short): Telegram's next delivery is taken again
            self._seen.pop(update.update_id, None)
            raise
        return web.Response(status=200)
