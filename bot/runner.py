"""Running the bot: long polling or webhook, with a clean stop on SIGINT/SIGTERM.

Without a token, the bot runs against an in-process local Bot API sandbox (see bot/sandbox/), so the
product can be tried with no BotFather token and no internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot import messages as msg
from bot.adapters.polling import DurablePoller
from bot.adapters.webhook import DurableWebhook
from bot.app import build_application, initialize_patiently, running
from bot.clock import Clock, SystemClock
from bot.errors import UserError
from bot.settings import Settings
from scheduler.jobs import NudgeJobs

log = logging.getLogger(__name__)
SANDBOX_TOKEN = "100000001:SANDBOX-local-only-not-a-real-token"


async def serve(settings: Settings, *, clock: Clock | None = None, stop: asyncio.Event | None = None,
                sandbox_port: int = 8081, announce: bool = True) -> None:
    """Run until `stop` is set or the process gets SIGINT/SIGTERM."""
    if settings.webhook_url and not settings.webhook_secret:  # anyone could post forged updates
        raise UserError(msg.WEBHOOK_SECRET_MISSING)
    if settings.web_base_url and not settings.web_secret:  # download links could not be signed
        raise UserError(msg.WEB_SECRET_MISSING)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    sandbox = None
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    if token is None:
        from bot.sandbox import SandboxConfig, SandboxServer

        sandbox = SandboxServer(SandboxConfig(token=SANDBOX_TOKEN))
        base = await sandbox.start("127.0.0.1", sandbox_port)
        settings = replace_base_url(settings, sandbox.bot_api_url)
        token = SANDBOX_TOKEN
        if announce:
            print(f"Chưa có TELEGRAM_BOT_TOKEN: bot chạy với sandbox Bot API cục bộ tại {base} "
                  f"(giả lập người dùng qua {base}/sandbox/...).", flush=True)
    app = build_application(settings, token=token, clock=clock or SystemClock())
    try:
        if not await initialize_patiently(app, stop):  # stopped before the Bot API ever answered
            if app.post_shutdown:
                await app.post_shutdown(app)  # releases the database
            return
        async with running(app):
            jobs = NudgeJobs(app.bot_data["nudges"])  # the outbox's clock; the database is the record
            jobs.start()
            app.bot_data["deps"].outbox_changed = jobs.wake  # /nhacnho, /yeucau: sent now, not in up to 30 s
            polling: asyncio.Task[None] | None = None
            webhook: DurableWebhook | None = None
            if settings.webhook_url:  # answered only once handled (see bot/adapters/webhook.py)
                webhook = DurableWebhook(
                    app, url=settings.webhook_url.rstrip("/") + "/telegram", listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    secret=settings.webhook_secret.get_secret_value())  # type: ignore[union-attr]
                await webhook.start()
                mode = "webhook"
            else:  # an update is confirmed to Telegram only once handled (see bot/adapters/polling.py)
                polling = asyncio.create_task(DurablePoller(app, timeout=10).run(stop))
                mode = "long polling"
            web = None
            if settings.web_base_url:  # the web pages on the same database and clock (bot/web/)
                from bot.web.server import EmbeddedWeb

                deps = app.bot_data["deps"]
                web = EmbeddedWeb(settings=settings, database=deps.db, clock=deps.clock)
                await web.start()
                mode += f", trang web {settings.web_base_url}"
            if announce:
                print(f"nhacviec đang chạy ({mode}). Ctrl+C để dừng.", flush=True)
            await _until_stopped(stop, polling)
            if web is not None:
                await web.stop()
            jobs.stop()
            if webhook is not None:
                await webhook.stop()
            if polling is not None:
                await polling  # raises if polling gave up (a rejected token)
    finally:
        if sandbox is not None:
            await sandbox.stop()
    if announce:
        print("Đã dừng nhacviec.", flush=True)


async def _until_stopped(stop: asyncio.Event, polling: asyncio.Task[None] | None) -> None:
    """Wait for a stop request, or for polling to end on its own (it only does on a fatal error)."""
    waiter = asyncio.ensure_future(stop.wait())
    await asyncio.wait({waiter, *([polling] if polling else [])}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    waiter.cancel()
    if polling is not None:
        await asyncio.wait({polling})


def replace_base_url(settings: Settings, base_url: str) -> Settings:
    return settings.model_copy(update={"telegram_api_base_url": base_url})

