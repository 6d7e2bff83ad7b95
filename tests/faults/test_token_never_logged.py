"""The bot token never appears in the output of `nhacviec run` at DEBUG level, whatever goes wrong:
a failed start, 10% Bot API faults, malformed updates, a kill -9 and restart, a locked database."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.sandbox import FaultConfig, RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from tests.faults.staff import (
    TOKEN,
    assert_every_reply_stored_once,
    drain,
    send_replies,
    spawn_bot,
    staff_with_cards,
    wait_for_line,
    wait_until_stored,
)
from tests.faults.test_malformed import inject

SECRET = TOKEN.split(":", 1)[1]


def _assert_clean(output: str) -> None:
    assert "DEBUG" in output  # debug logging was really on
    assert TOKEN not in output and SECRET not in output
    assert SECRET[:12] not in output  # not even a prefix of it


async def test_a_failing_start_does_not_print_the_token(tmp_path: Path, sqlite_db: Database) -> None:
    """getMe answered 5xx: the bot waits and tries again (saying so), and no attempt prints the token."""
    faults = FaultConfig(error_rate=1.0, methods=frozenset({"getme"}), seed=1)
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False), faults=faults)) as sandbox:
        bot = await spawn_bot(tmp_path, sqlite_db.url, sandbox.bot_api_url, log_level="DEBUG")
        output: list[str] = []
        for _ in range(2):  # two failed attempts
            await wait_for_line(bot, "Chưa kết nối được Bot API", output)
        bot.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 0
    _assert_clean("".join(output) + out.decode(errors="replace"))


async def test_the_token_stays_out_of_debug_output_through_every_fault(tmp_path: Path, sqlite_db: Database) -> None:
    db = sqlite_db
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=10, tasks_per_unit=4)
        first, second = staffed.cards[::2], staffed.cards[1::2]
        output: list[str] = []
        bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url, log_level="DEBUG")
        await wait_for_line(bot, "đang chạy", output)
        reader = drain(bot, output)
        sandbox.configure(faults=FaultConfig(error_rate=0.04, drop_rate=0.03, lost_reply_rate=0.03, delay_rate=0.05,
                                             delay_seconds=0.3, seed=3))
        inject(sandbox, {"message": {"message_id": 1, "date": 0, "text": "xong"}})
        inject(sandbox, {"callback_query": {"id": "1"}})
        async with sandbox.client() as people:
            replies = await send_replies(people, first, concurrency=8)
            await asyncio.sleep(0.3)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            await reader
            holder = sqlite3.connect(make_url(db.url).database, isolation_level=None, timeout=30)
            holder.execute("BEGIN EXCLUSIVE")  # the database locked while the bot starts again
            bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url, log_level="DEBUG")
            reader = drain(bot, output)
            replies += await send_replies(people, second, concurrency=8)
            await asyncio.sleep(2)
            holder.execute("ROLLBACK")
            holder.close()
            await wait_until_stored(db, replies, timeout=90)
        # the restarted bot rode out the locked database (storage/migrate.DatabaseUnreachable), it did not stop
        assert bot.returncode is None, f"the bot stopped on its own: {''.join(output)[-3000:]}"
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 30) == 0
        await reader
        faults = dict(sandbox.stats.faults)
    assert sum(faults.values()) > 0
    assert_every_reply_stored_once(db, replies)
    _assert_clean("".join(output))
