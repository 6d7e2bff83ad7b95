"""How long `nhacviec` takes to answer light commands, as a user runs it: a fresh process each time.

Figures: wall time of `nhacviec --help`, `nhacviec calendar --year 2026` and `nhacviec explain timeframe …`
(median with min-max over the runs); the target for these is < 0.3 s (the heavy libraries load only in the
commands that use them).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.result import Result

BENCH = "cli"
TARGET_S = 0.3
LIGHT_COMMANDS = (["--help"], ["calendar", "--year", "2026"], ["explain", "timeframe", "Quý II/2026"])


def _entry_point() -> list[str]:
    script = Path(sys.executable).with_name("nhacviec")
    return [str(script)] if script.exists() else [shutil.which("nhacviec") or "nhacviec"]


def _wall_seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


def run(quick: bool) -> list[Result]:
    runs = 3 if quick else 11
    results = []
    for args in LIGHT_COMMANDS:
        argv = _entry_point() + args
        _wall_seconds(argv)  # warm the file cache
        times = [_wall_seconds(argv) for _ in range(runs)]
        median = statistics.median(times)
        label = "nhacviec " + " ".join(a if " " not in a else f"'{a}'" for a in args)
        print(f"{label}: median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f}, {runs} runs)")
        figure = f"{label}: start to exit, median of {runs} (min {min(times):.3f}, max {max(times):.3f} s)"
        results.append(Result(BENCH, figure, round(median, 3), "s",
                              f"< {TARGET_S} s", median < TARGET_S))
    return results


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(result.line())
