"""Fixtures for the sandbox: a server on 127.0.0.1:0, the real python-telegram-bot client, and people."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator

import pytest
import telegram

from bot.sandbox import RateLimits, SandboxClient, SandboxConfig, SandboxServer

TOKEN = "123456789:AAHsandboxTokenForTests0123456789abc"


class FakeMonotonic:
    """A monotonic clock that moves only when told (for the rate limiter)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
async def sandbox(monotonic: FakeMonotonic) -> AsyncIterator[SandboxServer]:
    """A sandbox without rate limits (tests about limits turn them on with `sandbox.configure`)."""
    config = SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False), monotonic=monotonic,
                           webhook_retry_delay=0.01)
    async with SandboxServer(config) as server:
        yield server


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[telegram.Bot]:
    client = telegram.Bot(TOKEN, base_url=sandbox.bot_api_url, base_file_url=sandbox.file_url)
    async with client:
        yield client


@pytest.fixture
async def people(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with sandbox.client() as client:
        yield client
