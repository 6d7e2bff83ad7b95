"""Staff replies at the cutoff rush: `nhacviec run` (a real process, SQLite) against the sandbox with Telegram's
limits ON (30 messages/s overall, 1/s per chat, bursts of 3).

Two loads, each in a fresh world (one unit per staff member, private chats, task cards delivered first):
- sustained: replies typed at a steady 20/s, spread over many people;
- burst: every reply typed at once (5,000 in the full run: 1,000 staff x 5 cards).

Figures, each the median of the runs with its min and max: time from a reply typed (the sandbox accepted it)
to stored (its journal entry's `received_at`, written in the transaction that records the report) and to the
bot's answer reaching the sandbox; for the burst, the time until every reply was stored, and the answers' pace
(first to last answer) against the 30/s limit. Lost and applied twice are summed over every run (both 0).
The load starts SETTLE_SECONDS after the bot said it is running.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.result import Result
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.migrate import upgrade

TASKS_PER_UNIT = 5  # within the flood guard's burst (12 actions per person)
LIMIT_PER_SECOND = 30.0  # Telegram's overall limit, as the sandbox enforces it
SUSTAINED_RATE = 20.0
# the load starts a few seconds after the bot is up: its start-up round (planning the next days, the first
# dispatch, first queries compiled) is over, as it is for a bot that has been running when the rush comes
SETTLE_SECONDS = 5.0


@dataclass
class RunFigures:
    replies: int
    lost: int
    applied_twice: int
    confirmed: int
    stored_p50: float
    stored_p95: float
    all_stored: float  # first reply typed -> last reply stored
    confirmed_p50: float
    confirmed_p95: float
    answer_pace: float  # answers/s, first answer -> last answer
    refused: int = 0  # sendMessage answered 429 by the sandbox (the pacing overran Telegram's limits)


def _confirmation_clock(sandbox: SandboxServer) -> dict[tuple[int, int], float]:
    """(chat id, replied message id) -> when the bot's answer to it reached the sandbox (first answer only)."""
    seen: dict[tuple[int, int], float] = {}
    call = sandbox.api.call

    async def timed(name: str, params: Any) -> Any:
        result = await call(name, params)
        if name.lower() == "sendmessage" and isinstance(result, dict) and "reply_to_message" in result:
            key = (result["chat"]["id"], result["reply_to_message"]["message_id"])
            seen.setdefault(key, time.time())
        return result

    sandbox.api.call = timed  # type: ignore[method-assign]
    return seen


async def _at_rate(people: Any, cards: list[Any], rate: float) -> list[Any]:
    """One reply every 1/`rate` s, people taking turns (one person's replies in order, seconds apart)."""
    from tests.faults.staff import REPLIES, Reply

    by_user: dict[int, list[Any]] = {}
    for card in cards:
        by_user.setdefault(card.user_id, []).append(card)
    rounds = max(len(c) for c in by_user.values())
    ordered = [c[i] for i in range(rounds) for c in by_user.values() if i < len(c)]
    replies = [Reply(card, REPLIES[i % len(REPLIES)]) for i, card in enumerate(ordered)]
    start = time.monotonic()

    async def one(i: int, reply: Any) -> None:
        await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        message = await people.reply(reply.card.user_id, reply.card.user_id, reply.card.message_id, reply.text)
        reply.message_id, reply.sent_at = message.message_id, time.time()

    await asyncio.gather(*(one(i, r) for i, r in enumerate(replies)))
    return replies


async def _all_at_once(people: Any, cards: list[Any]) -> list[Any]:
    from tests.faults.staff import send_replies

    replies = await send_replies(people, cards, concurrency=64)
    offset = time.time() - time.monotonic()
    for reply in replies:
        reply.sent_at += offset  # wall clock, as the journal's received_at
    return replies


async def one_run(workdir: Path, *, units: int, tasks_per_unit: int,
                  typing: Callable[[Any, list[Any]], Any]) -> RunFigures:
    """Seed, deliver the cards, start `nhacviec run`, type the replies; wait until all are stored and answered."""
    from tests.faults.staff import TOKEN, drain, spawn_bot, staff_with_cards, wait_for_line, wait_until_stored

    db = Database(f"sqlite:///{workdir / 'replies.db'}")
    upgrade(db)
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=units, tasks_per_unit=tasks_per_unit)
        sandbox.configure(limits=RateLimits())  # Telegram's limits from here on: the bot's answers are paced
        confirmed_at = _confirmation_clock(sandbox)
        output: list[str] = []
        bot = await spawn_bot(workdir, db.url, sandbox.bot_api_url)
        reader = None
        try:
            await wait_for_line(bot, "đang chạy", output)
            reader = drain(bot, output)
            await asyncio.sleep(SETTLE_SECONDS)
            async with sandbox.client() as people:
                replies = await typing(people, staffed.cards)
                await wait_until_stored(db, replies, timeout=600)
                deadline = time.monotonic() + 60 + len(replies) / LIMIT_PER_SECOND
                while len(confirmed_at) < len(replies) and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
        finally:
            bot.terminate()
            await bot.wait()
            if reader is not None:
                await reader
        refused = sandbox.stats.rate_limited["sendMessage"]  # the limits were off while the cards went out
    stored_at, applied = _stored(db, replies)
    db.dispose()
    keys = [(r.card.user_id, r.message_id) for r in replies]
    to_stored = sorted(stored_at[k] - r.sent_at for k, r in zip(keys, replies, strict=True) if k in stored_at)
    to_confirmed = sorted(confirmed_at[k] - r.sent_at for k, r in zip(keys, replies, strict=True)
                          if k in confirmed_at)
    answers = sorted(confirmed_at[k] for k in keys if k in confirmed_at)
    first_typed = min(r.sent_at for r in replies)
    return RunFigures(
        replies=len(replies), lost=sum(1 for k in keys if k not in stored_at),
        applied_twice=sum(1 for k in keys if applied[k] > 1), confirmed=len(to_confirmed),
        stored_p50=_p(to_stored, 0.5), stored_p95=_p(to_stored, 0.95),
        all_stored=max(stored_at.values(), default=first_typed) - first_typed,
        confirmed_p50=_p(to_confirmed, 0.5), confirmed_p95=_p(to_confirmed, 0.95),
        answer_pace=(len(answers) - 1) / max(1e-9, answers[-1] - answers[0]) if len(answers) > 1 else 0.0,
        refused=refused,
    )


async def burst(workdir: Path, *, units: int, tasks_per_unit: int = TASKS_PER_UNIT) -> RunFigures:
    """Every reply typed at once (tests/faults/test_burst.py checks it at 500)."""
    return await one_run(workdir, units=units, tasks_per_unit=tasks_per_unit, typing=_all_at_once)


def _p(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def _stored(db: Database, replies: list[Any]) -> tuple[dict[tuple[int, int], float], Counter[tuple[int, int]]]:
    """When each reply was journaled (epoch seconds), and how many report versions each one made."""
    from sqlmodel import select

    from storage.models import InboundMessage, StatusReport

    def read(*, session: Any) -> tuple[list[Any], list[Any]]:
        inbound = session.exec(select(InboundMessage.chat_id, InboundMessage.message_id, InboundMessage.received_at)
                               .where(InboundMessage.kind == "reply")).all()
        reports = session.exec(select(StatusReport.chat_id, StatusReport.message_id)
                               .where(StatusReport.source == "reply")).all()
        return inbound, reports

    inbound, reports = db.call(read)
    stored = {(int(c), int(m)): at.timestamp() for c, m, at in inbound}
    return stored, Counter((int(c), int(m)) for c, m in reports)


def _runs(count: int, **kwargs: Any) -> list[RunFigures]:
    figures = []
    for _ in range(count):
        with tempfile.TemporaryDirectory() as tmp:
            figures.append(asyncio.run(one_run(Path(tmp), **kwargs)))
        print(f"  . {figures[-1]}", flush=True)
    return figures


def _spread(runs: list[RunFigures], field: str, scale: float = 1.0) -> tuple[float, str]:
    values = [getattr(r, field) * scale for r in runs]
    median = statistics.median(values)
    digits = 0 if scale == 1000 else 1
    return round(median, digits), (f"median of {len(values)}, min {min(values):.{digits}f}, "
                                   f"max {max(values):.{digits}f}")


def _rows(name: str, label: str, runs: list[RunFigures], wanted: list[tuple[str, str, float, str, str, Any]]
          ) -> list[Result]:
    rows = [
        Result(name, f"{label}: lost (all runs)", sum(r.lost for r in runs), "replies", "0",
               all(r.lost == 0 for r in runs)),
        Result(name, f"{label}: applied twice (all runs)", sum(r.applied_twice for r in runs), "replies", "0",
               all(r.applied_twice == 0 for r in runs)),
        Result(name, f"{label}: unanswered (all runs)", sum(r.replies - r.confirmed for r in runs), "replies", "0",
               all(r.confirmed == r.replies for r in runs)),
        Result(name, f"{label}: answers refused 429 (all runs)",
               round(100 * sum(r.refused for r in runs) / max(1, sum(r.confirmed for r in runs)), 2), "%", "<= 1%",
               sum(r.refused for r in runs) <= 0.01 * sum(r.confirmed for r in runs)),
    ]
    for field, figure, scale, unit, target, ok in wanted:
        value, spread = _spread(runs, field, scale)
        rows.append(Result(name, f"{label}: {figure} ({spread})", value, unit, target, ok(value)))
    return rows


def run(quick: bool) -> list[Result]:
    count = 1 if quick else 5
    # sustained: 20 replies/s for 10 s (quick) or 30 s, each person answering every 5-10 s
    sustained_units, sustained_tasks = (100, 2) if quick else (200, 3)
    sustained = _runs(count, units=sustained_units, tasks_per_unit=sustained_tasks,
                      typing=lambda people, cards: _at_rate(people, cards, SUSTAINED_RATE))
    burst_units = 100 if quick else 1000  # x5 tasks: 500 or 5,000 replies
    bursts = _runs(count, units=burst_units, tasks_per_unit=TASKS_PER_UNIT, typing=_all_at_once)
    n = burst_units * TASKS_PER_UNIT
    floor = 0.95 * LIMIT_PER_SECOND
    name = "replies"
    return [
        *_rows(name, f"{SUSTAINED_RATE:g} replies/s for {sustained_units * sustained_tasks / SUSTAINED_RATE:g} s",
               sustained, [
                   ("stored_p50", "reply -> stored, median", 1000, "ms", "< 250 ms", lambda v: v < 250),
                   ("stored_p95", "reply -> stored, p95", 1000, "ms", "< 500 ms", lambda v: v < 500),
                   ("confirmed_p50", "reply -> answer, median", 1000, "ms", "< 500 ms", lambda v: v < 500),
                   ("confirmed_p95", "reply -> answer, p95", 1000, "ms", "< 1000 ms", lambda v: v < 1000),
               ]),
        *_rows(name, f"burst of {n:,}", bursts, [
            ("all_stored", "first reply -> all stored", 1, "s", "< 30 s", lambda v: v < 30),
            ("stored_p50", "reply -> stored, median", 1, "s", "< 15 s", lambda v: v < 15),
            ("stored_p95", "reply -> stored, p95", 1, "s", "< 30 s", lambda v: v < 30),
            ("answer_pace", "answers' pace (first -> last answer)", 1, "answers/s",
             f">= {floor:g}/s (95% of 30/s)", lambda v: v >= floor),
            ("confirmed_p95", "reply -> answer, p95", 1, "s", f"< {n / floor:.0f} s (n at 95% of 30/s)",
             lambda v: v < n / floor),
        ]),
    ]
