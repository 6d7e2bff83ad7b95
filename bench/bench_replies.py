"""A burst of staff replies to task cards: `nhacviec run` (a real process, SQLite) against the sandbox, limits off.

Many staff (one unit each, in private chats) each answer their task cards at once. Figures: replies/s (from
the first reply typed to the last confirmation), the 95th percentile and median time from a reply to the
bot's confirmation of it, and how many replies were lost or applied twice (both must be 0).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.result import Result
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.migrate import upgrade

TASKS_PER_UNIT = 5  # within the flood guard's burst (12 actions per person)


@dataclass
class BurstFigures:
    replies: int
    stored: int
    applied_twice: int
    confirmed: int
    replies_per_second: float
    p50_seconds: float
    p95_seconds: float


def _confirmation_clock(sandbox: SandboxServer) -> dict[tuple[int, int], float]:
    """(chat id, replied message id) -> when the bot's answer to it reached the sandbox (first answer only)."""
    seen: dict[tuple[int, int], float] = {}
    call = sandbox.api.call

    async def timed(name: str, params: Any) -> Any:
        result = await call(name, params)
        if name.lower() == "sendmessage" and isinstance(result, dict) and "reply_to_message" in result:
            key = (result["chat"]["id"], result["reply_to_message"]["message_id"])
            seen.setdefault(key, time.monotonic())
        return result

    sandbox.api.call = timed  # type: ignore[method-assign]
    return seen


async def burst(workdir: Path, *, units: int, tasks_per_unit: int = TASKS_PER_UNIT,
                concurrency: int = 64) -> BurstFigures:
    """Seed, deliver the cards, start the bot, send every reply at once; wait until all are stored."""
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

    db = Database(f"sqlite:///{workdir / 'burst.db'}")
    upgrade(db)
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=units, tasks_per_unit=tasks_per_unit)
        confirmed_at = _confirmation_clock(sandbox)
        output: list[str] = []
        bot = await spawn_bot(workdir, db.url, sandbox.bot_api_url)
        reader = None
        try:
            await wait_for_line(bot, "đang chạy", output)
            reader = drain(bot, output)
            async with sandbox.client() as people:
                started = time.monotonic()
                replies = await send_replies(people, staffed.cards, concurrency=concurrency)
                await wait_until_stored(db, replies, timeout=600)
                deadline = time.monotonic() + 60
                while len(confirmed_at) < len(replies) and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
        finally:
            bot.terminate()
            await bot.wait()
            if reader is not None:
                await reader
    latencies = sorted(confirmed_at[(r.card.user_id, r.message_id)] - r.sent_at for r in replies
                       if (r.card.user_id, r.message_id) in confirmed_at)
    stored, twice = _stored(db, replies)
    try:
        assert_every_reply_stored_once(db, replies)
    except AssertionError as exc:
        print(f"  burst: {exc}")
    db.dispose()
    last = max(confirmed_at.values(), default=started)
    return BurstFigures(
        replies=len(replies), stored=stored, applied_twice=twice, confirmed=len(latencies),
        replies_per_second=len(replies) / max(1e-9, last - started),
        p50_seconds=statistics.median(latencies) if latencies else float("nan"),
        p95_seconds=latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
    )


def _stored(db: Database, replies: list[Any]) -> tuple[int, int]:
    from sqlmodel import select

    from storage.models import StatusReport

    reports = db.call(lambda session: session.exec(select(StatusReport.chat_id, StatusReport.message_id).where(
        StatusReport.source == "reply")).all())
    applied = Counter((c, m) for c, m in reports)
    keys = [(str(r.card.user_id), str(r.message_id)) for r in replies]
    return sum(1 for k in keys if applied[k] >= 1), sum(1 for k in keys if applied[k] > 1)


def run(quick: bool) -> list[Result]:
    units = 100 if quick else 1000  # x5 tasks: 500 or 5,000 replies
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(burst(Path(tmp), units=units))
    name = "replies"
    n = figures.replies
    return [
        Result(name, f"burst of {n:,} replies: stored", figures.stored, "replies", f"= {n:,}", figures.stored == n),
        Result(name, "applied twice", figures.applied_twice, "", "0", figures.applied_twice == 0),
        Result(name, "confirmed", figures.confirmed, "replies", f"= {n:,}", figures.confirmed == n),
        Result(name, "throughput (first reply -> last confirmation)", round(figures.replies_per_second, 1),
               "replies/s", "-"),
        Result(name, "time to confirmation, median", round(figures.p50_seconds * 1000), "ms", "-"),
        Result(name, "time to confirmation, p95", round(figures.p95_seconds * 1000), "ms", "-"),
    ]
