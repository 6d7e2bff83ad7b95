"""A staffed world for the fault suite: units with staff in private chats, task cards already delivered.

The cards go out through the real outbox dispatcher (a nudge and one card per open task, MessageLinks
recorded), so the replies that follow take the same path as in production: a reply to a card -> the bot.
Also: the bot as a `nhacviec run` subprocess, replies in a burst, and the checks every fault test shares.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import telegram
from sqlmodel import func, select
from telegram.request import HTTPXRequest

from bot.adapters.telegram_notifier import TelegramNotifier
from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox import SandboxClient, SandboxServer
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from scheduler.service import NudgeService
from storage.database import Database
from storage.members import bind_chat
from storage.models import InboundMessage, Member, MessageLink, StatusReport
from tests.factories import make_plan, make_task, make_units

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "300000003:FAULTS-token-for-the-sandbox-0123456789"
NUDGE_TIME = datetime(2026, 5, 27, 8, 5, tzinfo=VN_TZ)  # 7 working days before the Q2 cutoff (5/6)
REPLIES = ("xong", "đang làm 50%", "chưa triển khai", "đã hoàn thành", "đang thực hiện, đạt 70%", "dang lam 30%")


@dataclass(frozen=True)
class Card:
    """A task card the bot sent to one person's private chat."""

    user_id: int
    message_id: int
    task_id: int


@dataclass
class Reply:
    card: Card
    text: str
    message_id: int = 0
    sent_at: float = 0.0  # time.monotonic() when the sandbox accepted it


@dataclass
class Staffed:
    users: list[int]
    cards: list[Card]
    clock: FixedClock = field(default_factory=lambda: FixedClock(NUDGE_TIME))


def seed_units(db: Database, users: list[int] | list[str], tasks_per_unit: int, *, prefix: str = "Xã thử nghiệm",
               platform: str = "telegram") -> None:
    """One unit per user (its staff member, its private chat bound) in a new plan, `tasks_per_unit` tasks each."""
    now = NUDGE_TIME

    def seed(*, session):  # type: ignore[no-untyped-def]
        units = make_units(session, *(f"{prefix} {i}" for i in range(len(users))), now=now)
        plan = make_plan(session, now=now)
        code = itertools.count(1)
        for unit, user_id in zip(units, users, strict=True):
            for _ in range(tasks_per_unit):
                n = next(code)
                make_task(session, plan, code=str(n), title=f"Nhiệm vụ số {n}", lead=unit, now=now)
            session.add(Member(platform=platform, user_id=str(user_id), display_name=f"Cán bộ {user_id}",
                               unit_id=unit.id, role="staff", active=True, joined_at=now))
            bind_chat(session=session, platform=platform, chat_id=str(user_id), chat_type="private",
                      unit_id=unit.id, role="staff", now=now)
    db.call(seed)


def nudge_service(db: Database, bot: telegram.Bot, clock: FixedClock, **kwargs: object) -> NudgeService:
    dispatcher = Dispatcher(db, TelegramNotifier(bot), clock, worker_id="faults", limits=Limits.off(),
                            backoff=0.01, concurrency=16, **kwargs)  # type: ignore[arg-type]
    return NudgeService(db, dispatcher, clock)


async def staff_with_cards(db: Database, sandbox: SandboxServer, *, units: int, tasks_per_unit: int) -> Staffed:
    """`units` units, one staff member each (a private chat), and their cards sent by the dispatcher."""
    async with sandbox.client() as people:
        users = [(await people.create_user(f"Cán bộ {i}")).id for i in range(units)]
        for user in users:
            await people.private_chat(user)
    seed_units(db, users, tasks_per_unit)
    staffed = Staffed(users, [])
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url,
                            request=HTTPXRequest(connection_pool_size=32)) as bot:
        report = await nudge_service(db, bot, staffed.clock).tick()
    assert report.dispatch.sent == units * (1 + tasks_per_unit), report
    links = db.call(lambda session: session.exec(select(MessageLink).where(MessageLink.kind == "task_card")).all())
    staffed.cards = [Card(int(link.chat_id), int(link.message_id), link.task_id) for link in links
                     if link.task_id is not None]
    assert len(staffed.cards) == units * tasks_per_unit
    return staffed


async def send_replies(people: SandboxClient, cards: list[Card], *, concurrency: int = 32,
                       texts: tuple[str, ...] = REPLIES) -> list[Reply]:
    """Every card answered once, `concurrency` people typing at a time (one person's replies in order)."""
    by_user: dict[int, list[Card]] = {}
    for card in cards:
        by_user.setdefault(card.user_id, []).append(card)
    replies = [Reply(card, texts[i % len(texts)]) for i, card in enumerate(cards)]
    queue: asyncio.Queue[list[Reply]] = asyncio.Queue()
    for user_replies in _group(replies).values():
        queue.put_nowait(user_replies)

    async def person() -> None:
        while not queue.empty():
            for reply in queue.get_nowait():
                message = await people.reply(reply.card.user_id, reply.card.user_id, reply.card.message_id,
                                             reply.text)
                reply.message_id, reply.sent_at = message.message_id, time.monotonic()

    await asyncio.gather(*(person() for _ in range(concurrency)))
    return replies


def _group(replies: list[Reply]) -> dict[int, list[Reply]]:
    grouped: dict[int, list[Reply]] = {}
    for reply in replies:
        grouped.setdefault(reply.card.user_id, []).append(reply)
    return grouped


async def wait_until_stored(db: Database, replies: list[Reply], *, timeout: float = 120.0) -> None:
    """Until every reply has its journal entry (or the timeout: the assertions that follow say what is missing)."""
    deadline = time.monotonic() + timeout
    wanted = {(str(r.card.user_id), str(r.message_id)) for r in replies}
    replies_kind = InboundMessage.kind == "reply"
    while time.monotonic() < deadline:
        # counted first: reading every journal row five times a second costs the load generator more CPU than
        # the bot spends on a reply, in a burst of thousands
        count = db.call(lambda session: session.exec(select(func.count()).where(replies_kind)).one())
        if count >= len(wanted):
            seen = db.call(lambda session: set(session.exec(
                select(InboundMessage.chat_id, InboundMessage.message_id).where(replies_kind)).all()))
            if wanted <= {(c, m) for c, m in seen}:
                return
        await asyncio.sleep(0.2)


def assert_every_reply_stored_once(db: Database, replies: list[Reply]) -> None:
    """Each reply: one journal entry with its text, one report version from it; nothing applied twice."""
    def read(*, session):  # type: ignore[no-untyped-def]
        inbound = session.exec(select(InboundMessage).where(InboundMessage.kind == "reply")).all()
        reports = session.exec(select(StatusReport).where(StatusReport.source == "reply")).all()
        return inbound, reports

    inbound, reports = db.call(read)
    journal = Counter((m.chat_id, m.message_id) for m in inbound)
    texts = {(m.chat_id, m.message_id): m.text for m in inbound}
    applied = Counter((r.chat_id, r.message_id) for r in reports)
    outcomes = {(m.chat_id, m.message_id): (m.id, m.outcome, m.report_id, m.update_key) for m in inbound}
    keys = [(str(r.card.user_id), str(r.message_id)) for r in replies]
    missing = [k for k in keys if journal[k] == 0]
    assert not missing, f"{len(missing)} of {len(keys)} replies lost, e.g. {missing[:5]}"
    assert all(journal[k] == 1 for k in keys), "a reply journaled twice"
    assert all(texts[k] == r.text for k, r in zip(keys, replies, strict=True))
    assert all(applied[k] == 1 for k in keys), (
        f"not applied exactly once: {[(k, applied[k], outcomes[k], texts[k]) for k in keys if applied[k] != 1][:5]}")
    assert sum(applied.values()) == len(keys)


async def confirmations(people: SandboxClient, replies: list[Reply]) -> Counter[int]:
    """How many bot messages answer each reply (by the reply's message id)."""
    answered: Counter[int] = Counter()
    for user in {r.card.user_id for r in replies}:
        for message in await people.messages(user, sender="bot"):
            if message.reply_to_message_id is not None and "Đã ghi" in (message.text or ""):
                answered[message.reply_to_message_id] += 1
    return answered


async def spawn_bot(workdir: Path, db_url: str, api: str | None, *, log_level: str = "WARNING",
                    token: str | None = TOKEN, args: tuple[str, ...] = (),
                    env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
    """`nhacviec run` (long polling) as a real process; stdout and stderr together in one pipe. Without a token
    (and an API URL) it runs against its own local sandbox."""
    extra = env
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir), "PYTHONPATH": str(ROOT),
           "DATABASE_URL": db_url, "LOG_LEVEL": log_level}
    env.update({key: value for key, value in (("TELEGRAM_BOT_TOKEN", token), ("TELEGRAM_API_BASE_URL", api))
                if value is not None})
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, cwd=workdir, env={**env, **(extra or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def spawn_send_due(workdir: Path, db_url: str, api: str, now: str, *, token: str = TOKEN,
                         concurrency: int = 1, rate: float = 2000,
                         platform_env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
    """`nhacviec nudges send-due --now NOW` as a real process (by default one message at a time, no pacing), to be
    killed; its stdout is a pipe (read it with communicate()). `platform_env` replaces the Telegram token and URL
    (e.g. ZALO_BOT_TOKEN and ZALO_API_BASE_URL)."""
    platform = platform_env if platform_env is not None else {"TELEGRAM_BOT_TOKEN": token,
                                                              "TELEGRAM_API_BASE_URL": api}
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_"))}
    env = {**inherited, "DATABASE_URL": db_url, **platform,
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
           "LOG_LEVEL": "WARNING"}  # an inherited PYTHONPATH keeps `make test-anyday`'s sleep fix in the child
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "nudges", "send-due", "--now", now, "--concurrency", str(concurrency),
        "--rate", str(rate), cwd=workdir, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


def first_lines_from_bot(sandbox: SandboxServer, users: list[int]) -> Counter[tuple[int, str]]:
    """How many times each user's private chat received each bot message, told apart by its first line's start:
    a count above 1 is a duplicate."""
    received: Counter[tuple[int, str]] = Counter()
    for user in users:
        for message in sandbox.world.chats[user].messages.values():
            if message.from_bot:
                received[(user, (message.text or "").split("\n")[0][:30])] += 1
    return received


async def greet_a_stranger(people: SandboxClient, *, timeout: float) -> None:
    """Someone without an invite says /start: the bot answers (it is up and polling) with how to get one."""
    someone = await people.create_user("Khách")
    await people.start(someone)
    (hello,) = await people.wait_for_messages(someone.id, 1, timeout=timeout)
    assert "mã mời" in (hello.text or "")


async def wait_for_line(proc: asyncio.subprocess.Process, needle: str, seen: list[str],
                        timeout: float = 60.0) -> None:
    assert proc.stdout is not None

    async def loop() -> None:
        while True:
            line = (await proc.stdout.readline()).decode(errors="replace")  # type: ignore[union-attr]
            if not line:
                raise AssertionError(f"the bot ended before printing {needle!r}: {''.join(seen)[-3000:]}")
            seen.append(line)
            if needle in line:
                return
    await asyncio.wait_for(loop(), timeout)


def drain(proc: asyncio.subprocess.Process, seen: list[str]) -> asyncio.Task[None]:
    """Keep reading the bot's output into `seen` (a full pipe would stall it)."""
    async def loop() -> None:
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            seen.append(line.decode(errors="replace"))
    return asyncio.create_task(loop())
