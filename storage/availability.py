"""Which database errors are worth riding out (a restart, a failover, a locked SQLite file).

The retry itself is the caller's (bot.base.retry.patiently around `db.run`): storage calls nothing above it.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

UNAVAILABLE = "database unavailable"


def database_unavailable(exc: BaseException, *, strict: bool = False) -> bool:
    """A lost connection, a refused one or a locked SQLite file: worth trying the same transaction again.

    `strict`: only when the error text says so (a lost or refused connection, a lock), for a call whose own
    OperationalError (a migration's failing statement) must be raised rather than waited out."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if not strict:
        return True
    text = str(exc.orig).lower()
    return "locked" in text or "connection" in text or "could not connect" in text
