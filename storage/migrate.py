"""Schema upgrades with Alembic, and a refusal to touch a database from a newer version."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from bot.base.errors import UserError
from storage.availability import database_unavailable
from storage.database import Database, safe_url

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


class DatabaseUnreachable(UserError):
    """The database refused or dropped the connection, or (SQLite) stayed locked past the busy timeout: a
    long-running process may wait and try again; a one-shot command reports it."""


def _unreachable(db: Database, exc: BaseException) -> DatabaseUnreachable:
    return DatabaseUnreachable(f"Không kết nối được cơ sở dữ liệu {safe_url(db.url)}: {_first_line(exc)}")


def current_revision(db: Database) -> str | None:
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


def ensure_current(db: Database) -> None:
    """Upgrade on first run, refuse a newer schema; cheap when already current."""
    if current_revision(db) != head_revision():
        upgrade(db)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)) or exc.__class__.__name__
    return text.strip().splitlines()[0]


def make_revision(db: Database, message: str) -> None:
    """For developers: write a new migration from the difference between the models and `db`."""
    config = _config()
    upgrade(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        next_id = f"{int(head_revision()) + 1:04d}"
        command.revision(config, message=message, autogenerate=True, rev_id=next_id)
