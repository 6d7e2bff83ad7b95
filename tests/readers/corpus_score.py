"""The labelled reply corpus (tests/readers/corpus/*.jsonl) and how the reply reader scores on it.

Shared by tests/readers/test_corpus.py (floors on the training part) and bench/bench_readers_corpus.py (every
figure, per family, on either part). SPLIT.md in the corpus folder says who wrote which file and which part it is.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.readers.status import UNKNOWN, read_reply

CORPUS = Path(__file__).parent / "corpus"
PARTS: dict[str, tuple[str, ...]] = {
    "train": ("w1.jsonl", "w2.jsonl"),  # the writers' first two files: rules may be tuned on these
    "held_back": ("w3.jsonl", "w4.jsonl"),  # never tuned on: scored, not read
}


def load(part: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in PARTS[part]:
        path = CORPUS / name
        if path.exists():
            rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return rows


@dataclass
class Score:
    replies: int = 0
    status_right: int = 0
    committed: int = 0  # replies the reader recorded a state for (not "unknown": those are asked back)
    committed_right: int = 0
    percent_labelled: int = 0
    percent_right: int = 0
    percent_spurious: int = 0  # a percent where the writer saw none
    date_labelled: int = 0
    date_right: int = 0
    date_spurious: int = 0
    blocked_labelled: int = 0
    blocker_found: int = 0
    parts_replies: int = 0
    parts_status_right: int = 0
    ms: list[float] = field(default_factory=list)
    by_family: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, text, expected, got

    @staticmethod
    def _pct(part: int, whole: int) -> float:
        return round(100.0 * part / whole, 1) if whole else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "status accuracy": self._pct(self.status_right, self.replies),
            "committed-right": self._pct(self.committed_right, self.committed),
            "ask-back rate": self._pct(self.replies - self.committed, self.replies),
            "wrongly asked back": self._pct(
                sum(1 for _, _, expected, got in self.misses if got == UNKNOWN and expected != UNKNOWN), self.replies),
            "percent exact": self._pct(self.percent_right, self.percent_labelled),
            "percent spurious": self._pct(self.percent_spurious, self.replies - self.percent_labelled),
            "date exact": self._pct(self.date_right, self.date_labelled),
            "date spurious": self._pct(self.date_spurious, self.replies - self.date_labelled),
            "blocker found": self._pct(self.blocker_found, self.blocked_labelled),
            "several parts: status": self._pct(self.parts_status_right, self.parts_replies),
            "median ms per reply": round(statistics.median(self.ms), 3) if self.ms else 0.0,
        }


def score(rows: list[dict[str, Any]]) -> Score:
    result = Score()
    for row in rows:
        today = date.fromisoformat(row["today"])
        started = time.perf_counter()
        reading = read_reply(row["text"], today=today)
        result.ms.append((time.perf_counter() - started) * 1000)
        result.replies += 1
        right = reading.status == row["status"]
        result.status_right += right
        family = result.by_family[row["family"]]
        family[0] += right
        family[1] += 1
        if not right:
            result.misses.append((row["id"], row["text"], row["status"], reading.status))
        if reading.status != UNKNOWN:
            result.committed += 1
            result.committed_right += right
        if row["percent"] is not None:
            result.percent_labelled += 1
            result.percent_right += reading.percent == row["percent"]
        elif reading.percent is not None and not (reading.status == "done" and reading.percent == 100):
            result.percent_spurious += 1
        got_date = reading.expected_date.isoformat() if reading.expected_date else None
        if row["date"] is not None:
            result.date_labelled += 1
            result.date_right += got_date == row["date"]
        elif got_date is not None:
            result.date_spurious += 1
        if row["status"] == "blocked":
            result.blocked_labelled += 1
            result.blocker_found += reading.blocker is not None
        if row.get("parts"):
            result.parts_replies += 1
            result.parts_status_right += right
    return result
