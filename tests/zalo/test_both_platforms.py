"""One process, one database, one outbox, two platforms: `nhacviec run` with both tokens serves Telegram and
Zalo (neither token in any output line, even at DEBUG), and one unit's nudge reaches its Telegram chat and its
Zalo chat, each through its own connector."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import telegram
from sqlmodel import select

from bot.adapters.telegram_notifier import TelegramNotifier
from bot.adapters.zalo_api import ZaloClient
from bot.adapters.zalo_notifier import ZaloNotifier
from bot.base.clock import FixedClock
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from scheduler.service import NudgeService
from storage.database import Database
from storage.members import bind_chat
from storage.models import Member, Nudge
from tests.faults.staff import TOKEN, drain, greet_a_stranger, spawn_bot, wait_for_line
from tests.zalo.conftest import NUDGE_TIME, ZALO_TOKEN, seed_world


async def test_run_serves_telegram_and_zalo_in_one_process(tmp_path: Path) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox, \
            ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False))) as twin:
        proc = await spawn_bot(tmp_path, f"sqlite:///{tmp_path}/nv.db", sandbox.bot_api_url, log_level="DEBUG",
                               env={"ZALO_BOT_TOKEN": ZALO_TOKEN, "ZALO_API_BASE_URL": twin.base_url})
        seen: list[str] = []
        await wait_for_line(proc, "đang chạy", seen)
        assert "Telegram: long polling" in seen[-1] and "Zalo: long polling" in seen[-1]
        reader = drain(proc, seen)
        async with sandbox.client() as people:
            await greet_a_stranger(people, timeout=20)
        async with twin.people() as zalo_people:
            khach = await zalo_people.create_user("Khách")
            await zalo_people.say(khach, "/start")
            (hello,) = await zalo_people.wait_for(khach, 1, timeout=20)
            assert "mã mời" in hello["text"]
        proc.send_signal(signal.SIGTERM)
        assert await proc.wait() == 0
        await reader
    output = "".join(seen)
    assert ZALO_TOKEN not in output and ZALO_TOKEN.split(":")[1] not in output and TOKEN not in output
    assert "Đã dừng" in output and "Traceback" not in output


async def test_one_unit_nudged_on_telegram_and_on_zalo(db: Database) -> None:
    clock = FixedClock(NUDGE_TIME)
    units, _ = seed_world(db, clock)
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox, \
            ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False))) as twin:
        async with sandbox.client() as people:
            tg_user = (await people.create_user("Lan")).id
            await people.private_chat(tg_user)
        zalo_user = twin.create_user("Minh")

        def seed(*, session):  # type: ignore[no-untyped-def]
            for platform, user in (("telegram", str(tg_user)), ("zalo", zalo_user)):
                session.add(Member(platform=platform, user_id=user, display_name=user, unit_id=units["kt"],
                                   role="staff", active=True, joined_at=clock.now()))
                bind_chat(session=session, platform=platform, chat_id=user, chat_type="private",
                          unit_id=units["kt"], role="staff", now=clock.now())
        db.call(seed)
        async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url) as bot, \
                ZaloClient(ZALO_TOKEN, twin.base_url) as client:
            dispatcher = Dispatcher(db, [TelegramNotifier(bot), ZaloNotifier(client)], clock, limits=Limits.off(),
                                    backoff=0.01)
            report = await NudgeService(db, dispatcher, clock).tick()
        telegram_texts = [m.text or "" for m in sandbox.world.chats[tg_user].messages.values() if m.from_bot]
        zalo_texts = [m.text for m in twin.bot_messages(zalo_user)]
    assert report.dispatch.sent == 6 and report.dispatch.no_connector == 0  # per chat: a nudge and two cards
    assert len(telegram_texts) == 3 and len(zalo_texts) == 3
    assert sum("Trả lời: 1 Hoàn thành" in t for t in zalo_texts) == 2  # typed answers only where buttons are not
    assert not any("Trả lời: 1" in t for t in telegram_texts)
    by_platform = db.call(lambda session: Counter(
        n.platform for n in session.exec(select(Nudge)) if n.state == "sent"))
    assert by_platform == {"telegram": 3, "zalo": 3}
