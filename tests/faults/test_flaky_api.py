"""The Bot API answering 10% of requests with a 5xx, a dropped connection or a lost answer, some slowly,
while staff reply and the scheduler sends nudges: every reply stored once and confirmed, every nudge sent."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
import telegram
from sqlmodel import select
from telegram.request import HTTPXRequest

from bot.sandbox import FaultConfig, RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.models import Nudge
from tests.faults.conftest import bot_in_process
from tests.faults.staff import (
    TOKEN,
    assert_every_reply_stored_once,
    confirmations,
    nudge_service,
    seed_units,
    send_replies,
    staff_with_cards,
    wait_until_stored,
)

FLAKY = FaultConfig(error_rate=0.04, drop_rate=0.03, lost_reply_rate=0.03, delay_rate=0.05, delay_seconds=0.3)


async def _flaky_run(db: Database, *, repliers: int, silent: int, tasks: int, seed: int) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=repliers, tasks_per_unit=tasks)
        async with sandbox.client() as people:
            quiet = [(await people.create_user(f"Xã im lặng {i}")).id for i in range(silent)]
            for user in quiet:
                await people.private_chat(user)
        # more units, not nudged yet: the scheduler sends to them under faults
        seed_units(db, quiet, tasks, prefix="Phường im lặng")
        async with bot_in_process(db, sandbox, staffed.clock), sandbox.client() as people, telegram.Bot(
                TOKEN, base_url=sandbox.bot_api_url, request=HTTPXRequest(connection_pool_size=32)) as bot:
            sandbox.configure(faults=FaultConfig(**{**FLAKY.__dict__, "seed": seed}))
            service = nudge_service(db, bot, staffed.clock)
            replies, tick = await asyncio.gather(send_replies(people, staffed.cards, concurrency=16),
                                                 service.tick())
            await wait_until_stored(db, replies, timeout=60)
            for _ in range(3):  # a row whose round of sends all failed waits for a later round (2, 4 ... min)
                waiting = db.call(lambda session: session.exec(select(Nudge).where(Nudge.state == "pending")).all())
                if not waiting:
                    break
                staffed.clock.set(max(n.due_at for n in waiting))
                await service.tick()
            answered = await confirmations(people, replies)
            faults = dict(sandbox.stats.faults)
            sandbox.configure(faults=FaultConfig())
            received = Counter()
            for user in quiet:
                for message in await people.messages(user, sender="bot"):
                    received[(user, (message.text or "").split("\n")[0][:40])] += 1
    print(f"\nfaults injected: {faults}; first dispatch: {tick.dispatch.to_json()}")
    assert sum(faults.values()) > 0
    assert_every_reply_stored_once(db, replies)
    assert all(answered[r.message_id] >= 1 for r in replies), "a stored reply was never confirmed"
    rows = db.call(lambda session: session.exec(select(Nudge)).all())
    states = Counter(n.state for n in rows)
    assert states == {"sent": (repliers + silent) * (1 + tasks)}, (
        states, [(n.key, n.state, n.last_error) for n in rows if n.state != "sent"][:5])
    assert len(received) == silent * (1 + tasks)  # each silent unit: its nudge and every card, at least once


async def test_ten_percent_api_faults_lose_nothing(sqlite_db: Database) -> None:
    await _flaky_run(sqlite_db, repliers=20, silent=10, tasks=4, seed=7)


@pytest.mark.faults
@pytest.mark.parametrize("seed", range(1))
async def test_ten_percent_api_faults_lose_nothing_at_scale(db: Database, seed: int) -> None:
    await _flaky_run(db, repliers=100, silent=50, tasks=5, seed=seed)
