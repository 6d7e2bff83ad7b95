"""The staff reply reader: accuracy on the reply table, on unseen replies, date phrases against dateparser, speed.

Accuracy: every row of tests/readers/status_cases.py (CASES, which the tests also check, so anything under
100% there is a regression) and UNSEEN (written after tuning, never tuned on: the honest figure). Date
phrases: the reader against `dateparser_date` alone on the same words (DATE_PHRASES and every table row that
has a date). Speed: each table reply read `rounds` times; median and p95 of one read.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime

from bench.result import Result
from bot.base.clock import VN_TZ
from bot.readers.dates import dateparser_date
from bot.readers.status import read_reply
from tests.readers.status_cases import CASES, DATE_PHRASES, TODAY, UNSEEN, Case

BENCH = "readers_status"
TARGET_MEDIAN_MS = 1.0


def _fields(case: Case) -> dict[str, bool]:
    reading = read_reply(case.text, today=case.today)
    return {
        "status": reading.status == case.status,
        "percent": reading.percent == case.percent,
        "date": reading.expected_date == case.date,
        "blocker": reading.blocker == case.blocker,
        "all": (reading.status, reading.percent, reading.expected_date, reading.blocker, reading.document_ref,
                tuple((q.value, q.unit) for q in reading.quantities))
        == (case.status, case.percent, case.date, case.blocker, case.doc, case.quantities),
    }


def _accuracy(name: str, cases: tuple[Case, ...], target: float | None) -> list[Result]:
    checks = [_fields(c) for c in cases]
    results = []
    for field in ("status", "percent", "date", "blocker", "all"):
        share = 100.0 * sum(c[field] for c in checks) / len(cases)
        ok = None if target is None else share >= target
        results.append(Result(BENCH, f"{name}: {field} exact ({len(cases)} replies)", round(share, 1), "%",
                              f">= {target:g} %" if target is not None else "", ok))
    failing = [c for c, check in zip(cases, checks, strict=True) if not check["all"]]
    for case in failing:
        got = read_reply(case.text, today=case.today)
        print(f"    miss [{name}] {case.text!r}: expected {case.status}/{case.percent}/{case.date}/{case.blocker!r},"
              f" got {got.status}/{got.percent}/{got.expected_date}/{got.blocker!r}")
    return results


def _date_scores(name: str, phrases: list[tuple[str, date, date]]) -> list[Result]:
    ours = theirs = 0
    for phrase, expected, today in phrases:
        reader = read_reply(phrase, today=today).expected_date
        baseline = dateparser_date(phrase, base=datetime(today.year, today.month, today.day, 12, tzinfo=VN_TZ))
        ours += reader == expected
        theirs += baseline == expected
        print(f"    {phrase[:56]!r:<58} {expected!s:<11} {reader!s:<11} {baseline}")
    n = len(phrases)
    return [
        Result(BENCH, f"{name}: reader exact ({n})", round(100.0 * ours / n, 1), "%", ">= 95 %",
               100.0 * ours / n >= 95),
        Result(BENCH, f"{name}: dateparser alone exact ({n})", round(100.0 * theirs / n, 1), "%"),
    ]


def _dates() -> list[Result]:
    print(f"    {'phrase':<58} {'expected':<11} {'reader':<11} dateparser")
    results = _date_scores("date phrases alone", [(p, expected, TODAY) for p, expected in DATE_PHRASES])
    rows = [(c.text, c.date, c.today) for c in CASES if c.date is not None]
    return results + _date_scores("replies with a date", rows)


def _speed(rounds: int) -> list[Result]:
    texts = [(c.text, c.today) for c in CASES]
    for text, today in texts:  # warm the caches once
        read_reply(text, today=today)
    per_reply: list[float] = []
    for _ in range(rounds):
        for text, today in texts:
            start = time.perf_counter_ns()
            read_reply(text, today=today)
            per_reply.append((time.perf_counter_ns() - start) / 1e6)
    median = statistics.median(per_reply)
    p95 = statistics.quantiles(per_reply, n=20)[-1]
    return [
        Result(BENCH, "median time per reply", round(median, 3), "ms", f"< {TARGET_MEDIAN_MS:g} ms",
               median < TARGET_MEDIAN_MS),
        Result(BENCH, "p95 time per reply", round(p95, 3), "ms"),
    ]


def run(quick: bool) -> list[Result]:
    results = _accuracy("table", CASES, 100.0)
    results += _accuracy("unseen", UNSEEN, None)
    results += _dates()
    results += _speed(3 if quick else 30)
    return results
