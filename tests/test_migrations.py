"""Migrations: the models and the migration history agree; a newer schema is refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from bot.base.errors import UserError
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
    """A group an older version bound to two units (issue 20, finding 3) keeps the unit bound first. Rows are
    written with the 0006 columns (Core, not the models: the models follow the newest schema)."""
    import sqlalchemy as sa
    from alembic import command

    from storage.members import chat_bindings, unit_chats
    from storage.migrate import _config
    from storage.types import UTCDateTime

    config = _config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert "invitefailure" not in inspect(db.engine).get_table_names()
    unit = sa.table("unit", sa.column("id"), sa.column("name"), sa.column("normalized_name"),
                    sa.column("created_at", UTCDateTime()))
    binding = sa.table("chatbinding", *(sa.column(c) for c in ("platform", "chat_id", "chat_type", "unit_id", "role",
                                                               "active")), sa.column("created_at", UTCDateTime()))
    now = clock.now()
    with db.engine.begin() as connection:
        a, b = (connection.execute(sa.insert(unit).values(name=n, normalized_name=n.lower(), created_at=now)
                                   .returning(unit.c.id)).scalar_one() for n in ("Phòng Kinh tế", "Phòng Tư pháp"))
        for unit_id, role, chat, kind in ((a, "head", "-1", "group"), (b, "staff", "-1", "group"),
                                          (a, "coordinator", "-1", "group"), (b, "staff", "7", "private"),
                                          (b, "head", "-2", "supergroup")):
            connection.execute(sa.insert(binding).values(platform="telegram", chat_id=chat, chat_type=kind,
                                                         unit_id=unit_id, role=role, active=True, created_at=now))
    upgrade(db)
    assert "invitefailure" in inspect(db.engine).get_table_names()
    with db.session() as s:
        assert [(x.unit_id, x.role) for x in chat_bindings(session=s, platform="telegram", chat_id="-1")] == [
            (a, "head"), (a, "coordinator")]
        assert sorted(x.chat_id for x in unit_chats(session=s, unit_id=b)) == ["-2", "7"]



def test_0014_analyzes_the_task_table_again_on_an_analyzed_sqlite_database(sqlite_db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    """An analyzed database gets the new index's statistics (without them SQLite's planner read a period's
    blocked reports task by task through it); one never analyzed stays so (no statistics for one table
    alone)."""
    from alembic import command

    from storage.migrate import _config
    from tests.factories import make_plan, make_task, make_units

    def downgraded_to_0013() -> None:
        config = _config()
        with sqlite_db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0013")

    def task_statistics() -> set[str]:
        with sqlite_db.engine.connect() as connection:
            if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
                return set()
            return set(connection.exec_driver_sql("SELECT idx FROM sqlite_stat1 WHERE tbl = 'task'").scalars())

    with sqlite_db.session() as session:
        (lead,) = make_units(session, "Sở Y tế", now=clock.now())
        plan = make_plan(session, now=clock.now())
        for n in range(3):
            make_task(session, plan, code=str(n), title=f"Nhiệm vụ {n}", lead=lead, now=clock.now())
        session.commit()
    downgraded_to_0013()
    upgrade(sqlite_db)
    assert task_statistics() == set()  # never analyzed: left so
    downgraded_to_0013()
    with sqlite_db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    before = task_statistics()
    assert before and "ix_task_plan_position" not in before
    upgrade(sqlite_db)
    assert task_statistics() == before | {"ix_task_plan_position"}
