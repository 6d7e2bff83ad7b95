"""Run every benchmark module and write the results table into README.md.

Each `bench/bench_<name>.py` exposes `run(quick: bool) -> list[Result]`. `--only NAME` runs one,
`--quick` uses smaller inputs (for a fast look; the README table comes from a full run).
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
    if not args.quick and not args.only:
        write_readme(results)
    return 0 if all(r.ok is not False for r in results) else 1


def write_readme(results: list[Result]) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [START, f"Measured {stamp} on {machine()}.", "",
             "| benchmark | figure | value | target | met |", "|---|---|---|---|---|"]
    lines += [r.table_row() for r in results]
    lines.append(END)
    block = "\n".join(lines)
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
    print(f"README.md updated ({len(results)} figures)")


if __name__ == "__main__":
    sys.exit(main())
