"""Hostile plan files (issue 20, finding 2): time and peak resident memory of reading each one as the bot does.

Each file is read in a fresh child process (`python -m bench.bench_bombs probe FILE`), so its peak RSS
(`wait4`'s ru_maxrss, and the parse worker's own peak, which it reports) is that file's alone. The child is
capped (address space `CAP_GB`, `TIMEOUT` seconds) so that measuring the old code cannot take the machine
down; a capped run is reported as "> cap". The continuation join is also timed alone, on rows already read.

Measured on main before issue 20 (2026-12-03, same machine, loaded): each of the 200 MB and 1 GB docx and
the 1,000,000-row xlsx still running when killed at 150 s, at 2,230 / 6,840 / 412 MiB peak RSS; the
continuation join of 100,000 rows alone also killed at 150 s.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.result import Result
from bot.devtools.hostile import GB, MB, continuation_document, continuation_sheet, paragraph_bomb

CAP_GB = 8
TIMEOUT = 150.0
RSS_TARGET_MB = 300
ROOT = Path(__file__).resolve().parents[1]


def _probe(path: str) -> None:
    """In the child: read the file through the bot's entry point, print the outcome as one JSON line."""
    from bot.base.errors import UserError

    parser: Any = None
    try:  # the guarded entry (bounds, a worker process, a time limit), where it exists
        from bot.importer.worker import PlanParser

        parser = PlanParser(seconds=TIMEOUT)
        entry = parser.parse
    except ImportError:
        from bot.importer.parse import parse_plan as entry  # main before issue 20
    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        plan = entry(data, Path(path).name, plan_year=2026)
        outcome = f"read: {len(plan.items)} items"
    except UserError as exc:
        outcome = f"refused: {exc}"
    worker = parser.last_peak_mb if parser is not None else 0.0  # the worker is not this process's child
    print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome, "worker_mb": worker}),
          flush=True)


def _join(rows: int) -> None:
    """In the child: the extractor alone on `rows` continuation rows."""
    from bot.importer.extract import extract

    doc = continuation_document(rows)
    start = time.perf_counter()
    items = extract(doc).items
    print(json.dumps({"seconds": time.perf_counter() - start, "outcome": f"{len(items)} item"}), flush=True)


def _limit() -> None:
    cap = CAP_GB * GB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def measure(*args: str) -> tuple[float | None, float, str]:
    """(seconds or None when capped, peak RSS MiB, outcome) of one child run."""
    cmd = [sys.executable, "-m", "bench.bench_bombs", *args]
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen(cmd, cwd=Path.cwd(), stdout=out_file, stderr=err_file,
                                preexec_fn=_limit)  # the cap must be set in the child
        start = time.monotonic()
        while True:  # wait4, not Popen.wait: its rusage is the child's own (and its workers')
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > TIMEOUT:
                proc.kill()
                _, _, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = -1  # reaped here
        elapsed = time.monotonic() - start
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    peak = usage.ru_maxrss / 1024
    line = next((x for x in reversed(out.splitlines()) if x.startswith("{")), None)
    if line is None:
        reason = f"killed after {elapsed:.0f} s" if elapsed >= TIMEOUT else (err.strip().splitlines() or ["?"])[-1]
        return None, peak, f"no answer ({reason[:120]})"
    found = json.loads(line)
    return found["seconds"], max(peak, found.get("worker_mb", 0.0)), found["outcome"]


def run(quick: bool) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        files = [("docx, 200 MB of paragraphs", "paragraphs.docx", lambda: paragraph_bomb(200 * MB)),
                 # the worst files the declared sizes let through: read until a count stops them
                 ("docx, 31 MB of paragraphs (under the part bound)", "under.docx", lambda: paragraph_bomb(31 * MB)),
                 ("xlsx, 1 task + 49,000 continuation rows (under the row bound)", "under.xlsx",
                  lambda: continuation_sheet(49_000))]
        if not quick:
            files += [("docx, 1 GB of paragraphs", "gigabyte.docx", lambda: paragraph_bomb(GB)),
                      ("xlsx, 1 task + 1,000,000 continuation rows", "rows.xlsx",
                       lambda: continuation_sheet(1_000_000))]
        for label, name, build in files:
            path = Path(folder) / name
            path.write_bytes(build())
            seconds, peak, outcome = measure("probe", str(path))
            size = f"{path.stat().st_size / 1024:,.0f} KB"
            print(f"  {label} ({size}): {outcome[:160]}", flush=True)
            results += _figures(f"{label} ({size})", seconds, peak)
        for rows in (100_000,) if quick else (100_000, 1_000_000):
            seconds, peak, outcome = measure("join", str(rows))
            results.append(Result("bombs", f"continuation join, {rows:,} rows", seconds if seconds is not None
                                  else TIMEOUT, "s" if seconds is not None else "s (capped)",
                                  "linear", None))
    return results


def _figures(label: str, seconds: float | None, peak: float) -> list[Result]:
    time_value, time_unit = (seconds, "s") if seconds is not None else (TIMEOUT, "s (killed at the cap)")
    return [Result("bombs", f"{label}: time", time_value, time_unit),
            Result("bombs", f"{label}: peak RSS", peak, "MiB", f"< {RSS_TARGET_MB} MiB", peak < RSS_TARGET_MB)]


if __name__ == "__main__":
    if sys.argv[1] == "probe":
        _probe(sys.argv[2])
    elif sys.argv[1] == "join":
        _join(int(sys.argv[2]))
