"""Staff replies at the cutoff rush: `nhacviec run` (a real process, SQLite) against the sandbox with Telegram's
limits ON (30 messages/s overall, 1/s per chat, bursts of 3).

Two loads, each in a fresh world (one unit per staff member, private chats, task cards delivered first):
- sustained: replies typed at a steady 20/s, spread over many people;
- burst: every reply typed at once (5,000 in the full run: 1,000 staff x 5 cards).

Figures, each the median of the runs with its min and max: time from a reply typed (the sandbox accepted it)
to stored (its journal entry's `received_at`, written in the transaction that records the report) and to the
bot's answer reaching the sandbox; for the burst, the time until every reply was stored, and the answers' pace
(first to last answer) against the 30/s limit. Lost and applied twice are summed over every run (both 0).
The load starts SETTLE_SECONDS after the bot said it is running.
"""
from __future__ import annotations

import asyncio
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.result import Result
from bot.devtools.reply_burst import (
    LIMIT_PER_SECOND,
    SUSTAINED_RATE,
    TASKS_PER_UNIT,
    RunFigures,
    all_at_once,
    at_rate,
    one_run,
)


def _runs(count: int, **kwargs: Any) -> list[RunFigures]:
    figures = []
    for _ in range(count):
        with tempfile.TemporaryDirectory() as tmp:
            figures.append(asyncio.run(one_run(Path(tmp), **kwargs)))
        print(f"  . {figures[-1]}", flush=True)
    return figures


def _spread(runs: list[RunFigures], field: str, scale: float = 1.0) -> tuple[float, str]:
    values = [getattr(r, field) * scale for r in runs]
    median = statistics.median(values)
    digits = 0 if scale == 1000 else 1
    return round(median, digits), (f"median of {len(values)}, min {min(values):.{digits}f}, "
                                   f"max {max(values):.{digits}f}")


def _rows(name: str, label: str, runs: list[RunFigures], wanted: list[tuple[str, str, float, str, str, Any]]
          ) -> list[Result]:
    rows = [
        Result(name, f"{label}: lost (all runs)", sum(r.lost for r in runs), "replies", "0",
               all(r.lost == 0 for r in runs)),
        Result(name, f"{label}: applied twice (all runs)", sum(r.applied_twice for r in runs), "replies", "0",
               all(r.applied_twice == 0 for r in runs)),
        Result(name, f"{label}: unanswered (all runs)", sum(r.replies - r.confirmed for r in runs), "replies", "0",
               all(r.confirmed == r.replies for r in runs)),
        Result(name, f"{label}: answers refused 429 (all runs)",
               round(100 * sum(r.refused for r in runs) / max(1, sum(r.confirmed for r in runs)), 2), "%", "<= 1%",
               sum(r.refused for r in runs) <= 0.01 * sum(r.confirmed for r in runs)),
    ]
    for field, figure, scale, unit, target, ok in wanted:
        value, spread = _spread(runs, field, scale)
        rows.append(Result(name, f"{label}: {figure} ({spread})", value, unit, target, ok(value)))
    return rows


def run(quick: bool) -> list[Result]:
    count = 1 if quick else 5
    # sustained: 20 replies/s for 10 s (quick) or 30 s, each person answering every 5-10 s
    sustained_units, sustained_tasks = (100, 2) if quick else (200, 3)
    sustained = _runs(count, units=sustained_units, tasks_per_unit=sustained_tasks,
                      typing=lambda sandbox, people, cards: at_rate(sandbox, people, cards, SUSTAINED_RATE))
    burst_units = 100 if quick else 1000  # x5 tasks: 500 or 5,000 replies
    bursts = _runs(count, units=burst_units, tasks_per_unit=TASKS_PER_UNIT, typing=all_at_once)
    n = burst_units * TASKS_PER_UNIT
    floor = 0.95 * LIMIT_PER_SECOND
    name = "replies"
    return [
        *_rows(name, f"{SUSTAINED_RATE:g} replies/s for {sustained_units * sustained_tasks / SUSTAINED_RATE:g} s",
               sustained, [
                   ("stored_p50", "reply -> stored, median", 1000, "ms", "< 250 ms", lambda v: v < 250),
                   ("stored_p95", "reply -> stored, p95", 1000, "ms", "< 500 ms", lambda v: v < 500),
                   ("confirmed_p50", "reply -> answer, median", 1000, "ms", "< 500 ms", lambda v: v < 500),
                   ("confirmed_p95", "reply -> answer, p95", 1000, "ms", "< 1000 ms", lambda v: v < 1000),
               ]),
        *_rows(name, f"burst of {n:,}", bursts, [
            ("all_stored", "first reply -> all stored", 1, "s", "< 30 s", lambda v: v < 30),
            ("stored_p50", "reply -> stored, median", 1, "s", "< 15 s", lambda v: v < 15),
            ("stored_p95", "reply -> stored, p95", 1, "s", "< 30 s", lambda v: v < 30),
            ("answer_pace", "answers' pace (first -> last answer)", 1, "answers/s",
             f">= {floor:g}/s (95% of 30/s)", lambda v: v >= floor),
            ("confirmed_p95", "reply -> answer, p95", 1, "s", f"< {n / floor:.0f} s (n at 95% of 30/s)",
             lambda v: v < n / floor),
        ]),
    ]
