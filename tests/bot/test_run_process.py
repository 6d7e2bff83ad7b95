"""`nhacviec run` as a real process: polling against a Bot API server, a clean stop on SIGTERM, no token in any log."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.sandbox import RateLimits, SandboxClient, SandboxConfig, SandboxServer
from storage.database import Database
from storage.migrate import ensure_current
from tests.faults.staff import greet_a_stranger, spawn_bot, wait_for_line

SECRET_TOKEN = "7000000001:AAH-very-secret-token-value_0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/nv.db"


async def test_run_without_token_uses_the_local_sandbox_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    proc = await spawn_bot(tmp_path, _db(tmp_path), None, token=None, args=("--sandbox-port", str(port)))
    seen: list[str] = []
    assert proc.stdout is not None
    await wait_for_line(proc, "đang chạy", seen)
    assert f"127.0.0.1:{port}" in "".join(seen)
    async with SandboxClient(f"http://127.0.0.1:{port}") as people:
        await greet_a_stranger(people, timeout=10)
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    rest = (await proc.stdout.read()).decode()
    assert "Đã dừng" in rest and "Traceback" not in "".join(seen) + rest


async def test_token_never_reaches_the_output_even_at_debug_level(tmp_path: Path) -> None:
    sandbox = SandboxServer(SandboxConfig(token=SECRET_TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    try:
        proc = await spawn_bot(tmp_path, _db(tmp_path), sandbox.bot_api_url, token=SECRET_TOKEN, log_level="DEBUG")
        seen: list[str] = []
        assert proc.stdout is not None
        await wait_for_line(proc, "đang chạy", seen)
        async with sandbox.client() as people:
            someone = await people.create_user("Khách")
            await people.start(someone, "NO-SUCH-CODE")
            await people.wait_for_messages(someone.id, 1, timeout=10)
            # make a request fail on purpose: the error path must not leak the token either
            await people.block_bot(someone)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
        output = "".join(seen) + (await proc.stdout.read()).decode()
    finally:
        await sandbox.stop()
    assert "DEBUG" in output  # debug logging was really on
    assert SECRET_TOKEN not in output
    assert SECRET_TOKEN.split(":")[1] not in output


async def test_a_rejected_token_is_one_clear_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    sandbox = SandboxServer(SandboxConfig(token=SECRET_TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    try:
        wrong = "7000000001:AAH-revoked-token-value_9876543210xyz"
        proc = await spawn_bot(tmp_path, _db(tmp_path), sandbox.bot_api_url, token=wrong)
        assert proc.stdout is not None
        output = (await asyncio.wait_for(proc.stdout.read(), 60)).decode()
        assert await proc.wait() == 1
    finally:
        await sandbox.stop()
    assert "Bot API từ chối TELEGRAM_BOT_TOKEN" in output
    assert "Traceback" not in output and wrong.split(":")[1] not in output


async def test_the_bot_waits_for_a_bot_api_that_is_not_up_yet(tmp_path: Path) -> None:
    """A Bot API server down at start (network, proxy) is waited for, not a crash; then the bot works."""
    port = _free_port()
    proc = await spawn_bot(tmp_path, _db(tmp_path), f"http://127.0.0.1:{port}/bot", token=SECRET_TOKEN)
    seen: list[str] = []
    assert proc.stdout is not None
    await wait_for_line(proc, "Chưa kết nối được Bot API", seen)
    sandbox = SandboxServer(SandboxConfig(token=SECRET_TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start("127.0.0.1", port)
    try:
        await wait_for_line(proc, "đang chạy", seen)
        async with sandbox.client() as people:
            await greet_a_stranger(people, timeout=10)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        await sandbox.stop()
    assert "Traceback" not in "".join(seen)


async def _relay(port: int, target: tuple[str, int]) -> asyncio.Server:
    """A TCP relay from local `port` to the database server: the database 'coming up' for the bot."""
    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*target)
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    return await asyncio.start_server(connect, "127.0.0.1", port)


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
async def test_the_bot_waits_for_a_database_that_is_not_up_yet(tmp_path: Path, db: Database) -> None:
    """The database server down at start (a restart, a failover) is waited for, saying so, not a crash; once it
    answers, the bot works. (A locked SQLite file takes the same path after SQLite's 30 s busy timeout: the
    long variant below.)"""
    url = make_url(db.url)
    port = _free_port()  # nothing listens here yet
    proc = await spawn_bot(tmp_path, url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False),
                           None, token=None, args=("--sandbox-port", str(_free_port())))
    seen: list[str] = []
    await wait_for_line(proc, "Bot chờ cơ sở dữ liệu sẵn sàng", seen)
    relay = await _relay(port, (url.host or "127.0.0.1", url.port or 5432))
    try:
        await wait_for_line(proc, "đang chạy", seen)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        relay.close()
    text = "".join(seen)
    assert "Không kết nối được cơ sở dữ liệu" in text and "Traceback" not in text


@pytest.mark.faults
async def test_the_bot_waits_for_a_sqlite_file_locked_past_the_busy_timeout(tmp_path: Path) -> None:
    """Another process holds the SQLite file's lock for longer than SQLite's 30 s busy timeout while the bot
    starts: the bot says it waits and tries again, then works."""
    url = _db(tmp_path)
    ensure_current(Database(url))
    holder = sqlite3.connect(make_url(url).database or "", isolation_level=None, timeout=30)
    holder.execute("BEGIN EXCLUSIVE")
    proc = await spawn_bot(tmp_path, url, None, token=None, args=("--sandbox-port", str(_free_port())))
    seen: list[str] = []
    try:
        await wait_for_line(proc, "Bot chờ cơ sở dữ liệu sẵn sàng", seen)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    await wait_for_line(proc, "đang chạy", seen)
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    assert "database is locked" in "".join(seen) and "Traceback" not in "".join(seen)
