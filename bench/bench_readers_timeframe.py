"""The timeframe reader against its table (tests/readers/timeframe_cases.py), next to dateparser alone.

Figures:
- table accuracy: a case counts when deadlines, recurrence, completed and ad hoc all match;
- exact-date accuracy on the one-off single-date phrases ("Quý II/2026", "Trước 30/11/2026", ...),
  for the reader and for dateparser alone (`bot.readers.dates.dateparser_date`, day-first, based on
  1 January of the plan year); dateparser has no notion of quarters, stages or "Hằng năm";
- time per phrase (median and p95 over every phrase, each timed over many calls) for both.
The accuracy table with every phrase is printed, failures first.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, datetime

from bench.result import Result
from bot.base.clock import VN_TZ
from bot.readers.dates import dateparser_date
from bot.readers.timeframe import parse_timeframe
from tests.readers.timeframe_cases import CASES, Case

BENCH = "readers"
TARGET_MEDIAN_MS = 1.0


def _reader_ok(case: Case) -> bool:
    timeframe = parse_timeframe(case.text, case.plan_year)
    got = ([d.isoformat() for d in timeframe.deadlines], str(timeframe.recurrence), timeframe.completed,
           timeframe.ad_hoc)
    return got == (list(case.deadlines), case.recurrence, case.completed, case.ad_hoc)


def _dateparser_answer(case: Case) -> date | None:
    try:
        return dateparser_date(case.text or "", base=datetime(case.plan_year, 1, 1, tzinfo=VN_TZ))
    except Exception:  # dateparser raising is a miss, not a crash of the bench
        return None


def _per_call_ms(function: Callable[[], object], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) * 1000 / repeat


def _timings(phrases: list[Case], function: Callable[[Case], object], repeat: int) -> list[float]:
    function(phrases[0])  # warm-up (dateparser loads its language data on first use)
    return [_per_call_ms(lambda c=case: function(c), repeat) for case in phrases]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(quick: bool) -> list[Result]:
    repeat_reader, repeat_dateparser = (20, 2) if quick else (200, 10)
    reader_ok = {id(c): _reader_ok(c) for c in CASES}
    singles = [c for c in CASES if c.is_single_date]
    dateparser_ok = {id(c): _dateparser_answer(c) == date.fromisoformat(c.deadlines[0]) for c in singles}

    print(f"  {'ok':<3} {'dateparser':<10} {'source':<9} phrase")
    for case in sorted(CASES, key=lambda c: reader_ok[id(c)]):
        dp = "-" if id(case) not in dateparser_ok else ("ok" if dateparser_ok[id(case)] else "miss")
        mark = "ok" if reader_ok[id(case)] else "NO"
        print(f"  {mark:<3} {dp:<10} {case.source:<9} {case.text!r}")
    failing = [c.text for c in CASES if not reader_ok[id(c)]]
    print(f"  failing phrases ({len(failing)}): {failing}")

    reader_ms = _timings(list(CASES), lambda c: parse_timeframe(c.text, c.plan_year), repeat_reader)
    dateparser_ms = _timings(singles, _dateparser_answer, repeat_dateparser)
    table_accuracy = 100 * sum(reader_ok.values()) / len(CASES)
    single_reader = 100 * sum(reader_ok[id(c)] for c in singles) / len(singles)
    single_dateparser = 100 * sum(dateparser_ok.values()) / len(singles)
    reader_median = statistics.median(reader_ms)
    return [
        Result(BENCH, f"timeframe reader: table accuracy ({len(CASES)} phrases)", table_accuracy, "%", "= 100 %",
               table_accuracy == 100),
        Result(BENCH, f"timeframe reader: exact date, single-date phrases ({len(singles)})", single_reader, "%"),
        Result(BENCH, f"dateparser alone: exact date, same {len(singles)} phrases", single_dateparser, "%"),
        Result(BENCH, "timeframe reader: median per phrase", reader_median, "ms", f"< {TARGET_MEDIAN_MS:g} ms",
               reader_median < TARGET_MEDIAN_MS),
        Result(BENCH, "timeframe reader: p95 per phrase", _p95(reader_ms), "ms"),
        Result(BENCH, "dateparser alone: median per phrase", statistics.median(dateparser_ms), "ms"),
        Result(BENCH, "dateparser alone: p95 per phrase", _p95(dateparser_ms), "ms"),
    ]
