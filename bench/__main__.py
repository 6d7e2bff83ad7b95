"""Run every benchmark module and write the results table into README.md.

Each `bench/bench_<name>.py` exposes `run(quick: bool) -> list[Result]`. `--only NAME` runs one and rewrites
only its rows of the README table; `--quick` uses smaller inputs (a fast look that leaves the README alone).
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.result import Result

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines()
                          if x.startswith("MemTotal")).split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "?"
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", action="append", help="run only this benchmark (name after bench_)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs; does not touch README")
    args = parser.parse_args()
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m.removeprefix("bench_") in args.only]
    results: list[Result] = []
    for name in modules:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        rows = module.run(quick=args.quick)
        for row in rows:
            print("  " + row.line(), flush=True)
        results.extend(rows)
    if not args.quick:
        write_readme(results, partial=bool(args.only))
    return 0 if all(r.ok is not False for r in results) else 1


def write_readme(results: list[Result], *, partial: bool = False) -> None:
    """Write the results table; a partial run (--only) replaces only its benchmarks' rows and says so."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    header = [f"Measured {stamp} on {machine()}."]
    rows = [r.table_row() for r in results]
    old = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, flags=re.S)
    if partial and old:
        rerun = {r.bench for r in results}
        old_lines = old.group(1).splitlines()
        header = [x for x in old_lines if x and not x.startswith("|")]
        header.append(f"Re-measured {stamp} (`python -m bench --only`): {', '.join(sorted(rerun))}.")
        kept = [x for x in old_lines if x.startswith("| ") and not x.startswith("| benchmark")
                and x.split("|")[1].strip() not in rerun]
        rows = sorted(kept + rows, key=lambda row: row.split("|")[1].strip())  # stable: keeps each bench's order
    lines = [START, *header, "", "| benchmark | figure | value | target | met |", "|---|---|---|---|---|", *rows, END]
    block = "\n".join(lines)
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
    print(f"README.md updated ({len(results)} figures)")


if __name__ == "__main__":
    sys.exit(main())
