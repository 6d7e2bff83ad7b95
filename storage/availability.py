"""Riding out a database that is briefly unavailable (a restart, a failover, a locked SQLite file)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from storage.database import Database

T = TypeVar("T")
log = logging.getLogger(__name__)


def database_unavailable(exc: BaseException) -> bool:
    """A lost connection, a refused one or a locked SQLite file: worth trying the same transaction again."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


async def run_patiently(db: Database, fn: Callable[..., T], /, *, patience: float, urgent: bool = False,
                        **kwargs: Any) -> T:
    """`db.run(fn, **kwargs)` (`db.run_urgent` if `urgent`), tried again with backoff (0.1 s doubling to 5 s) while
    the database is unavailable, for up to `patience` seconds. `fn` must be one transaction safe to run again."""
    deadline = time.monotonic() + patience
    delay = 0.1
    while True:
        try:
            return await (db.run_urgent if urgent else db.run)(fn, **kwargs)
        except DBAPIError as exc:
            if not database_unavailable(exc) or time.monotonic() + delay > deadline:
                raise
            log.warning("database unavailable (%s); trying again in %.1f s", exc.__class__.__name__, delay)
            await asyncio.sleep(delay)
            delay = min(5.0, delay * 2)
