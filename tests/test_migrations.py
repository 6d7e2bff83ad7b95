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


def test_0007_keeps_one_unit_per_group_and_adds_the_invite_failures(db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    """A group an older version bound to two units (issue 20, finding 3) keeps the unit bound first."""
    from alembic import command

    from storage.members import bind_chat, chat_bindings, unit_chats
    from storage.migrate import _config
    from tests.factories import make_units

    config = _config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert "invitefailure" not in inspect(db.engine).get_table_names()
    now = clock.now()
    with db.session() as s:
        a, b = make_units(s, "Phòng Kinh tế", "Phòng Tư pháp", now=now)
        ids = a.id, b.id
        for unit, role, chat, kind in ((a, "head", "-1", "group"), (b, "staff", "-1", "group"),
                                       (a, "coordinator", "-1", "group"), (b, "staff", "7", "private"),
                                       (b, "head", "-2", "supergroup")):
            bind_chat(session=s, platform="telegram", chat_id=chat, chat_type=kind, unit_id=unit.id, role=role,
                      now=now)
    upgrade(db)
    assert "invitefailure" in inspect(db.engine).get_table_names()
    with db.session() as s:
        assert [(x.unit_id, x.role) for x in chat_bindings(session=s, platform="telegram", chat_id="-1")] == [
            (ids[0], "head"), (ids[0], "coordinator")]
        assert sorted(x.chat_id for x in unit_chats(session=s, unit_id=ids[1])) == ["-2", "7"]
