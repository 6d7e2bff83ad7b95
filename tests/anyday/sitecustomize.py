"""Loaded by `make test-anyday` only (it puts this folder on PYTHONPATH, so child processes load it too).

Debian's libfaketime 0.9.10 with FAKETIME_DONT_FAKE_MONOTONIC breaks Python 3.11's time.sleep: Python sleeps with
clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) and libfaketime shifts that absolute monotonic deadline by the fake
offset, so every call fails with EINVAL (wolfcw/libfaketime#426). select() takes a relative timeout and is left
alone, so under faketime time.sleep waits with select instead. Without faketime this module changes nothing.
"""

from __future__ import annotations

import os
import select
import time


def _sleep_with_select(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([], [], [], left)


if os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") and "faketime" in os.environ.get("LD_PRELOAD", ""):
    time.sleep = _sleep_with_select
