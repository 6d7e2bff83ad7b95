"""A manual nudge is sent as soon as /nhacnho is committed: the running bot's dispatcher is woken, not left to
its next 30-second tick."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.base.clock import VN_TZ, FixedClock
from bot.runner import serve
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.settings import Settings
from scheduler.jobs import DISPATCH_EVERY_SECONDS
from storage.database import Database
from storage.members import create_invite
from tests.factories import make_plan, make_task, make_units

TOKEN = "300000004:WAKE-test-token-for-sandbox-xyz"


async def test_manual_nudge_is_sent_before_the_next_dispatch_tick(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))  # a Wednesday, inside the nudge window
    now = clock.now()
    with db.session() as s:
        economy, office = make_units(s, "Phòng Kinh tế", "Văn phòng", now=now)
        plan = make_plan(s, now=now, coordinator=office)
        make_task(s, plan, code="1", title="Số hoá hồ sơ", lead=economy, deadlines=("2026-06-30",), now=now)
        for unit, role, code in ((economy, "staff", "WK-STAFF"), (office, "coordinator", "WK-COORD")):
            create_invite(session=s, unit_id=unit.id, role=role, code=code, now=now,
                          expires_at=now + timedelta(days=7))
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=sandbox.bot_api_url,  # type: ignore[arg-type]
                        database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    stop = asyncio.Event()
    runner = asyncio.create_task(serve(settings, clock=clock, stop=stop, announce=False))
    try:
        async with sandbox.client() as people:
            lan, chief = await people.create_user("Lan"), await people.create_user("Hà")
            await people.start(lan, "WK-STAFF")
            await people.wait_for_messages(lan.id, 1, timeout=20)
            await people.start(chief, "WK-COORD")
            await people.wait_for_messages(chief.id, 1, timeout=10)
            await asyncio.sleep(1)  # let the start-up dispatch round finish: nothing is due yet
            before = len(await people.messages(lan.id, sender="bot"))
            await people.send_command(chief.id, chief, "nhacnho")
            patience = DISPATCH_EVERY_SECONDS / 3  # well before the next tick would have sent it
            got = await people.wait_for_messages(lan.id, before + 1, timeout=patience)
            assert any("Nhắc báo cáo" in (m.text or "") for m in got[before:]), [m.text for m in got[before:]]
    finally:
        stop.set()
        await asyncio.wait_for(runner, 20)
        await sandbox.stop()
