"""Closest-name suggestions at the size of a real province directory: ~1,000 units and their aliases.

The directory is the communes and wards of the first provinces of the 2025 dataset (the `communes` extra) up to
`units`, plus the usual departments; the unknown names are commune-like and department-like names nobody
registered (each suggestion looks only at names sharing a telling word or the initials). Figures: building the
index once per directory, and one unknown name's suggestions (median and p95).
"""

from __future__ import annotations

import statistics
import time

from bench.result import Result
from bot.datasets.communes import communes, provinces
from bot.datasets.departments import departments
from bot.directory.resolve import UnitDirectory

BENCH = "closest"
TARGET_MS = 10.0


def _directory(units: int) -> UnitDirectory:
    directory = UnitDirectory()
    number = 0
    for d in departments():
        number += 1
        local = d.for_province(name="Sơn La", city=False)
        directory.add_unit(number, local.name, list(local.aliases))
    for province in provinces():
        for commune in communes(province):
            if number >= units:
                return directory
            number += 1
            directory.add_unit(number, commune.unit_name, list(commune.offered().aliases))
    return directory


def run(quick: bool = False) -> list[Result]:
    units = 300 if quick else 1000
    directory = _directory(units)
    started = time.perf_counter()
    directory.suggest("Sở Tài nguyên")  # builds the index
    build_ms = (time.perf_counter() - started) * 1000
    unknown = ([f"UBND xã Tân Lập {n}" for n in range(100)] + [f"Phòng Văn hóa {n} Xã hội" for n in range(50)]
               + [f"Sở Giao thông {n}" for n in range(50)] + [f"UBND phuong Chieng {n}" for n in range(100)])
    times = []
    for name in unknown:
        started = time.perf_counter()
        directory.suggest(name)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[18]
    return [
        Result(BENCH, f"index of {units} units and aliases", round(build_ms, 1), "ms"),
        Result(BENCH, f"one unknown name, median ({len(unknown)} names)", round(median, 2), "ms",
               f"< {TARGET_MS:g} ms", median < TARGET_MS),
        Result(BENCH, "one unknown name, p95", round(p95, 2), "ms"),
    ]
