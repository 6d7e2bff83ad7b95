"""kill -9 a sending process at random moments of a fan-out, restart it, and count what every chat got.

The sender is the real CLI (`nhacviec nudges send-due`) in a subprocess, against an in-process sandbox.
Sending one message at a time (--concurrency 1), a kill may leave at most one message in flight: after
the restart, every chat must hold its nudge and its task card, with at most one duplicate per kill.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from bot.base.clock import VN_TZ
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.members import bind_chat
from storage.models import Nudge
from tests.factories import make_plan, make_task, make_units
from tests.faults.staff import first_lines_from_bot, spawn_send_due
from tests.scheduler.conftest import TOKEN

UNITS = 120
ROUNDS = 10
NUDGE_DAY = "2026-05-27T08:05:00+07:00"  # 7 working days before the Q2 cutoff (5/6)
AFTER_LEASE = "2026-05-27T08:15:00+07:00"


def _seed(db: Database, user_ids: list[int]) -> None:
    from datetime import datetime

    now = datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ)

    def seed(*, session):  # type: ignore[no-untyped-def]
        units = make_units(session, *(f"Xã số {i}" for i in range(len(user_ids))), now=now)
        plan = make_plan(session, now=now)
        for i, (unit, user_id) in enumerate(zip(units, user_ids, strict=True)):
            make_task(session, plan, code=str(i + 1), title=f"Nhiệm vụ của xã {i}", lead=unit, now=now)
            bind_chat(session=session, platform="telegram", chat_id=str(user_id), chat_type="private",
                      unit_id=unit.id, role="staff", now=now)
    db.call(seed)


async def _one_round(tmp: Path, template: Path, rng: random.Random) -> tuple[int, int, int]:
    """Returns (messages expected, duplicates, messages sent before the kill)."""
    path = tmp / "crash.db"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    config = SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))
    async with SandboxServer(config) as sandbox:
        async with sandbox.client() as people:
            users = [(await people.create_user(f"Cán bộ {i}")).id for i in range(UNITS)]
            for user in users:
                await people.private_chat(user)
        _seed(db, users)
        kill_after = rng.randint(1, 2 * UNITS - 1)
        first = await spawn_send_due(tmp, db.url, sandbox.bot_api_url, NUDGE_DAY, token=TOKEN)
        while sandbox.stats.calls["sendMessage"] < kill_after and first.returncode is None:
            await asyncio.sleep(0.002)
        sent_before_kill = sandbox.stats.calls["sendMessage"]
        if first.returncode is None:
            first.send_signal(signal.SIGKILL)
        await first.wait()
        second = await spawn_send_due(tmp, db.url, sandbox.bot_api_url, AFTER_LEASE, token=TOKEN)
        _, errors = await second.communicate()
        assert second.returncode == 0, errors.decode()[-2000:]
        texts = first_lines_from_bot(sandbox, users)
    states = db.call(lambda session: Counter(n.state for n in session.exec(select(Nudge))))
    db.dispose()
    path.unlink()
    expected = 2 * UNITS
    assert len(texts) == expected, f"lost: {expected - len(texts)} of {expected}"  # each chat: a nudge and a card
    assert states == {"sent": expected}
    return expected, sum(texts.values()) - expected, sent_before_kill


@pytest.mark.slow
async def test_kill_9_during_fan_out_loses_nothing_and_duplicates_at_most_one_per_kill(
        tmp_path: Path, sqlite_template: Path) -> None:
    rng = random.Random(20260527)
    results = [await _one_round(tmp_path, sqlite_template, rng) for _ in range(ROUNDS)]
    print("\n(expected, duplicates, sent before kill) per round:", results)
    assert all(duplicates <= 1 for _, duplicates, _ in results)
    assert any(0 < before < expected for expected, _, before in results)  # kills landed mid-fan-out
