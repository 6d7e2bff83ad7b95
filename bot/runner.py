"""Running the bot: every platform whose token is set (Telegram, Zalo), each by long polling or webhook, one
database and one outbox, with a clean stop on SIGINT/SIGTERM.

Without a token, the bot runs against an in-process local Bot API sandbox (see bot/sandbox/), so the
product can be tried with no BotFather token and no internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Callable
from typing import Protocol

from pydantic import SecretStr

from bot.adapters.polling import DurablePoller
from bot.adapters.telegram_notifier import telegram_sender
from bot.adapters.webhook import DurableWebhook
from bot.adapters.zalo import ZaloConnector
from bot.adapters.zalo_api import ZaloClient, ZaloError, ZaloNetworkError, ZaloUnauthorized
from bot.adapters.zalo_notifier import ZaloNotifier, zalo_limits
from bot.adapters.zalo_polling import ZaloPoller
from bot.adapters.zalo_webhook import ZaloWebhook
from bot.app import build_application, build_chat_deps, initialize_patiently, running
from bot.base import messages as msg
from bot.base.clock import Clock, SystemClock
from bot.base.errors import UserError
from bot.base.retry import until_ready
from bot.chat.capabilities import FileLink, signed_file_links
from bot.chat.service import ChatService
from bot.logs import REDACTOR
from bot.settings import Settings
from scheduler.answers import AnswerLane
from scheduler.jobs import NudgeJobs, build_nudge_service
from scheduler.pacer import SharedPacer, budget_bucket
from storage.database import Database
from storage.migrate import DatabaseUnreachable, ensure_current

log = logging.getLogger(__name__)
SANDBOX_TOKEN = "100000001:SANDBOX-local-only-not-a-real-token"


async def serve(settings: Settings, *, clock: Clock | None = None, stop: asyncio.Event | None = None,
                sandbox_port: int = 8081, announce: bool = True) -> None:
    """Serve every platform whose token is set (Telegram, Zalo) in one process, on one database and one outbox,
    until `stop` is set or the process gets SIGINT/SIGTERM. No token at all: Telegram against the local sandbox."""
    if settings.webhook_url and not settings.webhook_secret:  # anyone could post forged updates
        raise UserError(msg.WEBHOOK_SECRET_MISSING)
    if settings.web_base_url and not settings.web_secret:  # download links could not be signed
        raise UserError(msg.WEB_SECRET_MISSING)
    if settings.zalo_webhook_url and not settings.zalo_webhook_secret:
        raise UserError(msg.ZALO_WEBHOOK_SECRET_MISSING)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    clock = clock or SystemClock()
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    zalo_token = settings.zalo_bot_token.get_secret_value() if settings.zalo_bot_token else None
    async with contextlib.AsyncExitStack() as stack:
        db = Database(settings.database_url)  # a DATABASE_URL it cannot read is refused before any banner
        stack.callback(db.dispose)
        if token is None and zalo_token is None:
            from bot.sandbox import SandboxConfig, SandboxServer

            sandbox = SandboxServer(SandboxConfig(token=SANDBOX_TOKEN))
            base = await sandbox.start("127.0.0.1", sandbox_port)
            stack.push_async_callback(sandbox.stop)
            settings = replace_base_url(settings, sandbox.bot_api_url)
            token = SANDBOX_TOKEN
            if announce:
                print(f"Chưa có TELEGRAM_BOT_TOKEN: bot chạy với sandbox Bot API cục bộ tại {base} "
                      f"(giả lập người dùng qua {base}/sandbox/...).", flush=True)
        if not await _schema_current_patiently(db, stop):  # stopped before the database ever answered
            return
        app = build_application(settings, token=token, clock=clock, database=db) if token else None
        deps = app.bot_data["deps"] if app else build_chat_deps(settings, db, clock)
        chat = app.bot_data["chat"] if app else ChatService(deps)
        # summary files as signed links of the web pages on platforms that take no documents (Zalo)
        file_link = signed_file_links(base_url=settings.web_base_url, clock=deps.clock, secret=(
            settings.web_secret.get_secret_value() if settings.web_secret else None))
        zalo = await _open_zalo(settings, zalo_token, chat, stack, stop, file_link) if zalo_token else None
        if zalo_token and zalo is None:
            return  # stopped before Zalo ever answered
        others = []
        if zalo is not None and zalo_token is not None:  # one budget with any other sender on the token
            limits = zalo_limits(per_second=settings.zalo_send_per_second, chat_interval=settings.zalo_chat_interval,
                                 group_interval=settings.zalo_group_interval)
            others.append((ZaloNotifier(zalo.client, file_link=file_link),
                           SharedPacer(db, budget_bucket("zalo", zalo_token), limits)))
        senders = [telegram_sender(db, app.bot), *others] if app else others
        nudges = build_nudge_service(db=db, clock=clock, tz=settings.tz, senders=senders)
        if app is not None:
            app.bot_data["nudges"] = nudges
            if not await initialize_patiently(app, stop):  # stopped before the Bot API ever answered
                return
            await stack.enter_async_context(running(app))
        jobs = NudgeJobs(nudges)  # the outbox's clock; the database is the record
        jobs.start()
        stack.callback(jobs.stop)
        deps.outbox_changed = jobs.wake  # /nhacnho, /yeucau: sent now, not in up to 30 s
        # answers to replies: queued with the reply, sent by their own paced lane ahead of the nudges
        lane = AnswerLane(nudges.dispatcher)
        lane_stop = asyncio.Event()
        lane_task = asyncio.create_task(lane.run(lane_stop))
        deps.answers_queued = lane.wake

        async def stop_lane() -> None:  # before the platforms' clients close
            deps.answers_queued = None
            lane_stop.set()
            await lane_task

        stack.push_async_callback(stop_lane)
        loops: list[asyncio.Task[None]] = []
        modes = []
        if app is not None:  # an update is confirmed only once handled (bot/adapters/webhook.py, polling.py)
            modes.append(await _receive(
                "Telegram", stack, stop, loops, url=settings.webhook_url, path="/telegram",
                listen=settings.webhook_listen, port=settings.webhook_port, secret=settings.webhook_secret,
                webhook=functools.partial(DurableWebhook, app), poller=functools.partial(DurablePoller, app)))
        if zalo is not None:  # the same on Zalo (bot/adapters/zalo_webhook.py, bot/adapters/zalo_polling.py)
            modes.append(await _receive(
                "Zalo", stack, stop, loops, url=settings.zalo_webhook_url, path="/zalo",
                listen=settings.zalo_webhook_listen, port=settings.zalo_webhook_port,
                secret=settings.zalo_webhook_secret, webhook=functools.partial(ZaloWebhook, zalo),
                poller=functools.partial(ZaloPoller, zalo)))
        if settings.web_base_url:  # the web pages on the same database and clock (bot/web/)
            from bot.web.server import EmbeddedWeb

            web = EmbeddedWeb(settings=settings, database=deps.db, clock=deps.clock)
            await web.start()
            stack.push_async_callback(web.stop)
            modes.append(f"trang web {settings.web_base_url}")
        if announce:
            print(f"nhacviec đang chạy ({', '.join(modes)}). Ctrl+C để dừng.", flush=True)
        await _until_stopped(stop, loops)
        for task in loops:
            await task  # raises if polling gave up (a rejected token)
    if announce:
        print("Đã dừng nhacviec.", flush=True)


class _Webhook(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class _Poller(Protocol):
    async def run(self, stop: asyncio.Event) -> None: ...


async def _receive(name: str, stack: contextlib.AsyncExitStack, stop: asyncio.Event, loops: list[asyncio.Task[None]],
                   *, url: str | None, path: str, listen: str, port: int, secret: SecretStr | None,
                   webhook: Callable[..., _Webhook], poller: Callable[..., _Poller]) -> str:
    """One platform's updates: by its webhook at `url` + `path` when a URL is set (`serve` refused one without a
    secret), else by long polling in `loops`; the mode, for the banner."""
    if url:  # the webhooks refuse an empty secret too: never serve unauthenticated updates
        hook = webhook(url=url.rstrip("/") + path, listen=listen, port=port,
                       secret=secret.get_secret_value() if secret else "")
        await hook.start()
        stack.push_async_callback(hook.stop)
        return f"{name}: webhook"
    loops.append(asyncio.create_task(poller(timeout=10).run(stop)))
    return f"{name}: long polling"


async def _open_zalo(settings: Settings, token: str, chat: ChatService, stack: contextlib.AsyncExitStack,
                     stop: asyncio.Event, file_link: FileLink, *, max_backoff: float = 60.0) -> ZaloConnector | None:
    """The Zalo connector once getMe answered (tried again while unreachable); None if stopped first."""
    REDACTOR.add_secret(token)
    if settings.zalo_webhook_secret:
        REDACTOR.add_secret(settings.zalo_webhook_secret.get_secret_value())
    client = await stack.enter_async_context(ZaloClient(token, settings.zalo_api_base_url))

    async def get_me() -> None:
        try:
            await client.get_me()
        except ZaloUnauthorized:
            raise UserError(msg.ZALO_TOKEN_REJECTED) from None
        except ZaloError as exc:
            if exc.code == 404:  # a wrong ZALO_API_BASE_URL or token path
                raise UserError(msg.ZALO_TOKEN_REJECTED) from None
            raise

    def waiting(exc: Exception, seconds: float) -> str | None:
        unreachable = isinstance(exc, ZaloError | ZaloNetworkError)
        return msg.ZALO_API_UNREACHABLE.format(seconds=seconds) if unreachable else None

    if not await until_ready(get_me, waiting=waiting, stop=stop, max_backoff=max_backoff, say=_say):
        return None
    return ZaloConnector(client, chat, file_link=file_link)


async def _schema_current_patiently(db: Database, stop: asyncio.Event, *, max_backoff: float = 30.0) -> bool:
    """The schema checked (and upgraded on first run), waiting while the database is unreachable or locked by
    another process, as for the Bot API, until it answers or `stop` is set (False then)."""
    def waiting(exc: Exception, seconds: float) -> str | None:
        if not isinstance(exc, DatabaseUnreachable):
            return None
        return msg.DATABASE_UNREACHABLE.format(reason=str(exc).rstrip("."), seconds=seconds)

    return await until_ready(lambda: asyncio.to_thread(ensure_current, db), waiting=waiting, stop=stop,
                             max_backoff=max_backoff, say=_say)


def _say(line: str) -> None:
    print(line, flush=True)


async def _until_stopped(stop: asyncio.Event, loops: list[asyncio.Task[None]]) -> None:
    """Wait for a stop request, or for a polling loop to end on its own (it only does on a fatal error)."""
    waiter = asyncio.ensure_future(stop.wait())
    await asyncio.wait({waiter, *loops}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    waiter.cancel()
    if loops:
        await asyncio.wait(set(loops))


def replace_base_url(settings: Settings, base_url: str) -> Settings:
    return settings.model_copy(update={"telegram_api_base_url": base_url})

