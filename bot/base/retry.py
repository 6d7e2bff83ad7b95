"""Trying one call again while what it needs is briefly unavailable: a plain retry with backoff, no knowledge of
what is called (the caller says which errors are worth waiting out, e.g. storage.availability's)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


async def patiently(call: Callable[[], Awaitable[T]], *, retryable: Callable[[BaseException], bool],
                    patience: float, what: str, monotonic: Callable[[], float] = time.monotonic) -> T:
    """`await call()`, again with backoff (0.1 s doubling to 5 s) after an error `retryable` accepts, for up to
    `patience` seconds; any other error, or one past the patience, is raised. `call` must be safe to repeat."""
    deadline = monotonic() + patience
    delay = 0.1
    while True:
        try:
            return await call()
        except Exception as exc:
            if not retryable(exc) or monotonic() + delay > deadline:
                raise
            log.warning("%s (%s); trying again in %.1f s", what, exc.__class__.__name__, delay)
            await asyncio.sleep(delay)
            delay = min(5.0, delay * 2)


async def until_ready(call: Callable[[], Awaitable[object]], *, waiting: Callable[[Exception, float], str | None],
                      stop: asyncio.Event, max_backoff: float, say: Callable[[str], None] = print) -> bool:
    """At start-up: `await call()` until it succeeds (True) or `stop` is set (False). After an error for which
    `waiting(exc, seconds)` gives a message (the Vietnamese "waiting for …, trying again in N s"), say it and wait
    1 s, doubling up to `max_backoff`; an error it gives None for is raised at once (waiting will not fix it)."""
    backoff = 1.0
    while not stop.is_set():
        try:
            await call()
            return True
        except Exception as exc:
            message = waiting(exc, backoff)
            if message is None:
                raise
            log.debug("start-up call failed (%s); retrying in %.0f s", exc.__class__.__name__, backoff)
            say(message)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), backoff)
            backoff = min(max_backoff, backoff * 2)
    return False
