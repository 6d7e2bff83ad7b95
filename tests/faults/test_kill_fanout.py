"""kill -9 of the sender several times in one fan-out, while the Bot API fails 7% of requests (5xx, dropped).

Extends tests/scheduler/test_crash.py (one kill per round, a healthy API): here each round kills
`nhacviec nudges send-due` three times at random moments and the sandbox answers some requests with a
5xx or closes the connection before acting. Sending one message at a time, a kill leaves at most one
message in flight: every chat gets its nudge and its card, with at most one duplicate per kill.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from bot.sandbox import FaultConfig, RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.models import Nudge
from tests.faults.staff import TOKEN, first_lines_from_bot, seed_units, spawn_send_due

NUDGE_DAY = "2026-05-27T08:05:00+07:00"
AFTER_LEASE = "2026-05-27T08:15:00+07:00"
FAULTS = FaultConfig(error_rate=0.04, drop_rate=0.03, methods=frozenset({"sendmessage"}))


async def _round(tmp: Path, db: Database, *, units: int, kills: int, seed: int) -> tuple[int, int]:
    """Returns (duplicates, kills that landed mid-fan-out)."""
    rng = random.Random(seed)
    config = SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False),
                           faults=FaultConfig(**{**FAULTS.__dict__, "seed": seed}))
    async with SandboxServer(config) as sandbox:
        async with sandbox.client() as people:
            users = [(await people.create_user(f"Cán bộ {i}")).id for i in range(units)]
            for user in users:
                await people.private_chat(user)
        seed_units(db, users, 1)
        landed = 0
        for kill in range(kills):
            target = (kill + 1) * 2 * units // (kills + 1) + rng.randint(-units // 4, units // 4)
            sender = await spawn_send_due(tmp, db.url, sandbox.bot_api_url, NUDGE_DAY if kill == 0 else AFTER_LEASE)
            while sandbox.stats.calls["sendMessage"] < target and sender.returncode is None:
                await asyncio.sleep(0.002)
            if sender.returncode is None:
                sender.send_signal(signal.SIGKILL)
                landed += 1
            await sender.wait()
        last = await spawn_send_due(tmp, db.url, sandbox.bot_api_url, "2026-05-27T09:00:00+07:00")
        _, errors = await last.communicate()
        assert last.returncode == 0, errors.decode()[-2000:]
        texts = first_lines_from_bot(sandbox, users)
    states = db.call(lambda session: Counter(n.state for n in session.exec(select(Nudge))))
    assert len(texts) == 2 * units, f"lost: {2 * units - len(texts)}"  # each chat: a nudge and a card
    assert states == {"sent": 2 * units}, states
    duplicates = sum(texts.values()) - 2 * units
    assert duplicates <= landed, (duplicates, landed)
    return duplicates, landed


async def test_three_kills_in_one_fan_out_through_a_flaky_api(tmp_path: Path, sqlite_db: Database) -> None:
    duplicates, landed = await _round(tmp_path, sqlite_db, units=60, kills=3, seed=11)
    print(f"\nduplicates {duplicates}, kills mid-fan-out {landed}")
    assert landed >= 1


@pytest.mark.faults
@pytest.mark.parametrize("seed", range(3))
async def test_kills_in_a_fan_out_to_hundreds_of_chats_through_a_flaky_api(tmp_path: Path, db: Database,
                                                                           seed: int) -> None:
    duplicates, landed = await _round(tmp_path, db, units=200, kills=3, seed=seed)
    print(f"\nduplicates {duplicates}, kills mid-fan-out {landed}")
    assert landed >= 1
