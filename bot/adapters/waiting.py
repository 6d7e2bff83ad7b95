"""Waiting that a stop request cuts short: shared by the pollers of every platform."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


async def race(stop: asyncio.Event, work: Any, *, grace: float = 0.2) -> Any:
    """Await `work`, or give up on it (cancelled, result []) as soon as `stop` is set."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if not task.done():
        await asyncio.wait({task}, timeout=grace)  # let a request being written reach the server whole
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return []
    return task.result()


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
