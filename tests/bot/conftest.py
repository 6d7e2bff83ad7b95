"""A running bot (the same code path as `nhacviec run`) against the in-process Bot API sandbox, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from telegram import Update

from bot.app import build_application, running
from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.client import ChatMessage, SandboxClient, SandboxError
from bot.sandbox.models import CallbackQuery
from bot.settings import Settings
from storage.database import Database
from storage.members import create_invite
from tests.factories import seed_two_units_and_an_office

TOKEN = "200000002:TEST-token-for-the-sandbox-only-xyz"


@dataclass
class World:
    sandbox: SandboxServer
    people: SandboxClient
    db: Database
    clock: FixedClock
    units: dict[str, int]
    tasks: dict[str, int]
    plan_id: int

    def invite(self, unit: str, role: str, code: str, *, expired: bool = False) -> str:
        now = self.clock.now()
        expires = now - timedelta(hours=1) if expired else now + timedelta(days=7)
        self.db.call(create_invite, unit_id=self.units[unit], role=role, code=code, now=now, expires_at=expires)
        return code

    def press_raw(self, chat_id: int, message_id: int, user_id: int, data: str, *, known: bool = True) -> str:
        """A press with any callback data on a message, as a forged or stale client sends it; `known=False`:
        a query the Bot API no longer knows (answering it is refused with 400)."""
        world = self.sandbox.world
        query = CallbackQuery(id=str(next(world._callback_ids)), user=world.user(user_id), chat_id=chat_id,
                              message_id=message_id, data=data)
        if known:
            world.callbacks[query.id] = query
        world.updates.append({"update_id": next(world._update_ids), "callback_query": {
            "id": query.id, "from": query.user.to_api(), "chat_instance": "1", "data": data,
            "message": world.message_json(world.chat(chat_id).messages[message_id])}})
        world.changed.notify()
        return query.id

    async def after(self, chat: object, action, new: int = 1, timeout: float = 5.0) -> list[ChatMessage]:  # type: ignore[no-untyped-def]
        """Do `action` (an awaitable), then wait for `new` more bot messages in `chat`; return those."""
        try:
            before = len(await self.people.messages(chat, sender="bot"))
        except SandboxError:  # a private chat that does not exist yet (before the first /start)
            before = 0
        await action
        got = await self.people.wait_for_messages(chat, before + new, timeout=timeout)
        return got[before:]


@pytest.fixture
async def world(db: Database) -> AsyncIterator[World]:
    async with open_world(db) as opened:
        yield opened


@asynccontextmanager
async def open_world(db: Database, **settings: object) -> AsyncIterator[World]:
    """The bot running on `db` against the sandbox, with these settings (e.g. web_base_url) on top."""
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))  # Q2 2026 is being collected
    now = clock.now()
    with db.session() as session:
        units, tasks, plan_id = seed_two_units_and_an_office(session, now=now)
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    settings = Settings(database_url=db.url, telegram_api_base_url=sandbox.bot_api_url,
                        _env_file=None, **settings)  # type: ignore[call-arg, arg-type]
    app = build_application(settings, token=TOKEN, clock=clock, database=db)
    async with running(app):
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
        async with sandbox.client() as people:
            yield World(sandbox, people, db, clock, units, tasks, plan_id)
    await sandbox.stop()
