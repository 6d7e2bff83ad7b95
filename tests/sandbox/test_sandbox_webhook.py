"""Webhooks: the sandbox POSTs updates to the bot's URL with the secret header, retrying on failure."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import BadRequest, Conflict

from bot.sandbox import SandboxClient, SandboxServer

SECRET = "s3cret_Token-1"


class Receiver:
    """A tiny webhook endpoint that refuses the first `failures` deliveries and checks the secret."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict[str, Any]] = []
        self.secrets: list[str | None] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        if self.secrets[-1] != SECRET:
            return web.Response(status=403)
        self.received.append(await request.json())
        self.arrived.set()
        return web.Response(text="")


async def _serve(receiver: Receiver) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


@pytest.fixture
async def flaky_receiver() -> AsyncIterator[tuple[Receiver, str]]:
    receiver = Receiver(failures=1)
    async for url in _serve(receiver):
        yield receiver, url


async def _until(predicate: Any, seconds: float = 2.0) -> None:
    async with asyncio.timeout(seconds):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_updates_are_pushed_with_the_secret_after_a_retry(
        bot: telegram.Bot, people: SandboxClient, sandbox: SandboxServer,
        flaky_receiver: tuple[Receiver, str]) -> None:
    receiver, url = flaky_receiver
    assert await bot.set_webhook(url, secret_token=SECRET, allowed_updates=["message"]) is True
    lan = await people.create_user("Lan")
    await people.send_text(lan.id, lan, "báo cáo xong")
    await asyncio.wait_for(receiver.arrived.wait(), 2)

    [update] = receiver.received
    assert update["message"]["text"] == "báo cáo xong" and isinstance(update["update_id"], int)
    assert receiver.secrets == [SECRET, SECRET]  # the refused first try, then the delivery
    await _until(lambda: sandbox.stats.webhook_delivered == 1)
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.allowed_updates) == (url, 0, ("message",))
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert sandbox.stats.webhook_failed == 1


async def test_get_updates_conflicts_while_a_webhook_is_set(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    assert await bot.set_webhook("http://127.0.0.1:9/nowhere") is True
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await people.send_text(lan.id, lan, "còn chờ")
    assert await bot.delete_webhook() is True
    assert [u.message.text for u in await bot.get_updates()] == ["còn chờ"]
    assert (await bot.get_webhook_info()).url == ""


async def test_delete_webhook_can_drop_pending_updates(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await people.send_text(lan.id, lan, "cũ")
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert await bot.get_updates() == ()


async def test_webhook_to_a_foreign_host_or_bad_secret_is_refused(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="allowed hosts"):
        await bot.set_webhook("https://example.org/hook")
    with pytest.raises(BadRequest, match="unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="bad secret!")
    assert (await bot.get_webhook_info()).url == ""
