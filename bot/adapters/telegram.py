"""Telegram: updates -> neutral `Incoming`, neutral `Outgoing` -> Bot API calls (python-telegram-bot)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.text import strip_controls
from bot.chat.service import ChatService, Receive, Step
from storage.members import move_chat

if TYPE_CHECKING:
    from handlers.routes import Route

PLATFORM = "telegram"
log = logging.getLogger(__name__)
SEND_ATTEMPTS = 5  # a confirmation lost to a 5xx or a dropped connection is sent again (0.5, 1, 2, 4 s apart)
MAX_RETRY_AFTER = 30.0


def to_incoming(update: Update, *, args: list[str] | None = None) -> Incoming | None:
    """The neutral event for a message, an edit or a button press; None for anything else."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    name = user.full_name or user.username
    if update.callback_query is not None:
        query = update.callback_query
        message_id = str(query.message.message_id) if query.message else None
        return Incoming(platform=PLATFORM, chat_id=str(chat.id), chat_type=chat.type, user_id=str(user.id),
                        user_name=name, update_key=f"cb:{query.id}", message_id=message_id,
                        text=strip_controls(query.data or ""))
    message = update.edited_message or update.message
    if message is None:
        return None
    edit = update.edited_message is not None
    stamp = int(message.edit_date.timestamp()) if edit and message.edit_date else 0
    reply_to = message.reply_to_message
    return Incoming(
        platform=PLATFORM, chat_id=str(chat.id), chat_type=chat.type, user_id=str(user.id), user_name=name,
        update_key=f"{'edit' if edit else 'msg'}:{chat.id}:{message.message_id}:{stamp}",
        message_id=str(message.message_id), text=strip_controls(message.text or message.caption or ""),
        reply_to_message_id=str(reply_to.message_id) if reply_to else None, args=tuple(args or ()),
    )


def _markup(out: Outgoing) -> InlineKeyboardMarkup | None:
    if not out.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data) for b in row]
                                 for row in out.buttons])


def retry_after_seconds(exc: RetryAfter) -> float:
    """A 429's wait in seconds, the one place it is read: python-telegram-bot keeps it as a timedelta (an int in
    older versions) and warns on `retry_after` about its future type, so the stored value is read first."""
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def with_retries(call: Callable[[], Awaitable[Any]], *, attempts: int = SEND_ATTEMPTS,
                       backoff: float = 0.5) -> Any:
    """Await `call()`, again after a transport failure only: a network error, a timeout, a 5xx, an answer that
    is not JSON (a proxy's HTML page, even with 200), or a short 429 (waiting its `retry_after`). The Bot
    API's refusals are final and raised at once: BadRequest (which python-telegram-bot derives from
    NetworkError), Forbidden, ChatMigrated, InvalidToken, Conflict."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            if attempt == attempts or seconds > MAX_RETRY_AFTER:
                raise
            await asyncio.sleep(seconds)
        except BadRequest:  # a NetworkError subclass, but the server answered: trying again gets the same answer
            raise
        except TelegramError as exc:  # NetworkError: TimedOut and 5xx included
            unreadable = type(exc) is TelegramError  # not the Bot API's JSON (a proxy's page): no refusal either
            if attempt == attempts or not (unreadable or isinstance(exc, NetworkError)):
                raise
            log.info("sending failed (%s), attempt %d of %d", exc.__class__.__name__, attempt, attempts)
            await asyncio.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def deliver(bot: Any, chat_id: str, out: Outgoing) -> Message | None:
    """Send (or edit) one outgoing message; returns the message the chat now shows."""
    markup = _markup(out)
    if out.document is not None:
        name, content = out.document
        return await bot.send_document(chat_id=chat_id, document=content, filename=name, caption=out.text or None,
                                       parse_mode=ParseMode.HTML)
    if out.photo is not None:
        return await bot.send_photo(chat_id=chat_id, photo=out.photo, caption=out.text or None,
                                    parse_mode=ParseMode.HTML)
    if out.edit_message_id is not None:
        try:
            result = await bot.edit_message_text(chat_id=chat_id, message_id=int(out.edit_message_id), text=out.text,
                                                 parse_mode=ParseMode.HTML, reply_markup=markup)
            return result if isinstance(result, Message) else None
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return None
            log.info("edit failed (%s); sending a new message instead", exc.__class__.__name__)
    reply = ReplyParameters(message_id=int(out.reply_to), allow_sending_without_reply=True) if out.reply_to else None
    return await bot.send_message(chat_id=chat_id, text=out.text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                  reply_parameters=reply)


async def run_step(update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step,
                   event: Incoming | None = None, *, guarded: bool = True, wakes_outbox: bool = False,
                   queued: bool = False) -> None:
    """Turn the update into an event, run the step, deliver what it says, remember what was sent (`queued`:
    the answers go through the outbox when the runner's answer lane runs, see ChatService.handle)."""
    event = event or to_incoming(update, args=list(context.args or []))
    if event is None:
        if update.callback_query is not None:  # a press on a message too old to be sent ("CallbackQuery"):
            await _answer(update.callback_query, msg.BUTTON_STALE)  # the client waits for an answer
        return
    chat: ChatService = context.bot_data["chat"]
    outgoing = await chat.handle(step, event, guarded=guarded, wakes_outbox=wakes_outbox, queued=queued)
    await send_outgoing(update, context, event, outgoing)


async def send_outgoing(update: Update, context: ContextTypes.DEFAULT_TYPE, event: Incoming,
                        outgoing: list[Outgoing]) -> None:
    """Answer the button press (if any), deliver each message, remember what each sent message is about."""
    chat: ChatService = context.bot_data["chat"]
    query: CallbackQuery | None = update.callback_query
    toast = next((o.toast for o in outgoing if o.toast), None)
    if query is not None:
        await _answer(query, toast)
    for i, out in enumerate(outgoing):
        if not out.text and out.document is None and out.photo is None:
            continue
        try:  # the step is committed: what it says must reach the chat, even through a flaky network
            sent, event = await _deliver_following(context, event, out)
        except RetryAfter as exc:  # too long a wait to hold the update for: the answer lane sends the rest
            seconds = retry_after_seconds(exc)
            left = await chat.queue_after_rate_limit(event, outgoing[i:], seconds=seconds, first=i)
            if left is None:  # no lane (no runner): the error handler logs it
                raise
            log.info("chat %s: 429 for %.0f s, the answers left are queued in the outbox", event.chat_id, seconds)
            if left:
                log.warning("chat %s: %d file answer(s) not sent (429 for %.0f s)", event.chat_id, len(left),
                            seconds)
            return
        except Forbidden:
            log.info("chat %s refuses messages", event.chat_id)
            return
        except BadRequest as exc:  # refused once, logged once (no traceback), the person told once
            log.warning("Bot API refused a message to chat %s: %s", event.chat_id, exc.message)
            await _tell_error_once(context.bot, event.chat_id)
            return
        if sent is not None and out.link is not None:
            await chat.record_sent(platform=PLATFORM, chat_id=event.chat_id, message_id=str(sent.message_id),
                                   link=out.link)


async def _deliver_following(context: ContextTypes.DEFAULT_TYPE, event: Incoming,
                             out: Outgoing) -> tuple[Message | None, Incoming]:
    """Deliver with retries; a group that became a supergroup meanwhile ("ResponseParameters":
    migrate_to_chat_id) is followed (its bindings move) and the message sent there. Returns the event with the
    chat the message went to."""
    try:
        return await with_retries(lambda: deliver(context.bot, event.chat_id, out)), event
    except ChatMigrated as exc:
        moved = replace(event, chat_id=str(exc.new_chat_id), chat_type="supergroup")
        await follow_chat(context, event.chat_id, moved.chat_id)
        return await with_retries(lambda: deliver(context.bot, moved.chat_id, out)), moved


async def follow_chat(context: ContextTypes.DEFAULT_TYPE, chat_id: str, new_chat_id: str) -> None:
    """The chat's bindings and unsent messages go to its new id (storage.members.move_chat)."""
    chat: ChatService = context.bot_data["chat"]
    units = await chat.deps.db.run(move_chat, platform=PLATFORM, chat_id=chat_id, new_chat_id=new_chat_id,
                                   chat_type="supergroup")
    if units:
        log.info("chat %s became %s: units %s follow", chat_id, new_chat_id, units)


async def on_migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The service messages of a group upgraded to a supergroup ("Message": migrate_to_chat_id in the old
    group, migrate_from_chat_id in the new one): either one moves the bindings, the second finds nothing left."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await follow_chat(context, str(message.chat.id), str(message.migrate_to_chat_id))
    elif message.migrate_from_chat_id:
        await follow_chat(context, str(message.migrate_from_chat_id), str(message.chat.id))


async def _tell_error_once(bot: Any, chat_id: str) -> None:
    """One plain apology after a refused message; never retried, never raising."""
    try:
        await bot.send_message(chat_id=chat_id, text=msg.ERROR)
    except TelegramError as exc:
        log.info("could not tell chat %s about the refusal: %s", chat_id, exc.__class__.__name__)


async def _answer(query: CallbackQuery, toast: str | None) -> None:
    try:
        await with_retries(lambda: query.answer(text=toast[:190] if toast else None), attempts=3)
    except TelegramError as exc:  # an old query cannot be answered; nothing is lost
        log.info("callback answer failed: %s", exc.__class__.__name__)


async def download_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, bytes] | None:
    """The uploaded document's name and content; None when it is over the size limit."""
    message = update.effective_message
    if message is None or message.document is None:
        return None
    chat: ChatService = context.bot_data["chat"]
    limit = chat.deps.max_upload_mb * 1024 * 1024
    document = message.document
    if document.file_size is not None and document.file_size > limit:
        return None
    try:
        remote = await with_retries(lambda: context.bot.get_file(document.file_id))
    except BadRequest as exc:  # Telegram serves bots files up to 20 MB: "file is too big"
        log.info("getFile refused (%s)", exc.__class__.__name__)
        return None
    if remote.file_size is not None and remote.file_size > limit:  # the message did not say; getFile does
        return None
    data = bytes(await with_retries(remote.download_as_bytearray))
    return (document.file_name or "ke-hoach", data) if len(data) <= limit else None


def document_handler(receive: Receive) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    """A handler for uploaded files: `receive` journals the upload first and downloads it only when it is new."""
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        event = to_incoming(update)
        message = update.effective_message
        if event is None:
            return
        if message is not None and message.document is not None:
            event = replace(event, file_key=message.document.file_unique_id)
        outgoing = await receive(context.bot_data["chat"], event, lambda: download_document(update, context))
        await send_outgoing(update, context, event, outgoing)

    return handler


def step_handler(step: Step, *, guarded: bool = True, wakes_outbox: bool = False, queued: bool = False,
                 ) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    """A handler running `step`; `guarded=False` skips flood control (replies to task cards must not be lost);
    `wakes_outbox` dispatches the nudges the step queued right away; `queued` sends its answers through the
    outbox's answer lane when the runner has one."""
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await run_step(update, context, step, guarded=guarded, wakes_outbox=wakes_outbox, queued=queued)

    handler.__name__ = getattr(step, "__name__", "step")
    return handler


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
_TEXT = filters.TEXT & ~filters.COMMAND
_WORDS = _TEXT | (filters.CAPTION & ~filters.Document.ALL)  # a photo's caption answers a card as a text would
# What each trigger of the route table (handlers/routes.py) is on Telegram; "typed" is for text-only platforms.
_MESSAGES = {
    "file": filters.UpdateType.MESSAGE & filters.Document.ALL,
    "reply": filters.UpdateType.MESSAGE & filters.REPLY & _WORDS,
    "edit": filters.UpdateType.EDITED_MESSAGE & _WORDS,
    "text": filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & _TEXT,
    # a sticker, a photo, a voice note, a contact ("Message": text is optional): said once what the bot reads;
    # service messages (members joining, a title changed) are not a person writing to the bot
    "nontext": (filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.Document.ALL
                & ~filters.StatusUpdate.ALL & ~(filters.REPLY & filters.CAPTION)),
}


def register(app: Application, routes: Iterable[Route]) -> None:  # type: ignore[type-arg]
    """One python-telegram-bot handler per route Telegram has, in the table's order (the first match wins)."""
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration))  # not a route: no step, no answer
    for route in routes:
        if route.on == "typed":
            continue
        if route.on == "file":
            handler: Handler = document_handler(route.step)  # type: ignore[arg-type]
        else:
            handler = step_handler(route.step, guarded=route.guarded,  # type: ignore[arg-type]
                                   wakes_outbox=route.wakes_outbox, queued=route.queued)
        if route.on == "command":
            app.add_handler(CommandHandler(list(route.names), handler))
        elif route.on == "button":
            pattern = rf"^{re.escape(route.prefix)}\|" if route.prefix else None
            app.add_handler(CallbackQueryHandler(handler, pattern=pattern))
        else:
            app.add_handler(MessageHandler(_MESSAGES[route.on], handler))
