"""The overview's cold path alone, for profiling: build_summary(detail=False) at province scale (bench_summary's
dataset) on SQLite and PostgreSQL, and optionally the web overview's first view (bench_web's figures).

    python -m bench.cold_summary [--runs 7] [--engine sqlite|postgresql ...] [--web] [--sections]

Each figure: the median of `--runs` calls after a warm-up, with min and max, the CPU median of this process
(on SQLite that includes the database's work; on PostgreSQL the server's is not in it) and the load average
(the machine is shared: the wall time moves with the load, the CPU time less). `--sections` adds the CPU and
wall time spent in each storage.summary query and each step of the aggregate path. SQLite runs on a private copy
of bench_summary's cached file (migrated here; the shared cache is never migrated); PostgreSQL on a throwaway
database loaded with COPY (about 4 minutes on 2 cores). Not part of `python -m bench` (no README rows).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import bench_web
from bench.bench_summary import (
    CACHE_DIR,
    DATA_VERSION,
    PostgresDatabase,
    _statements,
    _summary_call,
    count_lines,
    load_postgres,
    sqlite_database,
)
from storage.database import Database
from storage.migrate import upgrade

UNITS = 1000
QUERIES = ("tallied_sets", "tallied_counts", "line_counts", "reporter_names", "unit_names", "named_reports",
           "marked_tasks", "status_rows", "line_rows", "support_rows", "current_rows", "plan_row", "period_rows",
           "unassigned_rows")
STEPS = ("_aggregate", "_count_groups", "_named", "_overdue_sample", "_units_from_counts")


def _load() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _figures(db: Database, engine: str, runs: int) -> None:
    for period in ("2026-Q2", "2026-Q4"):
        call = _summary_call(db, period, detail=False)
        call()
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            start, used = time.perf_counter(), time.process_time()
            call()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - used)
        print(f"{engine} build_summary {period} detail=False: median {statistics.median(wall) * 1000:.0f} ms "
              f"(median of {runs}, min {min(wall) * 1000:.0f}, max {max(wall) * 1000:.0f}; CPU median "
              f"{statistics.median(cpu) * 1000:.0f} ms; {_load()})", flush=True)
    print(f"{engine} build_summary detail=False: {_statements(db, _summary_call(db, '2026-Q2', detail=False))} "
          "SQL queries", flush=True)


def _sections(db: Database, engine: str, runs: int) -> None:
    """CPU and wall time per query and per step of the aggregate path (the functions wrapped for the run)."""
    import bot.summary.build as build
    import storage.summary as rows

    spent: dict[str, list[tuple[float, float]]] = defaultdict(list)
    saved: list[tuple[Any, str, Any]] = []

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start, used = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name].append((time.process_time() - used, time.perf_counter() - start))
        return wrapper

    for module, names in ((rows, QUERIES), (build, STEPS)):
        for name in names:
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, timed(name, getattr(module, name)))
    try:
        call = _summary_call(db, "2026-Q2", detail=False)
        call()
        spent.clear()
        for _ in range(runs):
            call()
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)
    for name, times in sorted(spent.items(), key=lambda item: -sum(t[0] for t in item[1])):
        print(f"  {engine} {name:20} CPU {sum(t[0] for t in times) / runs * 1000:6.1f} ms, wall "
              f"{sum(t[1] for t in times) / runs * 1000:6.1f} ms per summary", flush=True)


def _web(db: Database, engine: str, runs: int) -> None:
    bench_web.COLD_RUNS = runs
    for row in bench_web._measure(db, UNITS, f"{engine}: "):
        if "overview" in row.figure:
            print(f"  {row.line()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_summary")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--engine", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--web", action="store_true", help="the web overview's first views too (bench_web)")
    parser.add_argument("--sections", action="store_true", help="the time of each query and step")
    args = parser.parse_args()
    engines = args.engine or ["sqlite", "postgresql"]

    def measure(db: Database, engine: str) -> None:
        _figures(db, engine, args.runs)
        if args.sections:
            _sections(db, engine, args.runs)
        if args.web:
            _web(db, engine, args.runs)

    if "sqlite" in engines:
        source = CACHE_DIR / f"nhacviec-bench-summary-{DATA_VERSION}-{UNITS}u.db"
        if not source.exists():
            sqlite_database(UNITS)[0].dispose()  # generated once (a few minutes), at the schema it was made with
        folder = Path(tempfile.mkdtemp(prefix="nv-cold-summary-"))
        try:
            shutil.copyfile(source, folder / "cold.db")
            db = Database(f"sqlite:///{folder / 'cold.db'}")
            upgrade(db)
            count_lines(db)
            measure(db, "sqlite")
            db.dispose()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if "postgresql" in engines:
        with PostgresDatabase() as pg:
            start = time.perf_counter()
            load_postgres(pg, UNITS)
            count_lines(pg)
            print(f"postgresql: dataset loaded in {time.perf_counter() - start:.0f} s", flush=True)
            measure(pg, "postgresql")


if __name__ == "__main__":  # pragma: no cover
    main()
