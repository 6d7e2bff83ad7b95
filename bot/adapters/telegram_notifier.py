"""The Telegram Notifier: one Outgoing through python-telegram-bot, its errors mapped to neutral ones.

Links for task cards (so replies and buttons find their task) are recorded by the dispatcher in the same
transaction that marks the outbox row sent, from the message id returned here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.adapters.telegram import PLATFORM, deliver, retry_after_seconds
from bot.base.chat import Outgoing
from scheduler.notifier import ChatMoved, Permanent, RetryLater, Transient
from scheduler.pacer import SharedPacer, budget_bucket
from storage.database import Database

GONE_HINTS = ("chat not found", "bot was kicked", "not a member", "user is deactivated", "group chat was upgraded",
              "have no rights to send", "need administrator rights", "chat_write_forbidden")


def telegram_sender(db: Database, bot: Any) -> tuple[TelegramNotifier, SharedPacer]:
    """The Telegram notifier on the application's bot, paced under Telegram's limits on one budget with any
    other sender on the same token (storage.budget)."""
    return TelegramNotifier(bot), SharedPacer(db, budget_bucket(PLATFORM, bot.token))


class TelegramNotifier:
    platform = PLATFORM

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    async def send(self, chat_id: str, out: Outgoing) -> str:
        try:
            message = await deliver(self.bot, chat_id, out)
        except RetryAfter as exc:
            raise RetryLater(retry_after_seconds(exc)) from exc
        except Forbidden as exc:
            raise Permanent(exc.message, chat_gone=True) from exc
        except ChatMigrated as exc:  # the group became a supergroup ("ResponseParameters": migrate_to_chat_id)
            raise ChatMoved(str(exc.new_chat_id)) from exc
        except BadRequest as exc:
            gone = any(hint in exc.message.lower() for hint in GONE_HINTS)
            raise Permanent(exc.message, chat_gone=gone) from exc
        except (TimedOut, NetworkError) as exc:  # TimedOut is a NetworkError; 5xx arrive as NetworkError too
            raise Transient(exc.__class__.__name__ + ": " + str(exc)) from exc
        except TelegramError as exc:  # an answer that is not the Bot API's JSON (a proxy's page, even with 200)
            raise Transient(exc.__class__.__name__ + ": " + str(exc)[:200]) from exc
        if message is None:
            raise Transient("no message returned")
        return str(message.message_id)


@asynccontextmanager
async def open_notifier(token: str, base_url: str | None, *, connections: int = 10) -> AsyncIterator[TelegramNotifier]:
    """A notifier on its own Bot (outside a running Application), e.g. for `nhacviec nudges send-due`."""
    request = HTTPXRequest(connection_pool_size=connections, read_timeout=15, write_timeout=15)
    async with Bot(token, base_url=base_url or "https://api.telegram.org/bot", request=request) as bot:
        yield TelegramNotifier(bot)
