"""Claims just in time: a row is claimed when the pacer lets it go, and a restarted sender takes back the rows its
killed predecessor held, instead of waiting for their lease."""

from __future__ import annotations

import asyncio
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.base.chat import Outgoing
from bot.base.clock import FixedClock
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from scheduler.dispatcher import Dispatcher, dead_local_workers
from scheduler.pacer import Limits
from storage import outbox
from storage.database import Database
from storage.models import Nudge
from tests.faults.staff import TOKEN, first_lines_from_bot, seed_units, spawn_send_due
from tests.scheduler.test_delivery import NOW, seed_text_rows

NUDGE_DAY = "2026-05-27T08:05:00+07:00"


class CountingNotifier:
    """Records, at each send, how many rows the database holds in 'sending'."""

    platform = "telegram"

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sending_at_send: list[int] = []

    async def send(self, chat_id: str, out: Outgoing) -> str:
        count = await self.db.run(lambda session: len(outbox.left_sending(session=session)))
        self.sending_at_send.append(count)
        return str(len(self.sending_at_send))


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


async def test_rows_are_claimed_only_when_the_pacer_lets_them_go(sqlite_db: Database) -> None:
    seed_text_rows(sqlite_db, 10, NOW)
    notifier = CountingNotifier(sqlite_db)
    dispatcher = Dispatcher(sqlite_db, notifier, FixedClock(NOW), worker_id="paced", concurrency=8,
                            limits=Limits(per_second=8.0))
    report = await dispatcher.dispatch_due()
    assert report.sent == 10
    # Eight senders wait for their slots (125 ms apart) without holding a claim: claiming before pacing would show
    # eight rows 'sending' at the first send. On a loaded machine one send may still be finishing when the next slot
    # opens, hence at most two.
    assert max(notifier.sending_at_send) <= 2, notifier.sending_at_send
    assert notifier.sending_at_send.count(1) >= 5, notifier.sending_at_send


async def test_a_restarted_sender_takes_back_its_dead_predecessors_rows_at_once(db: Database) -> None:
    seed_text_rows(db, 3, NOW)
    host = socket.gethostname()
    dead = f"{host}:{_ended_pid()}:abc123"
    alive = f"{host}:{os.getppid()}:def456"
    rows = db.call(lambda session: {n.key: n.id for n in session.exec(select(Nudge))})
    lease = timedelta(minutes=2)
    assert db.call(outbox.claim, nudge_id=rows["test:0"], worker=dead, now=NOW, lease=lease) is not None
    assert db.call(outbox.claim, nudge_id=rows["test:1"], worker=alive, now=NOW, lease=lease) is not None
    assert dead_local_workers([dead, alive, "other-host:1:x", "faults"]) == {dead}

    clock = FixedClock(NOW + timedelta(seconds=30))  # well inside the lease
    notifier = CountingNotifier(db)
    report = await Dispatcher(db, notifier, clock, limits=Limits.off()).dispatch_due()
    assert report.sent == 2 and report.reclaimed == 1  # test:0 (its sender is dead) and test:2
    states = db.call(lambda session: {n.key: n.state for n in session.exec(select(Nudge))})
    assert states == {"test:0": "sent", "test:1": "sending", "test:2": "sent"}
    [left] = report.left_sending
    assert left["key"] == "test:1" and "đang gửi" in left["why"]


async def test_send_due_killed_mid_fan_out_and_restarted_at_once_loses_nothing(tmp_path: Path,
                                                                              sqlite_db: Database) -> None:
    """The issue's case: kill -9 of `send-due` (8 senders, paced), restart inside the lease."""
    units = 60
    config = SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))
    async with SandboxServer(config) as sandbox:
        async with sandbox.client() as people:
            users = [(await people.create_user(f"Cán bộ {i}")).id for i in range(units)]
            for user in users:
                await people.private_chat(user)
        seed_units(sqlite_db, users, 1)
        started = time.monotonic()
        first = await spawn_send_due(tmp_path, sqlite_db.url, sandbox.bot_api_url, NUDGE_DAY, concurrency=8, rate=40)
        while sandbox.stats.calls["sendMessage"] < units // 2 and first.returncode is None:
            await asyncio.sleep(0.002)
        assert first.returncode is None, "the sender finished before it could be killed"
        first.send_signal(signal.SIGKILL)
        await first.wait()
        # the restart's clock goes on from where the killed run's stopped (`--now` starts a moving clock): the
        # followers the first run queued 'now' by its clock are due for the second, as after a real restart
        elapsed = math.ceil(time.monotonic() - started) + 1
        assert elapsed < 100, "the restart must come inside the 2-minute lease"
        restart = (datetime.fromisoformat(NUDGE_DAY) + timedelta(seconds=elapsed)).isoformat()
        stranded = sqlite_db.call(lambda session: len(outbox.left_sending(session=session)))
        second = await spawn_send_due(tmp_path, sqlite_db.url, sandbox.bot_api_url, restart, concurrency=8, rate=40)
        out, errors = await second.communicate()
        assert second.returncode == 0, errors.decode()[-2000:]
        texts = first_lines_from_bot(sandbox, users)
    assert stranded <= 8  # at most the requests in flight
    assert f"lấy lại từ lần chạy bị dừng: {stranded}." in out.decode()
    assert "đang gửi dở" not in out.decode()
    rows = sqlite_db.call(lambda session: session.exec(select(Nudge)).all())
    states = Counter(n.state for n in rows)
    assert states == {"sent": 2 * units}, (states, [(n.key, n.state, n.last_error) for n in rows
                                                    if n.state != "sent"][:5], out.decode()[-1500:])
    assert len(texts) == 2 * units, f"lost: {2 * units - len(texts)}"
    assert sum(texts.values()) - 2 * units <= stranded
