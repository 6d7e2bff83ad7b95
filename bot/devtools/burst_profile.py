"""Where the bot's CPU goes in a reply burst: py-spy's raw stacks of `nhacviec run` summed by phase, per reply.

    REPLY_BURST_PYSPY=/tmp/bot.txt python -m pytest tests/faults/test_burst.py   # or the replies benchmark
    python -m bot.devtools.burst_profile /tmp/bot.txt 500

bot/devtools/reply_burst.py records the bot with `py-spy record --gil` (only the thread holding the GIL, 100
samples/s) from the first reply typed to the last answer when REPLY_BURST_PYSPY names a file (py-spy installed
beside Python: `pip install py-spy`). A sample counts in the first phase its stack passes through, in this
order; SQLite's own work runs without the GIL and is not in these figures (the bot's CPU per reply is).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

HZ = 100
PHASES = (  # (phase, a frame that marks it), first match wins
    ("reply step: reading, storing (handle_reply)", "handle_reply ("),
    ("reply step: queueing the answer", "queue_answers ("),
    ("answer: claim and render", "_claim_and_render ("),
    ("answer: marked sent, link recorded", "_mark_sent ("),
    ("answer: sendMessage", "TelegramNotifier.send ("),
    ("answer: the lane's own work", "AnswerLane"),
    ("updates: getUpdates", "DurablePoller._fetch ("),
    ("updates: parsing", "Update.de_json ("),
    ("updates: PTB's dispatch to the handler", "process_update ("),
    ("logging", "logging/"),
    ("database: the writer lock", "_WriterLock"),
    ("database: other transactions", "Database._call ("),
    ("event loop: waiting on sockets", "EpollSelector.select ("),
)


def by_phase(raw: str) -> Counter[str]:
    """Samples per phase of py-spy's raw output (one "frame;frame;... count" line per distinct stack)."""
    counted: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit():
            continue
        phase = next((name for name, frame in PHASES if frame in stack), "other (stacks py-spy cut short)")
        counted[phase] += int(count)
    return counted


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bot.devtools.burst_profile PYSPY_RAW_FILE REPLIES", file=sys.stderr)
        return 2
    counted, replies = by_phase(Path(argv[0]).read_text(errors="replace")), int(argv[1])
    total = sum(counted.values())
    for phase, samples in counted.most_common():
        print(f"{1000 * samples / HZ / replies:6.2f} ms/reply {100 * samples / max(1, total):5.1f} %  {phase}")
    print(f"{1000 * total / HZ / replies:6.2f} ms/reply holding the GIL ({total} samples)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
