"""A burst of replies to `nhacviec run` (a real process): every one stored once and confirmed.

The 5,000-reply measurement (replies/s, time to confirmation) is bench/bench_replies.py (both drive
bot/devtools/reply_burst.py); this is its
correctness check at 500 replies (100 staff x 5 cards), with Telegram's limits on for the answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.devtools.reply_burst import burst


async def test_a_burst_of_500_replies_is_stored_and_confirmed(tmp_path: Path) -> None:
    figures = await burst(tmp_path, units=100)
    print(f"\n{figures}")
    assert figures.replies == 500
    assert figures.lost == 0 and figures.applied_twice == 0
    assert figures.confirmed == 500


@pytest.mark.faults
async def test_a_burst_of_5000_replies_is_stored_and_confirmed(tmp_path: Path) -> None:
    figures = await burst(tmp_path, units=1000)
    print(f"\n{figures}")
    assert figures.replies == 5000 and figures.lost == 0 and figures.applied_twice == 0
    assert figures.confirmed == 5000
