"""Fan-out of nudges to many chats through the sandbox with Telegram's limits on (30/s overall).

Three senders, same sandbox limits, each to its own fresh chats (one message per chat):
- the outbox dispatcher (claim -> send -> mark in SQLite, paced by scheduler.pacer, 429s honoured);
- a plain concurrent send loop (no pacing, no retries): what is refused is lost;
- python-telegram-bot's AIORateLimiter (max_retries=3), for comparison (it has an early-release bug under 429,
  PTB issue #5338).
Then the command a user runs: `nhacviec nudges send-due` as one process, and as two processes on one database and
one token at once (they share the bot's budget through the database, scheduler.pacer.SharedPacer: together they
must stay at 30/s, not 60/s).
Figures: messages/s against the 30/s limit, 429s answered, lost and duplicated messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import telegram
from telegram.request import HTTPXRequest

from bench.bench_summary import PostgresDatabase
from bench.result import Result
from bot.adapters.telegram_notifier import TelegramNotifier
from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from storage import outbox
from storage.database import Database
from storage.members import bind_chat
from storage.migrate import upgrade
from storage.units import add_unit

TOKEN = "123456789:AAHbenchFanoutToken0123456789abcdef"
LIMIT = 30.0
NOW = datetime(2026, 6, 2, 9, 0, tzinfo=VN_TZ)


@dataclass
class Outcome:
    name: str
    seconds: float
    delivered: int
    duplicated: int
    lost: int
    requests: int
    rate_limited: int
    pace: float | None = None  # messages/s between the first and the last delivery (start-up left out)

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0

    @property
    def share_429(self) -> float:
        return self.rate_limited / self.requests if self.requests else 0.0


async def _chats(sandbox: SandboxServer, count: int) -> list[int]:
    ids = []
    for i in range(count):
        user = sandbox.world.add_user(f"Cán bộ {i}")
        sandbox.world.private_chat(user.id)
        ids.append(user.id)
    return ids


def _measure(sandbox: SandboxServer, name: str, chats: list[int], seconds: float) -> Outcome:
    per_chat = Counter({c: sum(1 for m in sandbox.world.chats[c].messages.values() if m.from_bot) for c in chats})
    stats = sandbox.stats
    return Outcome(name, seconds, delivered=sum(1 for c in chats if per_chat[c] >= 1),
                   duplicated=sum(n - 1 for n in per_chat.values() if n > 1),
                   lost=sum(1 for c in chats if per_chat[c] == 0), requests=stats.calls["sendMessage"],
                   rate_limited=stats.rate_limited["sendMessage"], pace=stats.ok_rate("sendMessage"))


async def _outbox(sandbox: SandboxServer, chats: list[int], folder: Path) -> Outcome:
    db = Database(f"sqlite:///{folder / 'fanout.db'}")
    upgrade(db)
    _seed_outbox(db, chats)
    sandbox.stats.reset()
    request = HTTPXRequest(connection_pool_size=16)
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url, request=request) as bot:
        dispatcher = Dispatcher(db, TelegramNotifier(bot), FixedClock(NOW), limits=Limits(per_second=LIMIT),
                                concurrency=8)
        start = time.perf_counter()
        await dispatcher.dispatch_due()
        seconds = time.perf_counter() - start
    db.dispose()
    return _measure(sandbox, "outbox dispatcher", chats, seconds)


def _seed_outbox(db: Database, chats: list[int]) -> None:
    def seed(*, session):  # type: ignore[no-untyped-def]
        unit = add_unit(session=session, name="Các xã", now=NOW)
        for chat in chats:
            bind_chat(session=session, platform="telegram", chat_id=str(chat), chat_type="private", unit_id=unit.id,
                      role="staff", now=NOW)
        outbox.add_rows(session=session, now=NOW, rows=[outbox.PlannedRow(
            key=f"bench:{chat}", kind="manual", chat_id=str(chat), due_at=NOW - timedelta(minutes=1),
            payload={"render": "text", "text": "Nhắc báo cáo kỳ Quý II/2026", "planned_at": NOW.isoformat()})
            for chat in chats])
    db.call(seed)


async def _send_due(sandbox: SandboxServer, chats: list[int], folder: Path, processes: int) -> Outcome:
    """`nhacviec nudges send-due --rate 30` as `processes` processes at once on one PostgreSQL database (where
    several senders are deployed; on SQLite every transaction takes the file's one write lock) and one token."""
    with PostgresDatabase() as db:
        _seed_outbox(db, chats)
        return await _spawn_send_due(sandbox, chats, folder, processes, db.url)


async def _spawn_send_due(sandbox: SandboxServer, chats: list[int], folder: Path, processes: int,
                          url: str) -> Outcome:
    sandbox.stats.reset()
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_API_BASE_URL": sandbox.bot_api_url, "LOG_LEVEL": "WARNING",
           "PYTHONPATH": os.pathsep.join(filter(None, (str(root), os.environ.get("PYTHONPATH"))))}
    start = time.perf_counter()
    children = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "nudges", "send-due", "--now", NOW.isoformat(), "--rate", str(LIMIT),
        cwd=folder, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        for _ in range(processes)]
    for child in children:
        _, err = await child.communicate()
        if child.returncode:
            raise RuntimeError(f"send-due failed: {err.decode()[-500:]}")
    seconds = time.perf_counter() - start
    label = "nudges send-due, 1 process" if processes == 1 else f"nudges send-due, {processes} processes"
    return _measure(sandbox, label, chats, seconds)


async def _plain(sandbox: SandboxServer, chats: list[int]) -> Outcome:
    sandbox.stats.reset()
    request = HTTPXRequest(connection_pool_size=32)
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url, request=request) as bot:
        gate = asyncio.Semaphore(32)

        async def send(chat: int) -> None:
            async with gate:
                with contextlib.suppress(telegram.error.TelegramError):  # no retry: the message is lost
                    await bot.send_message(chat, "Nhắc báo cáo kỳ Quý II/2026")

        start = time.perf_counter()
        await asyncio.gather(*(send(c) for c in chats))
        seconds = time.perf_counter() - start
    return _measure(sandbox, "plain send loop", chats, seconds)


async def _ptb_limiter(sandbox: SandboxServer, chats: list[int]) -> Outcome:
    from telegram.ext import AIORateLimiter, ExtBot

    sandbox.stats.reset()
    request = HTTPXRequest(connection_pool_size=32)
    bot: ExtBot[Any] = ExtBot(TOKEN, base_url=sandbox.bot_api_url, request=request,
                              rate_limiter=AIORateLimiter(max_retries=3))
    async with bot:
        async def send(chat: int) -> None:
            with contextlib.suppress(telegram.error.TelegramError):  # retries exhausted: lost
                await bot.send_message(chat, "Nhắc báo cáo kỳ Quý II/2026")

        start = time.perf_counter()
        await asyncio.gather(*(send(c) for c in chats))
        seconds = time.perf_counter() - start
    return _measure(sandbox, "PTB AIORateLimiter", chats, seconds)


async def measure(count: int) -> list[Outcome]:
    config = SandboxConfig(token=TOKEN, limits=RateLimits())  # Telegram's limits on
    async with SandboxServer(config) as sandbox:
        outcomes = []
        with tempfile.TemporaryDirectory() as folder:
            outcomes.append(await _outbox(sandbox, await _chats(sandbox, count), Path(folder)))
        await asyncio.sleep(1.5)  # let the server's buckets refill between senders
        outcomes.append(await _plain(sandbox, await _chats(sandbox, count)))
        await asyncio.sleep(1.5)
        outcomes.append(await _ptb_limiter(sandbox, await _chats(sandbox, count)))
        with tempfile.TemporaryDirectory() as folder:
            for processes in (1, 2):
                await asyncio.sleep(1.5)
                outcomes.append(await _send_due(sandbox, await _chats(sandbox, count), Path(folder), processes))
    return outcomes


def run(quick: bool) -> list[Result]:
    count = 300 if quick else 2000
    results = []
    for o in asyncio.run(measure(count)):
        ours = o.name == "outbox dispatcher" or o.name.startswith("nudges send-due")
        command = o.name.startswith("nudges send-due")
        # a command's pace is judged from its first delivery to its last; its start-up is shown beside it
        rate = o.pace if command and o.pace is not None else o.rate
        results += [
            Result("fanout", f"{o.name}: {count} chats, {'sending pace' if command else 'rate'} vs 30/s",
                   round(rate / LIMIT * 100, 1), "%", ">= 95%" if ours else "",
                   (rate / LIMIT >= 0.95) if ours else None),
            Result("fanout", f"{o.name}: requests answered 429", round(o.share_429 * 100, 2), "%",
                   "<= 1%" if ours else "", (o.share_429 <= 0.01) if ours else None),
            Result("fanout", f"{o.name}: lost", o.lost, "msgs", "0" if ours else "", (o.lost == 0) if ours else None),
            Result("fanout", f"{o.name}: duplicated", o.duplicated, "msgs", "0" if ours else "",
                   (o.duplicated == 0) if ours else None),
        ]
        if command:
            results.append(Result("fanout", f"{o.name}: end to end incl. start-up, vs 30/s",
                                  round(o.rate / LIMIT * 100, 1), "%", "", None))
        pace = f", pace {o.pace:.2f} msg/s" if o.pace is not None else ""
        print(f"  [{o.name}] {o.delivered}/{count} delivered in {o.seconds:.1f} s = {o.rate:.2f} msg/s{pace}, "
              f"{o.requests} requests, {o.rate_limited} answered 429", flush=True)
    return results
