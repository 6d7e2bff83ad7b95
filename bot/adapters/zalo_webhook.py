"""The Zalo webhook: the secret header checked on every request, the answer sent only once the update is handled.

Zalo sends each update as a POST with `X-Bot-Api-Secret-Token` (the `secret_token` given to setWebhook). The
answer waits for the connector: an update whose handling was cut short by a crash is not answered, Zalo sends
it again, and the inbound journal recognises one that was in fact handled (the same message id) and ignores it.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web

from bot.adapters.zalo import ZaloConnector

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"


class ZaloWebhook:
    def __init__(self, connector: ZaloConnector, *, url: str, listen: str, port: int, secret: str,
                 path: str = "/zalo") -> None:
        if not secret:  # the runner refuses to start without one; never serve unauthenticated updates
            raise ValueError("a webhook secret is required")
        self.connector, self.url, self.listen, self.port = connector, url, listen, port
        self.secret, self.path = secret, path
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        server = web.Application(client_max_size=1024 * 1024)
        server.router.add_post(self.path, self._receive)
        self._runner = web.AppRunner(server, access_log=None, handle_signals=False, shutdown_timeout=5)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        await self.connector.client.set_webhook(self.url, self.secret)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()  # lets requests being handled finish first
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()):
            return web.Response(status=403)
        try:
            payload = json.loads(await request.read())
        except ValueError:  # unreadable: answering an error would only have it sent again forever
            log.warning("skipped an unreadable zalo webhook update")
            return web.json_response({"message": "Success"})
        await self.connector.handle_update(payload)
        return web.json_response({"message": "Success"})
