"""Which database errors are worth riding out (a restart, a failover, a locked SQLite file).

The retry itself is the caller's (bot.base.retry.patiently around `db.run`): storage calls nothing above it.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

UNAVAILABLE = "database unavailable"


def database_unavailable(exc: BaseException) -> bool:
    """A lost connection, a refused one or a locked SQLite file: worth trying the same transaction again."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)
