"""The layer import graph (bot/devtools/imports.py), run as a developer runs it: `python -m bot.devtools.imports`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LAYERS = ("base", "storage", "domain", "scheduler", "handlers", "adapters", "wiring", "dev")


def run(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.devtools.imports", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_layers_import_only_downwards() -> None:
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("no upward arrow, no cycle")
    printed = [line.split(" (")[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert printed[: len(LAYERS)] == list(LAYERS)  # every layer, bottom to top, then dev tools


def write(root: Path, path: str, source: str = "") -> None:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(source, encoding="utf-8")


def test_an_upward_arrow_a_dev_tool_a_cycle_and_an_unplaced_package_fail(tmp_path: Path) -> None:
    for package in ("bot", "bot/base", "bot/chat", "bot/demo", "storage", "scheduler", "handlers", "tests"):
        write(tmp_path, f"{package}/__init__.py")
    write(tmp_path, "bot/base/clock.py", "from storage.models import Plan\n")  # base -> storage: upward
    write(tmp_path, "storage/models.py", "def f():\n    from bot.demo import play\n")  # a lazy import counts
    write(tmp_path, "bot/chat/steps.py", "import handlers.nudge\n")
    write(tmp_path, "handlers/nudge.py", "from bot.chat import steps\n")  # same layer, but a cycle
    write(tmp_path, "scheduler/jobs.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                         "    from bot.chat.steps import x\n")  # type-only counts too
    write(tmp_path, "bot/newthing.py")
    write(tmp_path, "tests/test_x.py", "from bench.hostile import MB\n")
    result = run(root=tmp_path)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if ": " in line and not line.startswith(" ")]
    assert problems == [
        "note: tests -> bench in 1 files: tests/test_x.py:1",
        "unplaced: bot.newthing (name its layer in bot/devtools/imports.py PLACES)",
        "upward: bot.base (base) -> storage (storage) in bot/base/clock.py:1",
        "upward: scheduler (scheduler) -> bot.chat (handlers) in scheduler/jobs.py:3 (types)",
        "dev tool: storage (storage) -> bot.demo in storage/models.py:2",
        "cycle: bot.chat <-> handlers",
    ]
    assert result.stdout.rstrip().endswith("5 problem(s)")
    clean = run("--ignore", "bot/base/clock.py", root=tmp_path)
    assert "upward: bot.base" not in clean.stdout and clean.returncode == 1
