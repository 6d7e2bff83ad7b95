"""A world of staff replying to `nhacviec run` (a real process, SQLite) against the sandbox with Telegram's
limits on: one run's figures (time to stored, to the answer, lost, applied twice). Used by the replies
benchmark (bench/bench_replies.py) and by the burst check in tests/faults/test_burst.py."""


from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from storage.database import Database
from storage.migrate import upgrade

TASKS_PER_UNIT = 5  # within the flood guard's burst (12 actions per person)
LIMIT_PER_SECOND = 30.0  # Telegram's overall limit, as the sandbox enforces it
SUSTAINED_RATE = 20.0
# the load starts a few seconds after the bot is up: its start-up round (planning the next days, the first
# dispatch, first queries compiled) is over, as it is for a bot that has been running when the rush comes
SETTLE_SECONDS = 5.0
PROFILE_ENV = "REPLY_BURST_PYSPY"  # a file: py-spy records the bot there during the load (burst_profile.py)


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
    bot_cpu_ms: float = float("nan")  # the bot process's CPU (user + system) from the first reply typed to the
    # last answer, per reply
    load_cpu_ms: float = float("nan")  # this process's (the sandbox and the people typing), per reply
    all_typed: float = float("nan")  # first reply typed -> last reply typed (the load generator's own pace)
    typing_cpu_ms: float = float("nan")  # this process's CPU while typing the replies, per reply


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process used so far, from /proc (nan where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


async def _profiler(pid: int) -> asyncio.subprocess.Process | None:
    """py-spy recording the bot (the GIL holder's stacks, raw) into the file PROFILE_ENV names, if it does."""
    out = os.environ.get(PROFILE_ENV)
    if not out:
        return None
    beside = Path(sys.executable).with_name("py-spy")
    profiler = await asyncio.create_subprocess_exec(
        str(beside) if beside.exists() else "py-spy", "record", "-p", str(pid), "--gil", "-r", "100", "-f", "raw",
        "-o", out, "--nonblocking", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    await asyncio.sleep(0.5)  # attached before the first reply
    return profiler


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


async def at_rate(sandbox: SandboxServer, people: Any, cards: list[Any], rate: float) -> list[Any]:
    """One reply every 1/`rate` s, people taking turns (one person's replies in order, seconds apart), each typed
    through the sandbox's HTTP side as a person's app would."""
    from tests.faults.staff import REPLIES, Reply

    replies = [Reply(card, REPLIES[i % len(REPLIES)]) for i, card in enumerate(_taking_turns(cards))]
    start = time.monotonic()

    async def one(i: int, reply: Any) -> None:
        await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        message = await people.reply(reply.card.user_id, reply.card.user_id, reply.card.message_id, reply.text)
        reply.message_id, reply.sent_at = message.message_id, time.time()

    await asyncio.gather(*(one(i, r) for i, r in enumerate(replies)))
    return replies


async def all_at_once(sandbox: SandboxServer, people: Any, cards: list[Any]) -> list[Any]:
    """Every reply typed at once, people taking turns (each person's replies in order): queued in the sandbox's
    world in one go (World.user_messages), so that the bot fetches them through getUpdates as Telegram delivers
    them, while this process spends no HTTP round trip per reply (typing 5,000 through HTTP took this process
    52-138 s of CPU, competing with the bot on 2 cores). `sent_at` is when each was queued."""
    from tests.faults.staff import REPLIES, Reply

    replies = [Reply(card, REPLIES[i % len(REPLIES)]) for i, card in enumerate(_taking_turns(cards))]
    written = sandbox.world.user_messages(
        (r.card.user_id, r.card.user_id, r.text, r.card.message_id) for r in replies)
    for reply, (message, at) in zip(replies, written, strict=True):
        reply.message_id, reply.sent_at = message.message_id, at
    return replies


def _taking_turns(cards: list[Any]) -> list[Any]:
    """Everyone's first card, then everyone's second, ...: one person's cards stay in order."""
    by_user: dict[int, list[Any]] = {}
    for card in cards:
        by_user.setdefault(card.user_id, []).append(card)
    rounds = max((len(c) for c in by_user.values()), default=0)
    return [c[i] for i in range(rounds) for c in by_user.values() if i < len(c)]


async def one_run(workdir: Path, *, units: int, tasks_per_unit: int,
                  typing: Callable[[SandboxServer, Any, list[Any]], Awaitable[list[Any]]]) -> RunFigures:
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
                profiler = await _profiler(bot.pid)
                bot_cpu, load_cpu = _process_cpu(bot.pid), time.process_time()
                replies = await typing(sandbox, people, staffed.cards)
                typing_cpu = time.process_time() - load_cpu
                await wait_until_stored(db, replies, timeout=600)
                deadline = time.monotonic() + 60 + len(replies) / LIMIT_PER_SECOND
                while len(confirmed_at) < len(replies) and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                bot_cpu, load_cpu = _process_cpu(bot.pid) - bot_cpu, time.process_time() - load_cpu
                if profiler is not None:  # py-spy writes its file on Ctrl-C
                    profiler.send_signal(signal.SIGINT)
                    await profiler.wait()
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
        refused=refused, all_typed=max(r.sent_at for r in replies) - first_typed,
        bot_cpu_ms=1000 * bot_cpu / len(replies), load_cpu_ms=1000 * load_cpu / len(replies),
        typing_cpu_ms=1000 * typing_cpu / len(replies),
    )


async def burst(workdir: Path, *, units: int, tasks_per_unit: int = TASKS_PER_UNIT) -> RunFigures:
    """Every reply typed at once (tests/faults/test_burst.py checks it at 500)."""
    return await one_run(workdir, units=units, tasks_per_unit=tasks_per_unit, typing=all_at_once)


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
