"""Pushes queued updates to the bot's webhook, one at a time and in order, retrying with backoff.

Each update is POSTed as JSON with the header X-Telegram-Bot-Api-Secret-Token when a secret is set;
any 2xx answer confirms it. On failure the update stays first in the queue, `last_error_*` is set on
getWebhookInfo, and delivery is retried after `retry_delay`, doubling up to `max_retry_delay`.
Bot API calls returned in the webhook's response body are not executed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from bot.sandbox.stats import Stats
from bot.sandbox.world import World

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDeliverer:
    def __init__(self, world: World, stats: Stats, *, retry_delay: float = 1.0, max_retry_delay: float = 60.0,
                 request_timeout: float = 10.0) -> None:
        self.world = world
        self.stats = stats
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.request_timeout = request_timeout
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.request_timeout))
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        world = self.world
        delay = self.retry_delay
        while True:
            await world.changed.wait_for(lambda: world.webhook is not None and bool(world.updates), 3600)
            hook = world.webhook
            if hook is None or not world.updates:
                continue
            update = world.updates[0]
            error = await self._post(hook.url, hook.secret_token, update)
            if error is None:
                self.stats.webhook_delivered += 1
                if world.updates and world.updates[0] is update:
                    world.updates.popleft()
                world.changed.notify()
                delay = self.retry_delay
                continue
            self.stats.webhook_failed += 1
            hook.last_error_date, hook.last_error_message = world.now(), error
            await asyncio.sleep(delay)
            delay = min(self.max_retry_delay, max(delay * 2, 0.001))

    async def _post(self, url: str, secret: str | None, update: dict[str, object]) -> str | None:
        """None when delivered, else Telegram-like error text for getWebhookInfo."""
        assert self._session is not None
        headers = {SECRET_HEADER: secret} if secret else {}
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason or ''}".strip()
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as exc:
            log.debug("webhook delivery failed", exc_info=True)
            return f"Connection failed: {exc.__class__.__name__}"
