"""Fixtures for the scheduler: a sandbox Bot API in-process, the real Telegram notifier, and a small world."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest
import telegram
from telegram.request import HTTPXRequest

from bot.adapters.telegram_notifier import TelegramNotifier
from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox import RateLimits, SandboxClient, SandboxConfig, SandboxServer
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from scheduler.service import NudgeService
from storage.database import Database
from storage.members import bind_chat
from storage.models import Plan
from tests.factories import make_plan, make_task, make_units

TOKEN = "123456789:AAHsandboxTokenForScheduler0123456789"


@pytest.fixture
def quarter_clock() -> FixedClock:
    return FixedClock(datetime(2026, 5, 20, 7, 0, tzinfo=VN_TZ))


@pytest.fixture
async def sandbox(quarter_clock: FixedClock) -> AsyncIterator[SandboxServer]:
    config = SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False), clock=quarter_clock)
    async with SandboxServer(config) as server:
        yield server


@pytest.fixture
async def people(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with sandbox.client() as client:
        yield client


@pytest.fixture
async def tg_bot(sandbox: SandboxServer) -> AsyncIterator[telegram.Bot]:
    request = HTTPXRequest(connection_pool_size=16)
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url, request=request) as client:
        yield client


def make_service(db: Database, bot: telegram.Bot, clock: FixedClock, *, worker: str = "w1",
                 limits: Limits | None = None, **kwargs: object) -> NudgeService:
    dispatcher = Dispatcher(db, TelegramNotifier(bot), clock, worker_id=worker, limits=limits or Limits.off(),
                            backoff=0.01, **kwargs)  # type: ignore[arg-type]
    return NudgeService(db, dispatcher, clock)


@dataclass
class World:
    """Three lead units and a coordinator, each with chats in the sandbox."""

    plan_id: int
    units: dict[str, int]
    tasks: dict[str, int]
    chats: dict[str, int] = field(default_factory=dict)  # name -> sandbox chat id
    users: dict[str, int] = field(default_factory=dict)


async def build_world(db: Database, people: SandboxClient, now: datetime) -> World:
    """Unit A has a group chat and two tasks (A1 due 30/06); B has a staff and a head in private; C one
    private chat; the coordinating office one coordinator in private."""
    names = {}
    for name in ("lan", "binh", "bao", "chi", "dung"):
        names[name] = (await people.create_user(name.title())).id
        await people.private_chat(names[name])
    group = await people.create_group("Phòng A", creator=names["lan"])

    def seed(*, session):  # type: ignore[no-untyped-def]
        a, b, c, office = make_units(session, "Phòng A", "Phòng B", "Phòng C", "Văn phòng", now=now)
        plan = make_plan(session, now=now, coordinator=office)
        t = {
            "A1": make_task(session, plan, code="1", title="Số hoá hồ sơ", lead=a, now=now, deadlines=("2026-06-30",)),
            "A2": make_task(session, plan, code="2", title="Cập nhật cổng thông tin", lead=a, now=now),
            "B3": make_task(session, plan, code="3", title="Đào tạo kỹ năng số", lead=b, now=now),
            "C4": make_task(session, plan, code="4", title="Rà soát thủ tục", lead=c, now=now),
        }
        binds = [(str(group.id), "group", a, "staff"), (str(names["binh"]), "private", b, "staff"),
                 (str(names["bao"]), "private", b, "head"), (str(names["chi"]), "private", c, "staff"),
                 (str(names["dung"]), "private", office, "coordinator")]
        for chat_id, chat_type, unit, role in binds:
            bind_chat(session=session, platform="telegram", chat_id=chat_id, chat_type=chat_type, unit_id=unit.id,
                      role=role, now=now)
        return plan.id, {u.name: u.id for u in (a, b, c, office)}, {k: v.id for k, v in t.items()}

    plan_id, units, tasks = db.call(seed)
    chats = {"A": group.id, "B": names["binh"], "Bhead": names["bao"], "C": names["chi"], "coord": names["dung"]}
    return World(plan_id, units, tasks, chats, names)


def plan_of(db: Database, plan_id: int) -> Plan:
    plan = db.call(lambda session: session.get(Plan, plan_id))
    assert plan is not None
    return plan
