"""The database unavailable for a few seconds while replies arrive: the bot recovers by itself, nothing lost.

PostgreSQL: every connection of the bot's database terminated, and new ones refused, for a few seconds.
SQLite: another process holds the file under an exclusive lock for a few seconds.
Replies typed meanwhile wait (their step is tried again with backoff) and are stored once the database is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import telegram
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select
from telegram.request import HTTPXRequest

from bot.base.clock import FixedClock
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.models import Nudge
from tests.conftest import PG_ADMIN_URL
from tests.faults.conftest import bot_in_process
from tests.faults.staff import (
    NUDGE_TIME,
    TOKEN,
    assert_every_reply_stored_once,
    confirmations,
    first_lines_from_bot,
    nudge_service,
    seed_units,
    send_replies,
    staff_with_cards,
    wait_until_stored,
)

OUTAGE_SECONDS = 3.0


@asynccontextmanager
async def outage(db: Database) -> AsyncIterator[None]:
    """The database is unusable inside the block (and for OUTAGE_SECONDS at least)."""
    started = time.monotonic()
    if db.dialect == "sqlite":
        holder = sqlite3.connect(make_url(db.url).database, isolation_level=None, timeout=30)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
            await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - started)))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    name = make_url(db.url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    try:
        yield
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - started)))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


async def test_replies_during_a_database_outage_are_stored_once_it_is_back(db: Database) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=12, tasks_per_unit=3)
        during, after = staffed.cards[:24], staffed.cards[24:]
        async with bot_in_process(db, sandbox, staffed.clock), sandbox.client() as people:
            async with outage(db):
                replies = await send_replies(people, during, concurrency=12)
            replies += await send_replies(people, after, concurrency=12)  # the bot goes on by itself
            await wait_until_stored(db, replies, timeout=60)
            answered = await confirmations(people, replies)
    assert_every_reply_stored_once(db, replies)
    assert all(answered[r.message_id] >= 1 for r in replies)


async def test_a_fan_out_through_a_database_outage_sends_every_nudge_once(db: Database) -> None:
    """The scheduler keeps its promise through an outage: what it sent is marked sent once the database is
    back (not re-sent after the lease as if lost), what it could not claim goes out on a later run."""
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        async with sandbox.client() as people:
            users = [(await people.create_user(f"Cán bộ {i}")).id for i in range(80)]
            for user in users:
                await people.private_chat(user)
        seed_units(db, users, 1)
        clock = FixedClock(NUDGE_TIME)
        async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url,
                                request=HTTPXRequest(connection_pool_size=16)) as bot:
            service = nudge_service(db, bot, clock)
            fan_out = asyncio.create_task(service.tick())
            while sandbox.stats.calls["sendMessage"] < 40 and not fan_out.done():
                await asyncio.sleep(0.001)
            async with outage(db):
                pass
            with contextlib.suppress(Exception):  # the run that met the outage may give up; the jobs run again
                await fan_out
            for minutes in (1, 5, 10):  # later runs of the job, the last one after the claims' lease
                clock.set(NUDGE_TIME + timedelta(minutes=minutes))
                with contextlib.suppress(Exception):
                    await service.tick()
        received = first_lines_from_bot(sandbox, users)
    states = db.call(lambda session: Counter(n.state for n in session.exec(select(Nudge))))
    assert len(received) == 2 * len(users)  # each chat: its nudge and its card
    assert states == {"sent": 2 * len(users)}, states
    assert sum(received.values()) == 2 * len(users), "sent twice: " + str([k for k, n in received.items() if n > 1])
