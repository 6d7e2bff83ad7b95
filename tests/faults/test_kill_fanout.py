"""kill -9 of the sender several times in one fan-out, while the platform's API fails 7% of sendMessage calls.

Extends tests/scheduler/test_crash.py (one kill per round, a healthy API): here each round kills
`nhacviec nudges send-due` three times at random moments and the API (the Telegram sandbox, or the Zalo twin
with ZALO_BOT_TOKEN: the same outbox and dispatcher through the Zalo notifier) answers some requests with a
5xx or closes the connection before acting. Sending one message at a time, a kill leaves at most one message
in flight: every chat gets its nudge and its card, with at most one duplicate per kill.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.sandbox import FaultConfig, RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from storage.database import Database
from storage.models import Nudge
from tests.faults.staff import TOKEN, first_lines_from_bot, seed_units, spawn_send_due
from tests.zalo.conftest import ZALO_TOKEN

NUDGE_DAY = "2026-05-27T08:05:00+07:00"
AFTER_LEASE = "2026-05-27T08:15:00+07:00"


@dataclass
class Api:
    """One platform's API under faults, its private chats bound to seeded units."""

    users: list[Any]
    sent: Callable[[], int]  # sendMessage calls so far
    received: Callable[[], Counter[tuple[Any, str]]]  # (chat, first line) -> how many times the bot sent it
    spawn: Callable[[Path, str, str], Any]  # (workdir, database url, --now) -> the sender process


def _faults(seed: int) -> FaultConfig:
    return FaultConfig(error_rate=0.04, drop_rate=0.03, methods=frozenset({"sendmessage"}), seed=seed)


@asynccontextmanager
async def telegram_api(db: Database, units: int, seed: int) -> AsyncIterator[Api]:
    config = SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False), faults=_faults(seed))
    async with SandboxServer(config) as sandbox:
        async with sandbox.client() as people:
            users = [(await people.create_user(f"Cán bộ {i}")).id for i in range(units)]
            for user in users:
                await people.private_chat(user)
        seed_units(db, users, 1)
        yield Api(
            users,
            lambda: sandbox.stats.calls["sendMessage"],
            lambda: first_lines_from_bot(sandbox, users),
            lambda tmp, url, now: spawn_send_due(tmp, url, sandbox.bot_api_url, now),
        )


@asynccontextmanager
async def zalo_api(db: Database, units: int, seed: int) -> AsyncIterator[Api]:
    async with ZaloTwin(
        ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False), faults=_faults(seed))
    ) as twin:
        users = [twin.create_user(f"Cán bộ {i}") for i in range(units)]
        seed_units(db, users, 1, platform="zalo")
        env = {
            "ZALO_BOT_TOKEN": ZALO_TOKEN,
            "ZALO_API_BASE_URL": twin.base_url,
            "ZALO_SEND_PER_SECOND": "30",
            "ZALO_CHAT_INTERVAL": "0",
        }

        def received() -> Counter[tuple[Any, str]]:
            return Counter((user, m.text.split("\n")[0][:30]) for user in users for m in twin.bot_messages(user))

        yield Api(
            users,
            lambda: twin.calls["sendMessage"],
            received,
            lambda tmp, url, now: spawn_send_due(tmp, url, "", now, platform_env=env),
        )


PLATFORMS = {"telegram": telegram_api, "zalo": zalo_api}


async def _round(tmp: Path, db: Database, platform: str, *, units: int, kills: int, seed: int) -> tuple[int, int]:
    """Returns (duplicates, kills that landed mid-fan-out)."""
    rng = random.Random(seed)
    async with PLATFORMS[platform](db, units, seed) as api:
        landed = 0
        for kill in range(kills):
            target = (kill + 1) * 2 * units // (kills + 1) + rng.randint(-units // 4, units // 4)
            sender = await api.spawn(tmp, db.url, NUDGE_DAY if kill == 0 else AFTER_LEASE)
            while api.sent() < target and sender.returncode is None:
                await asyncio.sleep(0.002)
            if sender.returncode is None:
                sender.send_signal(signal.SIGKILL)
                landed += 1
            await sender.wait()
        last = await api.spawn(tmp, db.url, "2026-05-27T09:00:00+07:00")
        _, errors = await last.communicate()
        assert last.returncode == 0, errors.decode()[-2000:]
        texts = api.received()
    states = db.call(lambda session: Counter(n.state for n in session.exec(select(Nudge))))
    assert len(texts) == 2 * units, f"lost: {2 * units - len(texts)}"  # each chat: a nudge and a card
    assert states == {"sent": 2 * units}, states
    duplicates = sum(texts.values()) - 2 * units
    assert duplicates <= landed, (duplicates, landed)
    return duplicates, landed


@pytest.mark.parametrize("platform,units", [("telegram", 60), ("zalo", 40)])
async def test_three_kills_in_one_fan_out_through_a_flaky_api(
    tmp_path: Path, sqlite_db: Database, platform: str, units: int
) -> None:
    duplicates, landed = await _round(tmp_path, sqlite_db, platform, units=units, kills=3, seed=11)
    print(f"\n{platform}: duplicates {duplicates}, kills mid-fan-out {landed}")
    assert landed >= 1


@pytest.mark.faults
@pytest.mark.parametrize(
    "platform,units,seed", [*(("telegram", 200, s) for s in range(3)), *(("zalo", 120, s) for s in range(2))]
)
async def test_kills_in_a_fan_out_to_hundreds_of_chats_through_a_flaky_api(
    tmp_path: Path, db: Database, platform: str, units: int, seed: int
) -> None:
    duplicates, landed = await _round(tmp_path, db, platform, units=units, kills=3, seed=seed)
    print(f"\n{platform}: duplicates {duplicates}, kills mid-fan-out {landed}")
    assert landed >= 1
