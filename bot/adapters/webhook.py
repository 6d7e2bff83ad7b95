"""A webhook that answers Telegram only after the update's handlers ran, so a kill -9 loses nothing.

python-telegram-bot's webhook server answers 200 as soon as an update is queued; a crash then loses every
queued update, because Telegram considers them delivered. Here the answer waits for
`Application.process_update`: an update whose handling was cut short is sent again by Telegram, and the
InboundMessage journal recognises one that was in fact handled. The secret header is checked on every request.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.adapters.polling import HANDLED_UPDATES

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class DurableWebhook:
    def __init__(self, app: Application, *, url: str, listen: str, port: int,  # type: ignore[type-arg]
                 secret: str, path: str = "/telegram") -> None:
        if not secret:  # runner refuses to start without one; never serve unauthenticated updates
            raise ValueError("a webhook secret is required")
        self.app, self.url, self.listen, self.port = app, url, listen, port
        self.secret, self.path = secret, path
        self._runner: web.AppRunner | None = None

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
        await self.app.process_update(update)  # handler errors go to the error handler
        return web.Response(status=200)
