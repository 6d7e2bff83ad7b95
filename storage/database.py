"""The engine and session factory (built by the application factory, never at import time)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

from bot.base.errors import UserError

T = TypeVar("T")


def normalize_url(url: str) -> str:
    """Accept the usual spellings: postgres:// and postgresql:// use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unreadable URL>"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for SQLite (WAL, foreign keys on) or PostgreSQL; creates the SQLite folder."""
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise UserError(
            "DATABASE_URL không đọc được. Ví dụ hợp lệ: sqlite:///./data/nhacviec.db hoặc "
            "postgresql://user@localhost:5432/nhacviec"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)
    raise UserError(f"Cơ sở dữ liệu '{backend}' chưa được hỗ trợ; dùng SQLite hoặc PostgreSQL.")


SQLITE_MMAP_BYTES = 256 * 2**20


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The pysqlite driver opens transactions lazily, before the first write: a SAVEPOINT issued before any
    # write then opens the transaction itself, and its RELEASE commits it, so "one step, one transaction"
    # silently broke on SQLite. We take over: no implicit transactions, and BEGIN emitted by `_sqlite_begin`
    # (SQLAlchemy's documented recipe for pysqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Reads through memory-mapped I/O instead of read() calls into SQLite's small page cache: about a tenth off
    # a province-scale summary (bench/bench_summary.py). Only the address space is reserved, not memory.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Every transaction starts with BEGIN IMMEDIATE: it takes SQLite's single write lock up front (waiting up
    to the busy timeout), so a transaction that reads then writes never fails half-way on a lock upgrade."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Owns the engine; hands out sessions, and runs blocking work off the event loop."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, echo=echo)
        # SQLite has one writer, and every transaction here takes the write lock (BEGIN IMMEDIATE). Threads of one
        # process queue for it on this lock, handed over at once, rather than in SQLite's busy handler, which
        # sleeps 1, 2, 5 ... 100 ms between tries whether or not the lock was freed meanwhile: at a reply burst
        # a quarter of the bot's time went there (bench/bench_replies.py). Other processes still wait in SQLite.
        self._writer = _WriterLock() if self.engine.dialect.name == "sqlite" else None
        self._urgent_pool: ThreadPoolExecutor | None = None  # threads of `run_urgent`, started on first use

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def call(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run `fn(session=..., **kwargs)` in one transaction (on SQLite, one such transaction at a time)."""
        return self._call(fn, False, kwargs)

    def _call(self, fn: Callable[..., T], urgent: bool, kwargs: dict[str, Any]) -> T:
        if self._writer is None:
            with self.session() as session:
                return fn(session=session, **kwargs)
        self._writer.acquire(urgent=urgent)
        try:
            with self.session() as session:
                return fn(session=session, **kwargs)
        finally:
            self._writer.release()

    async def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """The async face of `call`: the blocking work runs in a worker thread."""
        return await asyncio.to_thread(self.call, fn, **kwargs)

    async def run_urgent(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """`run` ahead of the rest (an answer's claim and mark): in threads of its own, not queued behind the
        handlers' work in the event loop's default pool, and on SQLite handed the write lock before any other
        transaction of this process waiting for it. At a reply burst the answers otherwise waited behind every
        reply being stored (bench/bench_replies.py)."""
        if self._urgent_pool is None:
            self._urgent_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db-urgent")
        context = contextvars.copy_context()  # as asyncio.to_thread does
        return await asyncio.get_running_loop().run_in_executor(
            self._urgent_pool, functools.partial(context.run, self._call, fn, True, kwargs))

    def dispose(self) -> None:
        if self._urgent_pool is not None:
            self._urgent_pool.shutdown(wait=False)
            self._urgent_pool = None
        self.engine.dispose()


class _WriterLock:
    """SQLite's one writer within a process, re-entrant, handed to an urgent transaction before the others
    waiting for it (a plain lock is handed to whichever thread the scheduler wakes)."""

    def __init__(self) -> None:
        self._state = threading.Condition(threading.Lock())
        self._owner: int | None = None
        self._depth = 0
        self._urgent_waiting = 0

    def acquire(self, *, urgent: bool) -> None:
        me = threading.get_ident()
        with self._state:
            if self._owner == me:
                self._depth += 1
                return
            if urgent:
                self._urgent_waiting += 1
            try:
                while self._owner is not None or (not urgent and self._urgent_waiting):
                    self._state.wait()
            finally:
                if urgent:
                    self._urgent_waiting -= 1
            self._owner, self._depth = me, 1

    def release(self) -> None:
        with self._state:
            self._depth -= 1
            if not self._depth:
                self._owner = None
                self._state.notify_all()
