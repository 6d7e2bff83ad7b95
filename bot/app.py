"""The one wiring factory: settings in, a ready python-telegram-bot Application out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

import handlers
from bot.adapters.telegram import register, retry_after_seconds, to_incoming
from bot.adapters.telegram_notifier import telegram_sender
from bot.base import messages as msg
from bot.base.chat import Outgoing
from bot.base.clock import Clock, SystemClock
from bot.base.errors import UserError
from bot.base.retry import until_ready
from bot.chat.context import ChatDeps
from bot.chat.service import ChatService
from bot.logs import REDACTOR
from bot.settings import Settings
from scheduler.jobs import build_nudge_service
from storage.database import Database
from storage.migrate import ensure_current

log = logging.getLogger(__name__)


SEND_READ_TIMEOUT = 20.0  # seconds


def file_base_url(base_url: str) -> str:
    """python-telegram-bot's file URL for a Bot API base URL (".../bot" -> ".../file/bot")."""
    stem = base_url.rstrip("/")
    return stem[: -len("/bot")] + "/file/bot" if stem.endswith("/bot") else stem + "/file/bot"


def build_chat_deps(settings: Settings, db: Database, clock: Clock | None = None) -> ChatDeps:
    """What every conversation step needs; one per process, shared by every platform's connector."""
    return ChatDeps(db=db, clock=clock or SystemClock(), tz=settings.tz, max_upload_mb=settings.max_upload_mb,
                    upload_dir=settings.upload_dir(), web_base_url=settings.web_base_url)


def build_application(settings: Settings, *, token: str | None = None, clock: Clock | None = None,
                      database: Database | None = None) -> Application:  # type: ignore[type-arg]
    """Wire the bot: database, clock and conversation services on bot_data, the routes of every feature.
    A `database` passed in must already be current (`storage.migrate.ensure_current`)."""
    secret = token or (settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None)
    if not secret:
        raise ValueError("a bot token is required")
    REDACTOR.add_secret(secret)
    if settings.webhook_secret:
        REDACTOR.add_secret(settings.webhook_secret.get_secret_value())
    db = database or Database(settings.database_url)
    if database is None:  # a database passed in is the caller's, already brought up to date
        ensure_current(db)
    deps = build_chat_deps(settings, db, clock)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await asyncio.to_thread(deps.parser.warm)  # the plan reader's fork server, before the first upload
        # initialize() has asked getMe already (initialize_patiently tries it again while the Bot API is away): a
        # second call here, on a flaky network, could end the bot at start
        deps.bot_username = app.bot.username
        try:  # the command menu is a convenience: a Bot API server without it must not stop the bot
            await app.bot.set_my_commands([BotCommand(name, text) for name, text in msg.COMMANDS])
        except TelegramError as exc:
            log.warning("could not set the command menu: %s", exc.__class__.__name__)

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        if database is None:
            db.dispose()

    # a Bot API server under load (a local telegram-bot-api, a proxy) may take seconds to answer: waited for up to
    # SEND_READ_TIMEOUT, not python-telegram-bot's 5 s, after which the send was made again (a second answer, or,
    # from a server slow to read, none at all)
    builder = (ApplicationBuilder().token(secret).post_init(post_init).post_shutdown(post_shutdown)
               .read_timeout(SEND_READ_TIMEOUT).write_timeout(SEND_READ_TIMEOUT))
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url).base_file_url(
            file_base_url(settings.telegram_api_base_url))
    app = builder.build()
    app.bot_data["chat"] = ChatService(deps)
    app.bot_data["deps"] = deps
    app.bot_data["nudges"] = build_nudge_service(db=db, clock=deps.clock, tz=settings.tz,
                                                 senders=[telegram_sender(db, app.bot)])
    register(app, handlers.ROUTES)
    app.add_error_handler(on_error)
    return app


async def initialize_patiently(app: Application, stop: asyncio.Event, *,  # type: ignore[type-arg]
                               max_backoff: float = 60.0) -> bool:
    """Connect to the Bot API (getMe), trying again while it is unreachable, until it answers or `stop` is
    set (False then). A rejected token is a clear error at once: waiting will not fix it."""
    async def initialize() -> None:
        try:
            await app.initialize()
        except InvalidToken:  # 401, or 404 (python-telegram-bot reads both as a bad token)
            raise UserError(msg.TOKEN_REJECTED) from None

    def waiting(exc: Exception, seconds: float) -> str | None:
        # network errors, timeouts, 5xx, 429: the server may come back
        return msg.BOT_API_UNREACHABLE.format(seconds=seconds) if isinstance(exc, TelegramError) else None

    return await until_ready(initialize, waiting=waiting, stop=stop, max_backoff=max_backoff,
                             say=lambda line: print(line, flush=True))


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """initialize -> post_init -> start, and the reverse on exit.

    python-telegram-bot only calls post_init/post_shutdown from run_polling/run_webhook; we drive the
    application ourselves (to run the scheduler and the sandbox on the same loop), so we call them here.
    """
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        try:
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log (the redactor strips secrets) and tell the person once; the bot keeps running. After a long 429 an
    apology sent now would get a 429 too: it goes through the answer lane, due after the wait, or is not sent."""
    log.error("update failed: %s", context.error.__class__.__name__, exc_info=context.error)
    if isinstance(context.error, RetryAfter):
        await _apologise_later(update, context, retry_after_seconds(context.error))
        return
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(chat_id=update.effective_chat.id, text=msg.ERROR)
        except Exception:  # the error path must never raise
            log.warning("could not tell the chat about the error")


APOLOGY_INDEX = -1  # the outbox key of an apology queued after a 429 ("answer:<platform>:<update>:-1"): never a step's


async def _apologise_later(update: object, context: ContextTypes.DEFAULT_TYPE, seconds: float) -> None:
    event = to_incoming(update) if isinstance(update, Update) else None
    if event is None:
        return
    chat: ChatService = context.bot_data["chat"]
    try:
        queued = await chat.queue_after_rate_limit(event, [Outgoing(text=msg.ERROR)], seconds=seconds,
                                                   first=APOLOGY_INDEX)
    except Exception:  # the error path must never raise
        log.warning("could not queue the apology for chat %s", event.chat_id)
        return
    if queued is None:
        log.warning("chat %s rate-limited for %.0f s: no apology sent", event.chat_id, seconds)
