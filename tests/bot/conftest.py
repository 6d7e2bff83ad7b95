"""A running bot (the same code path as `nhacviec run`) against the in-process Bot API sandbox, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from telegram import Update

from bot.app import build_application, running
from bot.clock import VN_TZ, FixedClock
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.client import ChatMessage, SandboxClient, SandboxError
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
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))  # Q2 2026 is being collected
    now = clock.now()
    with db.session() as session:
        units, tasks, plan_id = seed_two_units_and_an_office(session, now=now)
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    settings = Settings(database_url=db.url, telegram_api_base_url=sandbox.bot_api_url,
                        _env_file=None)  # type: ignore[call-arg]
    app = build_application(settings, token=TOKEN, clock=clock, database=db)
    async with running(app):
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
        async with sandbox.client() as people:
            yield World(sandbox, people, db, clock, units, tasks, plan_id)
    await sandbox.stop()
