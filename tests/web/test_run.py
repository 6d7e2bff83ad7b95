"""`nhacviec run` serves the web pages beside the bot when WEB_BASE_URL is set (same database, same clock),
and refuses to start without WEB_SECRET."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from bot.base.errors import UserError
from bot.runner import serve
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.settings import Settings
from storage.database import Database
from tests.faults.staff import greet_a_stranger

TOKEN = "400000005:WEBRUN-test-token-for-sandbox-xyz"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_serves_the_web_pages_when_web_base_url_is_set(sqlite_db: Database) -> None:
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    port = _free_port()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=sandbox.bot_api_url,  # type: ignore[arg-type]
                        database_url=sqlite_db.url, web_base_url=f"http://127.0.0.1:{port}", web_port=port,
                        web_secret="a-web-secret-for-this-test-only", _env_file=None)  # type: ignore[call-arg, arg-type]
    stop = asyncio.Event()
    runner = asyncio.create_task(serve(settings, stop=stop, announce=False))
    try:
        async with sandbox.client() as people:
            await greet_a_stranger(people, timeout=15)  # the bot answers...
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as web:  # ...and so do the pages
            page = await web.get("/")
            assert page.status_code == 303 and page.headers["location"] == "/dang-nhap"
            assert "Đăng nhập" in (await web.get("/dang-nhap")).text
    finally:
        stop.set()
        await asyncio.wait_for(runner, 20)
        await sandbox.stop()


async def test_run_with_web_base_url_but_no_secret_refuses_to_start(sqlite_db: Database) -> None:
    settings = Settings(telegram_bot_token=TOKEN, database_url=sqlite_db.url,  # type: ignore[arg-type]
                        web_base_url="https://nhacviec.example.gov.vn", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(UserError, match="Trang web cần WEB_SECRET"):
        await serve(settings, announce=False)
