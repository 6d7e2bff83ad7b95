"""kill -9 of `nhacviec run` while staff replies keep arriving: every reply stored, none applied twice.

The bot runs as a real process (long polling) against an in-process sandbox. Replies are typed without
pause while the process is killed (SIGKILL) at random moments and started again. Updates it had fetched
but not yet handled come back after the restart (the offset moves only after handling); those it had
handled come back too when the kill landed before the offset was confirmed, and the journal must
recognise them.
"""

from __future__ import annotations

import asyncio
import random
import signal
from pathlib import Path

import pytest

from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from tests.faults.staff import (
    TOKEN,
    assert_every_reply_stored_once,
    confirmations,
    drain,
    send_replies,
    spawn_bot,
    staff_with_cards,
    wait_for_line,
    wait_until_stored,
)


async def _burst_with_kills(tmp_path: Path, db: Database, *, units: int, tasks: int, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=units, tasks_per_unit=tasks)
        output: list[str] = []
        bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url)
        await wait_for_line(bot, "đang chạy", output)
        async with sandbox.client() as people:
            burst = asyncio.create_task(send_replies(people, staffed.cards, concurrency=8))
            handled_at_kills = []
            for _ in range(kills):
                await asyncio.sleep(rng.uniform(0.2, 1.2))
                bot.send_signal(signal.SIGKILL)
                await bot.wait()
                handled_at_kills.append(sandbox.stats.calls["sendMessage"])
                await asyncio.sleep(rng.uniform(0.0, 0.5))  # replies keep arriving while the bot is down
                output.clear()
                bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url)
                await wait_for_line(bot, "đang chạy", output)
            replies = await burst
            reader = drain(bot, output)
            await wait_until_stored(db, replies)
            answered = await confirmations(people, replies)
            bot.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(bot.wait(), 30) == 0
            await reader
    unconfirmed = sum(1 for r in replies if answered[r.message_id] == 0)
    print(f"\n{len(replies)} replies, {kills} kills, bot messages sent at each kill: {handled_at_kills}, "
          f"stored but unconfirmed (handled, killed before the answer went out): {unconfirmed}")
    assert_every_reply_stored_once(db, replies)
    assert handled_at_kills[0] < len(replies) + units * (1 + tasks)  # the first kill landed mid-burst


async def test_kill_9_during_a_reply_burst_loses_no_reply(tmp_path: Path, sqlite_db: Database) -> None:
    await _burst_with_kills(tmp_path, sqlite_db, units=30, tasks=5, kills=2, seed=1)


@pytest.mark.faults
@pytest.mark.parametrize("seed", range(3))
async def test_kill_9_repeatedly_during_a_long_reply_burst(tmp_path: Path, sqlite_db: Database, seed: int) -> None:
    await _burst_with_kills(tmp_path, sqlite_db, units=100, tasks=6, kills=4, seed=seed)
