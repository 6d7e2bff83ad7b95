"""Migrations: the models and the migration history agree; a newer schema is refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from bot.errors import UserError
from storage.database import SQLITE_MMAP_BYTES, Database
from storage.migrate import current_revision, head_revision, upgrade


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ; run `nhacviec db revision -m ...`: {diff}"


def test_upgrade_is_idempotent_and_creates_every_table(db: Database) -> None:
    assert current_revision(db) == head_revision()
    assert upgrade(db) == (head_revision(), head_revision())
    tables = set(inspect(db.engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_newer_schema_is_refused_and_nothing_written(db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zz_future'"))
    with pytest.raises(UserError, match="mới hơn"):
        upgrade(db)
    assert current_revision(db) == "zz_future"


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == SQLITE_MMAP_BYTES
