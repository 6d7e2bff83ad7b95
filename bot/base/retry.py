"""Trying one call again while what it needs is briefly unavailable: a plain retry with backoff, no knowledge of
what is called (the caller says which errors are worth waiting out, e.g. storage.availability's)."""

from __future__ import annotations

import asyncio
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
