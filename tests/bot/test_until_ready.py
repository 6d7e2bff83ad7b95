"""The one start-up wait (bot.base.retry.until_ready) behind the Bot API, the database and the Zalo waits of
`nhacviec run`: what it says, how long it waits, what it raises at once; and the Zalo start through it."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import pytest

from bot.base import messages as msg
from bot.base.errors import UserError
from bot.base.retry import until_ready
from bot.chat.capabilities import file_download_link
from bot.runner import _open_zalo
from bot.sandbox.limits import RateLimits
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from bot.settings import Settings

ZALO_TOKEN = "4000000000000000004:ZALO-test-token-for-the-twin-only"


class Away(Exception):
    """Stands for 'the server is not up yet'."""


async def test_waits_out_the_named_errors_with_doubling_waits_then_returns_true() -> None:
    calls: list[int] = []
    said: list[str] = []

    async def call() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise Away

    def waiting(exc: Exception, seconds: float) -> str | None:
        return f"chờ {seconds:.0f}" if isinstance(exc, Away) else None

    ready = await until_ready(call, waiting=waiting, stop=asyncio.Event(), max_backoff=1.5, say=said.append)
    assert ready is True
    assert len(calls) == 3
    assert said == ["chờ 1", "chờ 2"]  # 1 s, then doubled and capped at 1.5 s (printed rounded)


async def test_an_error_it_does_not_name_is_raised_at_once() -> None:
    calls: list[int] = []

    async def call() -> None:
        calls.append(1)
        raise UserError("token sai")

    with pytest.raises(UserError):
        await until_ready(call, waiting=lambda exc, s: "chờ" if isinstance(exc, Away) else None,
                          stop=asyncio.Event(), max_backoff=30, say=lambda line: None)
    assert calls == [1]


async def test_a_stop_during_the_wait_returns_false_without_waiting_the_backoff_out() -> None:
    stop = asyncio.Event()

    async def call() -> None:
        raise Away

    async def stop_soon() -> None:
        await asyncio.sleep(0.2)
        stop.set()

    loop = asyncio.get_running_loop()
    started = loop.time()
    stopper = asyncio.create_task(stop_soon())
    ready = await until_ready(call, waiting=lambda exc, s: "chờ", stop=stop, max_backoff=60, say=lambda line: None)
    await stopper
    assert ready is False
    assert loop.time() - started < 0.9  # the first backoff is 1 s: the stop cut it short


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_zalo_start_waits_for_an_api_that_is_not_up_yet_then_connects(capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()
    settings = Settings(zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=f"http://127.0.0.1:{port}",
                        _env_file=None)  # type: ignore[call-arg]
    twin = ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False)))

    async def start_later() -> None:
        await asyncio.sleep(1.5)
        await twin.start(port=port)

    starter = asyncio.create_task(start_later())
    try:
        async with contextlib.AsyncExitStack() as stack:
            connector = await asyncio.wait_for(
                _open_zalo(settings, ZALO_TOKEN, None, stack, asyncio.Event(), file_download_link),  # type: ignore[arg-type]
                timeout=20)
        assert connector is not None
        assert msg.ZALO_API_UNREACHABLE.format(seconds=1).split(";")[0] in capsys.readouterr().out
    finally:
        await starter
        await twin.stop()


async def test_zalo_start_with_a_rejected_token_is_a_clear_error_at_once() -> None:
    twin = ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False)))
    await twin.start()
    wrong = "4000000000000000004:ZALO-another-bots-token"
    settings = Settings(zalo_bot_token=wrong, zalo_api_base_url=twin.base_url, _env_file=None)  # type: ignore[call-arg]
    try:
        async with contextlib.AsyncExitStack() as stack:
            with pytest.raises(UserError) as raised:
                await asyncio.wait_for(
                    _open_zalo(settings, wrong, None, stack, asyncio.Event(), file_download_link),  # type: ignore[arg-type]
                    timeout=10)
        assert str(raised.value) == msg.ZALO_TOKEN_REJECTED
    finally:
        await twin.stop()
