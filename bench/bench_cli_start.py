"""How long `nhacviec` takes to answer light commands, as a user runs it: a fresh process each time.

Figures: wall time of the light commands, those that need no database (`nhacviec --help`, `--version`,
`calendar --year 2026`, `explain timeframe …`, `explain status …`, `units --help`), median with min-max over
the runs; the target for these is < 0.3 s (the heavy libraries load only in the commands that use them).
The machine's load average is printed beside the figures: on a shared machine it moves them; the median CPU
time (user + system) of the process, beside them too, moves less.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.result import Result

BENCH = "cli"
TARGET_S = 0.3
LIGHT_COMMANDS = (
    ["--help"],
    ["--version"],
    ["calendar", "--year", "2026"],
    ["explain", "timeframe", "Quý II/2026"],
    ["explain", "status", "xong 80%"],
    ["units", "--help"],
)


def _entry_point() -> list[str]:
    script = Path(sys.executable).with_name("nhacviec")
    return [str(script)] if script.exists() else [shutil.which("nhacviec") or "nhacviec"]


def _wall_and_cpu_seconds(argv: list[str]) -> tuple[float, float]:
    """Start to exit, and the CPU time (user + system) the process used: that one moves less with the load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _load_average() -> str:
    """The 1-minute load average beside the core count, e.g. "5.52 on 2 cores" ("?" where /proc is absent)."""
    try:
        one_minute = Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        one_minute = "?"
    return f"{one_minute} on {os.cpu_count()} cores"


def run(quick: bool) -> list[Result]:
    runs = 3 if quick else 11
    results = []
    for args in LIGHT_COMMANDS:
        load = _load_average()
        argv = _entry_point() + args
        _wall_and_cpu_seconds(argv)  # warm the file cache
        measured = [_wall_and_cpu_seconds(argv) for _ in range(runs)]
        times = [wall for wall, _ in measured]
        median = statistics.median(times)
        cpu = statistics.median(cpu for _, cpu in measured)
        label = "nhacviec " + " ".join(a if " " not in a else f"'{a}'" for a in args)
        spread = f"min {min(times):.3f}, max {max(times):.3f} s; CPU {cpu:.3f} s; load average {load}"
        print(f"{label}: median {median:.3f} s ({spread}, {runs} runs)")
        figure = f"{label}: start to exit, median of {runs} ({spread})"
        results.append(Result(BENCH, figure, round(median, 3), "s", f"< {TARGET_S} s", median < TARGET_S))
    return results


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(result.line())
