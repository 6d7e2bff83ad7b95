"""The fault suite's in-process bot: the real application and the real poller of `nhacviec run`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.adapters.polling import DurablePoller
from bot.app import build_application, running
from bot.base.clock import FixedClock
from bot.sandbox import SandboxServer
from bot.settings import Settings
from storage.database import Database
from tests.faults.staff import TOKEN


@asynccontextmanager
async def bot_in_process(db: Database, sandbox: SandboxServer, clock: FixedClock,
                         **deps: object) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    settings = Settings(database_url=db.url, telegram_api_base_url=sandbox.bot_api_url,
                        _env_file=None)  # type: ignore[call-arg]
    app = build_application(settings, token=TOKEN, clock=clock, database=db)
    for name, value in deps.items():
        setattr(app.bot_data["deps"], name, value)
    stop = asyncio.Event()
    async with running(app):
        poller = asyncio.create_task(DurablePoller(app, timeout=1).run(stop))
        try:
            yield app
        finally:
            stop.set()
            await poller
