"""Schema upgrades with Alembic, and a refusal to touch a database from a newer version.

Alembic is imported where it is used: `ensure_current` on a database that is already current (every command's
start) reads the stamped revision with one query and compares it with the newest migration file's revision
id (the four digits its name starts with, as `make_revision` numbers them), without loading Alembic and its
scripts (about 0.1 s of CPU); anything else goes the full way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.base.errors import UserError
from storage.availability import database_unavailable
from storage.database import Database, safe_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"(\d{4})_\w+\.py")  # versions/0013_line_tally.py holds revision "0013"


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


class DatabaseUnreachable(UserError):
    """The database refused or dropped the connection, or (SQLite) stayed locked past the busy timeout: a
    long-running process may wait and try again; a one-shot command reports it."""


def _unreachable(db: Database, exc: BaseException) -> DatabaseUnreachable:
    return DatabaseUnreachable(f"Không kết nối được cơ sở dữ liệu {safe_url(db.url)}: {_first_line(exc)}")


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with db.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise _unreachable(db, exc) from None


def upgrade(db: Database) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; returns (before, after)."""
    before = current_revision(db)
    if before is not None and before not in known_revisions():
        raise UserError(
            f"Cơ sở dữ liệu đang ở phiên bản lược đồ {before}, mới hơn phiên bản phần mềm này. "
            "Hãy cập nhật nhacviec lên bản mới nhất; không có gì được ghi."
        )
    from alembic import command

    config = _config()
    try:
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        if not database_unavailable(exc, strict=True):  # a migration's own error: waiting will not fix it
            raise
        raise _unreachable(db, exc) from None
    return before, head_revision()


def newest_file_revision() -> str | None:
    """The revision id of the newest numbered migration file (head_revision without Alembic)."""
    numbers = [found.group(1) for path in (MIGRATIONS / "versions").iterdir()
               if (found := _NUMBERED.fullmatch(path.name))]
    return max(numbers, default=None)


def _stamped(db: Database) -> str | None:
    """The one revision the database is stamped with; None when it has none, several, or cannot say (the
    full check then decides, and reports an unreachable database)."""
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except OperationalError as exc:
        if database_unavailable(exc, strict=True):  # as current_revision would say, without waiting on the lock twice
            raise _unreachable(db, exc) from None
        return None  # SQLite: no such table
    except DBAPIError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def ensure_current(db: Database) -> None:
    """Upgrade on first run, refuse a newer schema; cheap when already current (one query, no Alembic)."""
    stamped = _stamped(db)
    if stamped is not None and stamped == newest_file_revision():
        return
    if current_revision(db) != head_revision():
        upgrade(db)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)) or exc.__class__.__name__
    return text.strip().splitlines()[0]


def make_revision(db: Database, message: str) -> None:
    """For developers: write a new migration from the difference between the models and `db`."""
    from alembic import command

    config = _config()
    upgrade(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        next_id = f"{int(head_revision()) + 1:04d}"
        command.revision(config, message=message, autogenerate=True, rev_id=next_id)
