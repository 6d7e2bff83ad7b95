"""Score the prose extraction against hand-written gold labels (tests/importer/gold/*.json).

    .venv/bin/python -m bot.devtools.prose_score 004 01 02 03 04            # the tuning set, per document
    .venv/bin/python -m bot.devtools.prose_score --per-duty 01               # every gold duty: found or not, and how
    .venv/bin/python -m bot.devtools.prose_score --plans-dir DIR --gold-dir DIR KEY...

An extracted task matches a gold duty when their source lines are at most 2 apart (each task matches one
duty, nearest pairs first). Recall = matched duties / gold duties; precision = matched tasks / extracted tasks;
lead accuracy = matched pairs whose lead names are the same (compared by the importer's name key); deadline
accuracy = matched pairs whose gold has a deadline and the task's last deadline equals it.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.unitnames import name_key
from bot.importer import parse_plan
from bot.importer.items import ParsedItem

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "importer" / "gold"
WINDOW = 2


@dataclass
class Score:
    name: str
    gold: int = 0
    extracted: int = 0
    matched: int = 0
    lead_right: int = 0
    dated: int = 0
    deadline_right: int = 0
    rows: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for key in ("gold", "extracted", "matched", "lead_right", "dated", "deadline_right"):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    @staticmethod
    def _share(a: int, b: int) -> str:
        return f"{a / b:.0%} ({a}/{b})" if b else "-"

    def line(self) -> str:
        return (f"{self.name:<44} recall {self._share(self.matched, self.gold):<14} precision "
                f"{self._share(self.matched, self.extracted):<14} lead {self._share(self.lead_right, self.matched):<14}"
                f" deadline {self._share(self.deadline_right, self.dated)}")


def item_line(item: ParsedItem) -> int | None:
    if item.line is not None:
        return item.line
    found = re.match(r"dòng (\d+)", item.where)
    return int(found.group(1)) if found else None


def _names(names: list[str] | None) -> set[str]:
    return {name_key(n) for n in names or [] if n}


def score(name: str, items: list[ParsedItem], gold: dict[str, Any], *, per_duty: bool = False) -> Score:
    duties = gold.get("duties", [])
    result = Score(name, gold=len(duties), extracted=len(items))
    placed = [(item_line(i), i) for i in items if item_line(i) is not None]
    pairs = sorted(
        (abs(at - duty["line"]), _names(item.lead) != _names(duty.get("leads")), d, t)
        for d, duty in enumerate(duties) if duty.get("line") is not None
        for t, (at, item) in enumerate(placed) if abs(at - duty["line"]) <= WINDOW
    )
    match: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, d, t in pairs:  # nearest pairs first, the same lead breaking ties
        if d not in match and t not in taken:
            match[d] = t
            taken.add(t)
    for d, duty in sorted(enumerate(duties), key=lambda x: x[1].get("line") or 0):
        line = duty.get("line")
        if d not in match:
            result.rows.append(f"  MISS line {line}: leads {duty.get('leads')} {duty.get('summary', '')[:60]}")
            continue
        at, item = placed[match[d]]
        result.matched += 1
        lead_ok = _names(item.lead) == _names(duty.get("leads"))
        result.lead_right += lead_ok
        deadline = duty.get("deadline")
        if deadline:
            result.dated += 1
            result.deadline_right += bool(item.deadlines) and item.deadlines[-1] == deadline
        result.rows.append(f"  {'ok  ' if lead_ok else 'LEAD'} line {line}->{at}: gold {duty.get('leads')} / "
                           f"got {item.lead}; deadline {deadline} / {item.deadlines[-1:] or None}")
    free = [p for t, p in enumerate(placed) if t not in taken]
    result.rows += [f"  EXTRA line {at}: {i.lead} {i.title[:60]}" for at, i in free]
    if not per_duty:
        result.rows = []
    return result


def _find(folder: Path, key: str, suffix: str) -> Path:
    found = sorted(p for p in folder.glob(f"{key}*{suffix}"))
    if not found:
        raise SystemExit(f"no {key}*{suffix} in {folder}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="+", help="file name prefixes: 004 (a seed), 01 ... 08 (plans)")
    parser.add_argument("--per-duty", action="store_true")
    parser.add_argument("--gold-dir", type=Path, default=GOLD)
    parser.add_argument("--plans-dir", type=Path, default=SHARED / "plans")
    parser.add_argument("--seeds-dir", type=Path, default=SHARED / "seeds")
    args = parser.parse_args(argv)
    total = Score("TOTAL")
    for key in args.keys:
        folder = args.seeds_dir if len(key) == 3 else args.plans_dir
        path = _find(folder, key, ".txt")
        gold = json.loads(_find(args.gold_dir, key, ".json").read_text(encoding="utf-8"))
        try:
            items = [i for i in parse_plan(path.read_bytes(), path.name).items if i.kind == "task"]
        except Exception as exc:  # a refused file scores zero, and says why
            print(f"{path.stem}: refused: {exc}")
            items = []
        found = score(path.stem[:44], items, gold, per_duty=args.per_duty)
        total.add(found)
        print(found.line())
        for row in found.rows:
            print(row)
    print(total.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
