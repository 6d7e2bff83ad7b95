"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_POSTGRES_URL (default: the local server, database `test`). A template
database is migrated once per run; each test gets a fresh copy of it. Locally an unreachable server
skips the PostgreSQL half; with CI=true it fails instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.base.clock import VN_TZ, FixedClock
from storage.database import Database, normalize_url
from storage.migrate import upgrade

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PG_ADMIN_URL = normalize_url(os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    raw = db.engine.raw_connection()  # a checkpoint runs outside any transaction
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    try:
        admin = _pg_admin_engine()
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable at {make_url(PG_ADMIN_URL).render_as_string()}: {exc}")
        pytest.skip(f"PostgreSQL unreachable ({exc.__class__.__name__}); set CI=true to make this fail")
    name = f"nv_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "nhacviec.db"
        shutil.copyfile(template, path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    template_name: str = request.getfixturevalue("pg_template")
    name = f"nv_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    db = Database(make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    yield db
    db.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    yield from _fresh_database(request, tmp_path)


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """SQLite only: for tests of things that do not depend on the database engine."""
    path = tmp_path / "nhacviec.db"
    shutil.copyfile(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def fresh_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run in an empty folder with none of the bot's variables set: the embedded defaults apply."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TIMEZONE", "TELEGRAM_API_BASE_URL", "WEBHOOK_SECRET",
                 "ZALO_BOT_TOKEN", "ZALO_API_BASE_URL", "ZALO_WEBHOOK_URL", "ZALO_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def seeds_missing_reason() -> str | None:
    """Why the real seed plans cannot be read here, or None when they can."""
    if SEEDS.is_dir() and any(SEEDS.glob("00[0-4]_*.txt")):
        return None
    return (f"the real seed plans are not beside this clone ({SEEDS}): they live in the project's shared folder, "
            "not in the repo; the project's own fixture plans cover the same shapes")


@pytest.fixture
def seeds_dir() -> Path:
    """The real seed plans (../shared/seeds): skipped, with the reason, in a clone that lacks them; a failure
    under CI=true, where they are always laid beside the clone."""
    reason = seeds_missing_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return SEEDS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that read the real seed plans carry the `seeds` marker (`-m "not seeds"` leaves them out)."""
    for item in items:
        if "seeds_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.seeds)
