"""Fan-out of nudges to many Zalo chats through the Zalo twin with its quota on (10/s overall, 1/s per chat).

Zalo publishes no rate, only 429 "quota exceeded" without retry_after, so the connector paces itself below any
plausible quota. Two runs of the outbox dispatcher through the Zalo notifier, each to its own fresh chats:
- the default pacing (ZALO_SEND_PER_SECOND=5): the rate it keeps, and that no request is refused;
- pacing set above the twin's quota (20/s): 429s come back, are honoured with backoff, nothing lost or doubled.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bench.result import Result
from bot.adapters.zalo_api import ZaloClient
from bot.adapters.zalo_notifier import ZaloNotifier, zalo_limits
from bot.base.clock import VN_TZ, FixedClock
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig, zalo_rate_limits
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Pacer
from storage import outbox
from storage.database import Database
from storage.members import bind_chat
from storage.migrate import upgrade
from storage.units import add_unit

TOKEN = "1234567890123456789:BenchZaloFanoutToken0123456789"
NOW = datetime(2026, 6, 2, 9, 0, tzinfo=VN_TZ)


async def _fan_out(twin: ZaloTwin, count: int, per_second: float, folder: Path, name: str) -> dict[str, float]:
    chats = [twin.create_user(f"Cán bộ {name} {i}") for i in range(count)]
    db = Database(f"sqlite:///{folder / f'{name}.db'}")
    upgrade(db)

    def seed(*, session):  # type: ignore[no-untyped-def]
        unit = add_unit(session=session, name=f"Các xã {name}", now=NOW)
        for chat in chats:
            bind_chat(session=session, platform="zalo", chat_id=chat, chat_type="private", unit_id=unit.id,
                      role="staff", now=NOW)
        outbox.add_rows(session=session, now=NOW, rows=[outbox.PlannedRow(
            key=f"bench:{chat}", kind="manual", chat_id=chat, platform="zalo", due_at=NOW - timedelta(minutes=1),
            payload={"render": "text", "text": "Nhắc báo cáo kỳ Quý II/2026", "planned_at": NOW.isoformat()})
            for chat in chats])
    db.call(seed)
    refused_before = twin.refused["send"]
    calls_before = twin.calls["sendMessage"]
    async with ZaloClient(TOKEN, twin.base_url, connections=16) as client:
        pacer = Pacer(zalo_limits(per_second=per_second))
        dispatcher = Dispatcher(db, ZaloNotifier(client), FixedClock(NOW), pacers={"zalo": pacer}, concurrency=8,
                                max_inline_wait=120)
        start = time.perf_counter()
        report = await dispatcher.dispatch_due()
        seconds = time.perf_counter() - start
    db.dispose()
    per_chat = Counter(m.chat_id for m in twin.messages if m.sender == "bot" and m.chat_id in set(chats))
    return {"rate": sum(1 for c in chats if per_chat[c]) / seconds, "seconds": seconds,
            "lost": sum(1 for c in chats if per_chat[c] == 0), "duplicated": sum(n - 1 for n in per_chat.values()),
            "refused": twin.refused["send"] - refused_before, "requests": twin.calls["sendMessage"] - calls_before,
            "sent": report.sent}


async def measure(count: int) -> dict[str, dict[str, float]]:
    async with ZaloTwin(ZaloTwinConfig(token=TOKEN, limits=zalo_rate_limits())) as twin:
        with tempfile.TemporaryDirectory() as folder:
            paced = await _fan_out(twin, count, 5.0, Path(folder), "paced")
            await asyncio.sleep(1.5)  # the twin's buckets refill
            pushed = await _fan_out(twin, count, 20.0, Path(folder), "pushed")
    return {"default pacing 5/s": paced, "pacing 20/s, over the twin's 10/s quota": pushed}


def run(quick: bool) -> list[Result]:
    count = 60 if quick else 300
    results = []
    for name, o in asyncio.run(measure(count)).items():
        default = name.startswith("default")
        results += [
            Result("fanout_zalo", f"{name}: {count} chats, rate", round(o["rate"], 2), "msg/s",
                   ">= 4.5 msg/s (90%)" if default else "", (o["rate"] >= 4.5) if default else None),
            Result("fanout_zalo", f"{name}: requests answered 429", round(o["refused"] / o["requests"] * 100, 2), "%",
                   "0%" if default else "", (o["refused"] == 0) if default else None),
            Result("fanout_zalo", f"{name}: lost", o["lost"], "msgs", "0", o["lost"] == 0),
            Result("fanout_zalo", f"{name}: duplicated", o["duplicated"], "msgs", "0", o["duplicated"] == 0),
        ]
        print(f"  [{name}] {count - o['lost']:.0f}/{count} delivered in {o['seconds']:.1f} s = {o['rate']:.2f} msg/s, "
              f"{o['requests']:.0f} requests, {o['refused']:.0f} answered 429", flush=True)
    return results
