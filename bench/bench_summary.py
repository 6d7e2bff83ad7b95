"""Summaries at province scale: build_summary and every file format, on SQLite and on PostgreSQL.

Dataset (full run): 1,000 units, 100 lead tasks each (100,000 task lines, each with a support unit), four
quarters, ~3 replies per open task and quarter (append-only versions; some lines never answered, some
retracted, tasks done along the way stop being reported). Rows are generated with a fixed seed and
bulk-inserted with Core executemany (SQLite) or COPY then VACUUM ANALYZE (PostgreSQL). The SQLite file is
cached under /tmp, keyed by DATA_VERSION and the size, so a second run skips generation.

Measured on each engine: build_summary for Q2 and Q4 both ways (detail=False, the figures the web overview
shows, target < 0.5 s; detail=True, every line, what the files need), as the median of 5 runs after a warm-up
with min and max; one unit's summary; peak traced memory (a separate tracemalloc run, since tracing slows code
down) and the number of SQL statements (the same for 50 and 1,000 units). Each renderer on SQLite's Q2
summary (median of 5), and `nhacviec summary --format xlsx` start to exit as a user runs it (target < 3 s; median
of 5, beside the same build and render in process, and the load average when it ran).
The generated rows set `StatusReport.current` on each latest version, as storage.reports.record_status does; a
SQLite file cached under an older schema is migrated on open (migration 0005 backfills `current`). The plan's
line counters (storage.tally) are filled once after loading, as migration 0013 does for an existing database and
every write keeps them, so detail=False reads its figures from them as it does in use. Beside each in-process
wall time, the CPU time of the runs: on a shared machine the wall time moves with the load, the CPU time less.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.result import Result
from bot.base.clock import VN_TZ
from bot.summary.build import build_summary
from bot.summary.render_docx import render_docx
from bot.summary.render_json import render_json, write_json
from bot.summary.render_png import render_png
from bot.summary.render_text import render_text
from bot.summary.render_xlsx import render_xlsx
from storage.database import Database, normalize_url
from storage.migrate import upgrade
from storage.tally import refresh_plan, tallied

DATA_VERSION = "v1"
TASKS_PER_UNIT = 100
QUARTERS = 4
PLAN_ID = 1
CACHE_DIR = Path("/tmp")
PG_ADMIN_URL = normalize_url(os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
BLOCKERS = ("Chưa được cấp kinh phí", "chua co huong dan cua so", "Thiếu cán bộ chuyên trách",
            "Đang chờ phê duyệt hồ sơ", "Chờ phối hợp của các phòng", "Đường truyền internet yếu", "Thời tiết xấu")
TARGET_FIGURES_S = 0.5  # build_summary(detail=False), median (issue 19)
TARGET_FILE_S = 5.0
TARGET_COMMAND_S = 3.0  # `nhacviec summary --format xlsx` start to exit (issue 19)
QUERIES_FULL = 8  # plan, periods, lines (tasks with no lead too), supports, units, standing, blocked, done before
# on the line counters: plan, periods, the period's counter, deadline sets, line counts, reporters, units, the
# blocked reports (the previous period's joined in), first overdue tasks, their done before, their lines, supports
# and reports (no unassigned query: none in the dataset)
QUERIES_FIGURES = 13


# --- the dataset --------------------------------------------------------------------------------------


def _quarter(q: int, year: int = 2026) -> tuple[date, date, date]:
    start = date(year, 3 * q - 2, 1)
    end = (date(year, 3 * q + 1, 1) if q < 4 else date(year + 1, 1, 1)) - timedelta(days=1)
    return start, end, date(year, 3 * q, 5)


T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("id", "name", "normalized_name", "created_at"),
    "plan": ("id", "number", "title", "issuer", "year", "coordinator_unit_id", "regimes", "settings", "active",
             "created_at", "updated_at"),
    "reporting_period": ("id", "plan_id", "key", "kind", "start", "end", "cutoff", "created_at"),
    "member": ("id", "platform", "user_id", "display_name", "unit_id", "role", "active", "joined_at"),
    "task": ("id", "plan_id", "code", "kind", "position", "title", "deadlines", "recurrence", "completed", "active",
             "created_at", "updated_at"),
    "taskassignment": ("task_id", "unit_id", "role"),
    "statusreport": ("task_id", "unit_id", "period_id", "member_id", "version", "status", "percent", "blocker",
                     "note", "quantities", "source", "late", "created_at", "current"),
}


def _task_story(task_id: int, unit: int, seed: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """One task row and its reports, from a per-task random stream (so tables can be generated separately)."""
    rng = random.Random(seed * 1_000_003 + task_id)
    n = (task_id - 1) % TASKS_PER_UNIT + 1
    completed = rng.random() < 0.03
    deadline = date(2026, rng.choice((3, 6, 9, 11, 12)), 28).isoformat()
    task = (task_id, PLAN_ID, f"{unit}.{n}", "task" if n % 10 else "target", task_id,
            f"Triển khai nhiệm vụ chuyển đổi số số {n} tại đơn vị {unit}", [deadline], "once", completed, True,
            T0, T0)
    reports: list[tuple[Any, ...]] = []
    done = completed
    for q in range(1, QUARTERS + 1):
        if done or rng.random() < 0.08:  # done earlier, or never answered this quarter
            continue
        cutoff = _quarter(q)[2]
        late = rng.random() < 0.1
        status = "in_progress"
        versions: list[tuple[Any, ...]] = []
        for version in range(1, rng.choice((2, 3, 3, 4)) + 1):
            roll = rng.random()
            status = ("done" if roll < 0.07 else "blocked" if roll < 0.15 else
                      "retracted" if roll < 0.17 else "in_progress")
            created = datetime(cutoff.year, cutoff.month, 1, 3, tzinfo=UTC) + timedelta(
                days=rng.randrange(0, 10 if late else 4), minutes=version)
            versions.append((task_id, unit, q, unit, version, status, rng.randrange(0, 100, 10),
                             rng.choice(BLOCKERS) if status == "blocked" else None,
                             "Đang triển khai theo kế hoạch" if version % 2 else None, [], "reply", late, created))
            if status == "done":
                break
        reports += [(*row, index == len(versions) - 1) for index, row in enumerate(versions)]  # `current`
        done = status == "done"
    return task, reports


def generate(units: int, seed: int = 2026) -> Iterator[tuple[str, Iterator[tuple[Any, ...]]]]:
    """(table, rows) in foreign-key order; rows are tuples in COLUMNS order, generated lazily."""
    names = [f"UBND xã Mường {u:04d}" if u % 3 else f"Phòng Văn hóa - Xã hội số {u:04d}" for u in range(units + 1)]
    yield "unit", ((u, names[u], names[u].lower(), T0) for u in range(1, units + 1))
    yield "plan", iter([(PLAN_ID, "125/KH-UBND", "Kế hoạch chuyển đổi số tỉnh năm 2026", "UBND tỉnh Sơn La", 2026,
                         1, [], {}, True, T0, T0)])
    yield "reporting_period", ((q, PLAN_ID, f"2026-Q{q}", "quarterly", *_quarter(q), T0)
                               for q in range(1, QUARTERS + 1))
    yield "member", ((u, "telegram", str(10_000 + u), f"Cán bộ Nguyễn Văn {u}", u, "staff", True, T0)
                     for u in range(1, units + 1))
    tasks = [(t, (t - 1) // TASKS_PER_UNIT + 1) for t in range(1, units * TASKS_PER_UNIT + 1)]
    yield "task", (_task_story(t, u, seed)[0] for t, u in tasks)
    yield "taskassignment", (row for t, u in tasks for row in ((t, u, "lead"), (t, u % units + 1, "support")))
    yield "statusreport", (row for t, u in tasks for row in _task_story(t, u, seed)[1])


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _batches(rows: Iterator[tuple[Any, ...]], size: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_sqlite(db: Database, units: int) -> int:
    """Bulk-insert the dataset with executemany; returns the number of reports."""
    reports = 0
    with db.engine.begin() as connection:
        for table, rows in generate(units):
            columns = COLUMNS[table]
            sql = (f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
                   f'VALUES ({", ".join("?" * len(columns))})')
            for batch in _batches(rows):
                connection.exec_driver_sql(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])
                reports += len(batch) if table == "statusreport" else 0
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    raw = db.engine.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    return reports


def _copy_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def load_postgres(db: Database, units: int) -> None:
    """Bulk-load the same dataset with COPY."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, rows in generate(units):
            names = ", ".join(f'"{c}"' for c in COLUMNS[table])
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([_copy_value(v) for v in row])
        for table in COLUMNS:  # COPY wrote the ids: the sequences move past them, as inserts would have
            if "id" in COLUMNS[table]:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)')
        raw.commit()
        # as autovacuum would soon: statistics, hint bits and the visibility map (index-only scans) settled
        raw.driver_connection.autocommit = True
        cursor.execute("VACUUM ANALYZE")
    finally:
        raw.close()


def count_lines(db: Database) -> None:
    """The plan's line counters (storage.tally) filled when they are not, as migration 0013 fills them for the
    plans that exist and every write keeps them since: the summary's figures are read from them."""
    with db.engine.begin() as connection:
        if not tallied(connection, plan_id=PLAN_ID):
            refresh_plan(connection, plan_id=PLAN_ID)


def sqlite_database(units: int) -> tuple[Database, bool]:
    """The cached SQLite file for this size (built when missing; its line counters filled); True when it was
    built now."""
    path = CACHE_DIR / f"nhacviec-bench-summary-{DATA_VERSION}-{units}u.db"
    if path.exists():
        db = Database(f"sqlite:///{path}")
        upgrade(db)  # a file cached under an older schema gets the new migrations (and their backfills)
        count_lines(db)
        return db, False
    partial = path.with_suffix(f".{uuid.uuid4().hex[:6]}.tmp")
    db = Database(f"sqlite:///{partial}")
    upgrade(db)
    load_sqlite(db, units)
    count_lines(db)
    db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    return Database(f"sqlite:///{path}"), True


class PostgresDatabase:
    """A throwaway PostgreSQL database for the run (dropped on exit)."""

    def __init__(self) -> None:
        self.name = f"nv_bench_summary_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def __enter__(self) -> Database:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.db = Database(make_url(PG_ADMIN_URL).set(database=self.name).render_as_string(hide_password=False))
        upgrade(self.db)
        return self.db

    def __exit__(self, *_exc: object) -> None:
        self.db.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


# --- measuring ----------------------------------------------------------------------------------------


_CPU: list[float] = []  # the CPU times of _timed's last runs (this process's: the server's work not included)


def _timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Wall times of `runs` calls (after one warm-up call that fills caches) and the last value; their CPU
    times in _CPU (on a shared machine they move less than the wall times)."""
    value = fn()
    times = []
    _CPU.clear()
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - start)
        _CPU.append(time.process_time() - cpu)
    return times, value


def _cpu() -> str:
    return f"CPU median {statistics.median(_CPU):.3f} s" if _CPU else ""


def _spread(times: list[float], scale: float = 1.0, digits: int = 3) -> str:
    return f"median of {len(times)}, min {min(times) * scale:.{digits}f}, max {max(times) * scale:.{digits}f}"


def _peak_mib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _statements(db: Database, fn: Callable[[], Any]) -> int:
    """The queries `fn` runs (SELECT and WITH statements; transaction control such as SQLite's BEGIN
    IMMEDIATE and PostgreSQL's SET LOCAL are not queries)."""
    count = 0

    def counter(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal count
        count += statement.lstrip().upper().startswith(("SELECT", "WITH"))

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def _now(period: str) -> datetime:
    cutoff = _quarter(int(period[-1]))[2]
    return datetime(cutoff.year, cutoff.month, cutoff.day, 9, 0, tzinfo=VN_TZ) + timedelta(days=5)


def _summary_call(db: Database, period: str, *, detail: bool = True, unit_id: int | None = None
                  ) -> Callable[[], Any]:
    return lambda: db.call(build_summary, plan_id=PLAN_ID, period_key=period, now=_now(period), detail=detail,
                           unit_id=unit_id)


def _measure_engine(engine: str, db: Database, units: int, runs: int) -> tuple[list[Result], Any]:
    """build_summary on one engine: the figures alone (detail=False: the web overview, the target), every line
    (detail=True: what the files need), one unit's summary; peak memory and query counts."""
    results: list[Result] = []
    summary = None
    ways = (("figures (detail=False)", False, TARGET_FIGURES_S), ("every line (detail=True)", True, None))
    for period in ("2026-Q2", "2026-Q4"):
        for name, detail, target in ways:
            times, value = _timed(_summary_call(db, period, detail=detail), runs)
            if detail and period == "2026-Q2":
                summary = value
            median = statistics.median(times)
            lines = value.totals.lines
            label = (f"{engine} build_summary {period}, {name} ({units} units, {lines:,} lines; {_spread(times)} s; "
                     f"{_cpu()}; {_load()})")
            results.append(Result("summary", label, round(median * 1000, 1), "ms",
                                  f"< {target * 1000:.0f} ms" if target else "", median < target if target else None))
    for name, detail, _target in ways:
        results.append(Result("summary", f"{engine} build_summary 2026-Q2, {name}: peak memory",
                              round(_peak_mib(_summary_call(db, "2026-Q2", detail=detail)), 1), "MiB"))
        queries = _statements(db, _summary_call(db, "2026-Q2", detail=detail))
        expected = QUERIES_FULL if detail else QUERIES_FIGURES
        results.append(Result("summary", f"{engine} build_summary, {name}: SQL queries ({units} units)", queries, "",
                              f"constant ({expected})", queries == expected))
    unit = units // 2
    for name, detail, _target in ways:
        times, value = _timed(_summary_call(db, "2026-Q2", detail=detail, unit_id=unit), runs)
        results.append(Result("summary", f"{engine} build_summary 2026-Q2, one unit, {name} "
                              f"({value.totals.lines} lines; {_spread(times, 1000, 1)} ms)",
                              round(statistics.median(times) * 1000, 1), "ms"))
    return results, summary


def _json_to_file(summary: Any) -> int:
    """write_json streamed to a temporary file; returns the file's size."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        write_json(summary, out)
        return out.tell()


def _measure_formats(summary: Any, runs: int) -> list[Result]:
    results: list[Result] = []
    renderers: dict[str, Callable[[], Any]] = {
        "text": lambda: render_text(summary), "json": lambda: render_json(summary),
        "json streamed to a file": lambda: _json_to_file(summary),
        "xlsx": lambda: render_xlsx(summary), "docx": lambda: render_docx(summary),
        "png": lambda: render_png(summary),
    }
    for name, fn in renderers.items():
        times, output = _timed(fn, runs)
        median = statistics.median(times)
        size = output if isinstance(output, int) else (
            sum(len(c) for c in output) if isinstance(output, list) else len(output))
        results.append(Result("summary", f"render {name} ({len(summary.tasks):,} lines, {size / 2**20:.1f} MiB out; "
                              f"{_spread(times, digits=2)} s; {_cpu()}; {_load()})", round(median, 2), "s",
                              f"< {TARGET_FILE_S:.0f} s",
                              median < TARGET_FILE_S))
        results.append(Result("summary", f"render {name} peak memory", round(_peak_mib(fn), 1), "MiB"))
    return results


def _entry_point() -> list[str]:
    script = Path(sys.executable).with_name("nhacviec")
    return [str(script)] if script.exists() else [shutil.which("nhacviec") or "nhacviec"]


def _measure_command(engine: str, url: str, runs: int, db: Database | None = None) -> list[Result]:
    """`nhacviec summary --period 2026-Q2 --format xlsx` as a user runs it: a fresh process, start to exit; and
    beside it (with `db`) the same work in process: build_summary (every line) and render_xlsx."""
    results: list[Result] = []
    if db is not None:
        build = _summary_call(db, "2026-Q2")
        times, _ = _timed(lambda: render_xlsx(build()), runs)
        results.append(Result("summary", f"{engine}: build_summary + render_xlsx in process, what the command does "
                              f"after its imports ({_spread(times, digits=2)} s; {_cpu()})",
                              round(statistics.median(times), 2), "s"))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tong-hop.xlsx"
        argv = [*_entry_point(), "summary", "--period", "2026-Q2", "--format", "xlsx", "--out", str(out)]
        env = {**os.environ, "DATABASE_URL": url}

        cpu: list[float] = []

        def command() -> None:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(argv, check=True, capture_output=True, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

        times, _ = _timed(command, runs)
        command_cpu = statistics.median(cpu[1:])  # the warm-up run left out, as from the times
        size = out.stat().st_size
    median = statistics.median(times)
    return [*results, Result("summary", f"{engine}: nhacviec summary --format xlsx, start to exit "
                                        f"({size / 2**20:.1f} MiB; {_spread(times, digits=2)} s; the process's CPU "
                                        f"median {command_cpu:.2f} s; {_load()})",
                             round(median, 2), "s", f"< {TARGET_COMMAND_S:.0f} s", median < TARGET_COMMAND_S)]


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def run(quick: bool = False) -> list[Result]:
    units = 50 if quick else 1000
    runs = 3 if quick else 5
    results: list[Result] = []
    start = time.perf_counter()
    sqlite, built = sqlite_database(units)
    with sqlite.engine.connect() as connection:
        reports = connection.execute(text("select count(*) from statusreport")).scalar_one()
    results.append(Result("summary", f"dataset: {units} units, {units * TASKS_PER_UNIT:,} tasks, {reports:,} reports "
                          f"({'generated' if built else 'cached'} SQLite)", round(time.perf_counter() - start, 1),
                          "s"))
    sqlite_results, summary = _measure_engine("sqlite", sqlite, units, runs)
    results += sqlite_results
    results += _measure_formats(summary, runs)
    results += _measure_command("sqlite", str(sqlite.engine.url), runs, sqlite)
    sqlite.dispose()

    try:
        with PostgresDatabase() as pg:
            start = time.perf_counter()
            load_postgres(pg, units)
            count_lines(pg)
            results.append(Result("summary", "postgresql: dataset generated and loaded with COPY, line counters filled",
                                  round(time.perf_counter() - start, 1), "s"))
            results += _measure_engine("postgresql", pg, units, runs)[0]
            results += _measure_command("postgresql", pg.engine.url.render_as_string(hide_password=False), runs, pg)
    except OperationalError as exc:  # PostgreSQL unreachable: say so in the table instead of failing the run
        if os.environ.get("CI") == "true":
            raise
        results.append(Result("summary", f"postgresql unreachable, skipped ({exc.__class__.__name__})", 0))
    return results


def _main() -> None:  # pragma: no cover - `python -m bench.bench_summary [--quick]`
    for row in run(quick="--quick" in sys.argv):
        print(row.line(), flush=True)


if __name__ == "__main__":  # pragma: no cover
    _main()
