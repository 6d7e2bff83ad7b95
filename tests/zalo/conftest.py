"""A running Zalo connector (the code path of `nhacviec run` with ZALO_BOT_TOKEN) against the Zalo twin, over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.adapters.zalo import ZaloConnector
from bot.adapters.zalo_api import ZaloClient
from bot.adapters.zalo_notifier import ZaloNotifier
from bot.adapters.zalo_polling import ZaloPoller
from bot.app import build_chat_deps
from bot.base.clock import VN_TZ, FixedClock
from bot.chat.service import ChatService
from bot.sandbox.limits import RateLimits
from bot.sandbox.zalo import ZaloPeople, ZaloTwin, ZaloTwinConfig
from bot.settings import Settings
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from scheduler.service import NudgeService
from storage.database import Database
from storage.members import create_invite
from tests.factories import seed_two_units_and_an_office

ZALO_TOKEN = "4000000000000000004:ZALO-test-token-for-the-twin-only"
NUDGE_TIME = datetime(2026, 5, 27, 8, 5, tzinfo=VN_TZ)  # 7 working days before the Q2 cutoff (5/6)


@dataclass
class ZaloWorld:
    twin: ZaloTwin
    people: ZaloPeople
    db: Database
    clock: FixedClock
    units: dict[str, int]
    tasks: dict[str, int]
    nudges: NudgeService
    connector: ZaloConnector

    def invite(self, unit: str, role: str, code: str) -> str:
        now = self.clock.now()
        self.db.call(create_invite, unit_id=self.units[unit], role=role, code=code, now=now,
                     expires_at=now + timedelta(days=7))
        return code

    async def after(self, chat_id: str, action: Any, new: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Do `action` (an awaitable), then wait for `new` more bot messages in `chat_id`; return those."""
        before = len(await self.people.messages(chat_id))
        await action
        got = await self.people.wait_for(chat_id, before + new, timeout=timeout)
        return got[before:]


def seed_world(db: Database, clock: FixedClock) -> tuple[dict[str, int], dict[str, int]]:
    with db.session() as session:
        units, tasks, _ = seed_two_units_and_an_office(session, now=clock.now())
    return units, tasks


@pytest.fixture
async def zalo_world(db: Database) -> AsyncIterator[ZaloWorld]:
    clock = FixedClock(NUDGE_TIME)
    units, tasks = seed_world(db, clock)
    twin = ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False)))
    await twin.start()
    settings = Settings(database_url=db.url, zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=twin.base_url,
                        _env_file=None)  # type: ignore[call-arg]
    stop = asyncio.Event()
    async with ZaloClient(ZALO_TOKEN, settings.zalo_api_base_url) as client:
        connector = ZaloConnector(client, ChatService(build_chat_deps(settings, db, clock)))
        dispatcher = Dispatcher(db, ZaloNotifier(client), clock, worker_id="zalo-tests", limits=Limits.off(),
                                backoff=0.01)
        poller = asyncio.create_task(ZaloPoller(connector, timeout=1).run(stop))
        async with twin.people() as people:
            yield ZaloWorld(twin, people, db, clock, units, tasks, NudgeService(db, dispatcher, clock), connector)
        stop.set()
        await poller
    await twin.stop()
