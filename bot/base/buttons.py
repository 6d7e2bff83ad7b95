"""Button data, both ways: what each button carries, written and read in one place.

Callback data comes back from the client untouched by us, so anyone can send any string: it is read strictly
(known kinds, exact field counts, ids of ASCII digits only within the database's integer range, words from a
fixed list) and anything else is None. `str.isdigit` is not enough: it accepts "١" (Arabic-Indic one) and
`int()` reads it as 1, and a 30-digit id overflowed the database driver.
"""

from __future__ import annotations

import logging
import re
from dataclasses import astuple, dataclass
from typing import ClassVar

from bot.base.chat import Button
from bot.base.messages import BUTTON_STATUS

log = logging.getLogger(__name__)
MAX_DATA = 64  # Telegram's callback_data limit in bytes
MAX_ID = 2**31 - 1  # ids are INTEGER columns on SQLite and PostgreSQL
_ID = re.compile(r"[1-9][0-9]{0,9}")  # ASCII only: [0-9] is not \d
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,32}")
STATUS_CODES = ("done", "in_progress", "not_started", "blocked")
IMPORT_MODES = ("i", "c", "x", "s", "b")  # import, import creating the unknown units, cancel, list items, back
ITEM_ACTIONS = ("t", "p")  # toggle an item, show a page


class _Data:
    kind: ClassVar[str]

    @property
    def data(self) -> str:
        """The callback data: the kind, then the fields in order, '|' between."""
        return "|".join([self.kind, *map(str, astuple(self))])  # type: ignore[call-overload]


@dataclass(frozen=True)
class StatusPress(_Data):
    """A status button under a task card: `s|task|period|status`."""

    task_id: int
    period_id: int
    status: str
    kind: ClassVar[str] = "s"


@dataclass(frozen=True)
class SkipPress(_Data):
    """"Bỏ qua" in the guided report: `k|task|period`."""

    task_id: int
    period_id: int
    kind: ClassVar[str] = "k"


@dataclass(frozen=True)
class UndoPress(_Data):
    """"Hoàn tác" under a confirmation: `u|report`."""

    report_id: int
    kind: ClassVar[str] = "u"


@dataclass(frozen=True)
class ImportPress(_Data):
    """A plan preview's buttons: `imp|token|mode`."""

    token: str
    mode: str
    kind: ClassVar[str] = "imp"


@dataclass(frozen=True)
class ImportItemPress(_Data):
    """The preview's list of items to leave out: `imp|token|t|index` toggles the item at `index` (its place in
    the file's items), `imp|token|p|page` shows a page of the list."""

    token: str
    action: str
    number: int
    kind: ClassVar[str] = "imp"


Press = StatusPress | SkipPress | UndoPress | ImportPress | ImportItemPress
MAX_ITEM = 99_999  # an item's place in a file: far above any plan (the importer caps rows well below)


def _id(text: str) -> int | None:
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def is_token(text: str) -> bool:
    """An upload token as `ImportPress` carries it (letters, digits, '-' and '_': safe in a file name)."""
    return _TOKEN.fullmatch(text) is not None


def parse_press(data: str | None) -> Press | None:
    """The press this callback data stands for, or None when it is not exactly one we write (logged once,
    at WARNING, without a traceback: a stale client or a forged update, not a fault of ours)."""
    press = _parse(data)
    if press is None:
        log.warning("button data refused (%d characters): %r", len(data or ""), (data or "")[:MAX_DATA])
    return press


def _parse(data: str | None) -> Press | None:
    if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_DATA:
        return None
    kind, *fields = data.split("|")
    ids = [_id(f) for f in fields]
    if kind == "s" and len(fields) == 3 and ids[0] and ids[1] and fields[2] in STATUS_CODES:
        return StatusPress(ids[0], ids[1], fields[2])
    if kind == "k" and len(fields) == 2 and ids[0] and ids[1]:
        return SkipPress(ids[0], ids[1])
    if kind == "u" and len(fields) == 1 and ids[0]:
        return UndoPress(ids[0])
    if kind == "imp" and len(fields) == 2 and is_token(fields[0]) and fields[1] in IMPORT_MODES:
        return ImportPress(fields[0], fields[1])
    if kind == "imp" and len(fields) == 3 and is_token(fields[0]) and fields[1] in ITEM_ACTIONS and (
            fields[2] == "0" or ids[2]) and int(fields[2]) <= MAX_ITEM:
        return ImportItemPress(fields[0], fields[1], int(fields[2]))
    return None


def status_buttons(task_id: int, period_id: int) -> list[list[Button]]:
    """The four status buttons of a task card, two rows of two."""
    row = [Button(label, StatusPress(task_id, period_id, code).data) for code, label in BUTTON_STATUS]
    return [row[:2], row[2:]]
