"""kill -9 of the sender during a fan-out to Zalo chats, while the twin fails 7% of sendMessage calls.

The Telegram version is tests/faults/test_kill_fanout.py: the same outbox, the same dispatcher, here through the
Zalo notifier (`nhacviec nudges send-due` with ZALO_BOT_TOKEN). Every chat gets its nudge and its card, with at
most one duplicate per kill that landed mid-fan-out.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from bot.sandbox.faults import FaultConfig
from bot.sandbox.limits import RateLimits
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from storage.database import Database
from storage.models import Nudge
from tests.faults.staff import seed_units, spawn_send_due
from tests.zalo.conftest import ZALO_TOKEN

NUDGE_DAY = "2026-05-27T08:05:00+07:00"
AFTER_LEASE = "2026-05-27T08:15:00+07:00"


async def _round(tmp: Path, db: Database, *, units: int, kills: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    faults = FaultConfig(error_rate=0.04, drop_rate=0.03, methods=frozenset({"sendmessage"}), seed=seed)
    async with ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False), faults=faults)) as twin:
        users = [twin.create_user(f"Cán bộ {i}") for i in range(units)]
        seed_units(db, users, 1, platform="zalo")
        env = {"ZALO_BOT_TOKEN": ZALO_TOKEN, "ZALO_API_BASE_URL": twin.base_url, "ZALO_SEND_PER_SECOND": "30",
               "ZALO_CHAT_INTERVAL": "0"}
        landed = 0
        for kill in range(kills):
            target = (kill + 1) * 2 * units // (kills + 1) + rng.randint(-units // 4, units // 4)
            sender = await spawn_send_due(tmp, db.url, "", NUDGE_DAY if kill == 0 else AFTER_LEASE,
                                          platform_env=env)
            while twin.calls["sendMessage"] < target and sender.returncode is None:
                await asyncio.sleep(0.002)
            if sender.returncode is None:
                sender.send_signal(signal.SIGKILL)
                landed += 1
            await sender.wait()
        last = await spawn_send_due(tmp, db.url, "", "2026-05-27T09:00:00+07:00", platform_env=env)
        _, errors = await last.communicate()
        assert last.returncode == 0, errors.decode()[-2000:]
        texts: Counter[tuple[str, str]] = Counter(
            (user, m.text.split("\n")[0][:30]) for user in users for m in twin.bot_messages(user))
    states = db.call(lambda session: Counter(n.state for n in session.exec(select(Nudge))))
    assert len(texts) == 2 * units, f"lost: {2 * units - len(texts)}"  # each chat: a nudge and a card
    assert states == {"sent": 2 * units}, states
    duplicates = sum(texts.values()) - 2 * units
    assert duplicates <= landed, (duplicates, landed)
    return duplicates, landed


async def test_three_kills_in_one_zalo_fan_out_through_a_flaky_api(tmp_path: Path, sqlite_db: Database) -> None:
    duplicates, landed = await _round(tmp_path, sqlite_db, units=40, kills=3, seed=11)
    print(f"\nduplicates {duplicates}, kills mid-fan-out {landed}")
    assert landed >= 1


@pytest.mark.faults
@pytest.mark.parametrize("seed", range(2))
async def test_kills_in_a_zalo_fan_out_on_both_engines(tmp_path: Path, db: Database, seed: int) -> None:
    duplicates, landed = await _round(tmp_path, db, units=120, kills=3, seed=seed)
    print(f"\nduplicates {duplicates}, kills mid-fan-out {landed}")
    assert landed >= 1
