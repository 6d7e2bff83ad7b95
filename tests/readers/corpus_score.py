"""The labelled reply corpus (tests/readers/corpus/*.jsonl) and how the reply reader scores on it.

Shared by tests/readers/test_corpus.py (floors on the training part) and bot/readers/reply_model_build.py
(`make reply-model-cross`: each writer scored with a model trained on the others, every figure and per family).
Run it alone for the figures of one part with the shipped model and with the rules alone:

    .venv/bin/python -m tests.readers.corpus_score train        # or: spent (w18 + w19 alone), held_back (once)

SPLIT.md in the corpus folder says who wrote which file and which part it is.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.readers.status import UNKNOWN, StatusReading, read_reply, read_reply_with

Reader = Callable[[str, date], StatusReading]

CORPUS = Path(__file__).parent / "corpus"
PARTS: dict[str, tuple[str, ...]] = {
    # rules and the model may be tuned on these (w3..w19 were held back once each, scored, then spent)
    "train": tuple(f"w{n}.jsonl" for n in range(1, 20)),
    # w20 + w21: written by two new writers during round 11, never opened while tuning; scored once after round 11
    # (SPLIT.md), then spent
    "held_back": ("w20.jsonl", "w21.jsonl"),
    "spent": ("w18.jsonl", "w19.jsonl"),  # the last held-back part, scored once after round 10, now in "train"
}


def load(part: str) -> list[dict[str, Any]]:
    return load_files(CORPUS, PARTS[part])


def load_files(folder: Path, names: tuple[str, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in names:
        path = folder / name
        if path.exists():
            rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return rows


@dataclass
class Score:
    replies: int = 0
    status_right: int = 0
    committed: int = 0  # replies the bot records without asking back (not "unknown", not about several tasks)
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
    by_family: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
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


    def report(self, title: str) -> str:
        """Every figure, then per family: status right, committed-right and asked back."""
        lines = [f"== {title}: {self.replies} replies",
                 "   " + ", ".join(f"{k} {v}" for k, v in self.figures().items())]
        for family, (right, committed, committed_right, asked, n) in sorted(self.family_figures().items()):
            lines.append(f"   {family:18} status {100 * right / n:5.1f}%  committed-right "
                         f"{100 * committed_right / committed if committed else 0:5.1f}%  asked {100 * asked / n:5.1f}%"
                         f"  ({n})")
        return "\n".join(lines)

    def family_figures(self) -> dict[str, tuple[int, int, int, int, int]]:
        """Per family: status right, committed, committed right, asked back, replies."""
        return {family: (f[0], f[2], f[3], f[4], f[1]) for family, f in self.by_family.items()}


def _read(text: str, today: date) -> StatusReading:
    return read_reply(text, today=today)


def score(rows: list[dict[str, Any]], reader: Reader = _read) -> Score:
    return score_into(None, rows, reader)


def score_into(result: Score | None, rows: list[dict[str, Any]], reader: Reader = _read) -> Score:
    """Add the scores of `rows` to `result` (a new Score when None)."""
    result = Score() if result is None else result
    for row in rows:
        today = date.fromisoformat(row["today"])
        started = time.perf_counter()
        reading = reader(row["text"], today)
        result.ms.append((time.perf_counter() - started) * 1000)
        result.replies += 1
        right = reading.status == row["status"]
        result.status_right += right
        family = result.by_family[row["family"]]
        family[0] += right
        family[1] += 1
        if not right:
            result.misses.append((row["id"], row["text"], row["status"], reading.status))
        if not reading.needs_asking:  # recorded without asking back (a reply about several tasks is asked back)
            result.committed += 1
            result.committed_right += right
            family[2] += 1
            family[3] += right
        else:
            family[4] += 1
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


def main(argv: list[str]) -> int:
    part = argv[0] if argv else "train"
    rows = load(part)
    print(score(rows).report(f"{part}, rules + shipped model"))
    rules = score(rows, lambda text, today: read_reply_with(text, today=today, model=None))
    print(rules.report(f"{part}, rules alone"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
