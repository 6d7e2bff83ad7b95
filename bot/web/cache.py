"""Built summaries kept between page views: a province-scale summary takes about a second to build, a page
must answer in a fraction of that. An entry stands while the database's data stamp and the local date are
what they were when it was built (storage.web_queries.data_stamp, one small query per page view)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.summary.build import build_summary
from bot.summary.model import Summary
from storage.web_queries import data_stamp

Key = tuple[int, str, int | None, bool]  # (plan_id, period_key, unit_id or None for the whole plan, detail)


@dataclass
class Entry:
    stamp: tuple[Any, ...]
    summary: Summary
    files: dict[str, bytes] = field(default_factory=dict)  # rendered files of this summary, by format


class SummaryCache:
    """The most recently used summaries (at most `size`; a whole-plan summary at 100,000 lines holds about
    130 MiB), safe to use from several worker threads."""

    def __init__(self, size: int = 6) -> None:
        self.size = size
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many summaries were built (for tests and the bench)

    def fresh(self, *, session: Session, plan_id: int, period_key: str, unit_id: int | None, now: datetime,
              tz: ZoneInfo, detail: bool = True) -> Entry | None:
        """The entry if it is cached and still stands; never builds one."""
        return self._fresh((plan_id, period_key, unit_id, detail), self._stamp(session, now, tz))

    def entry(self, *, session: Session, plan_id: int, period_key: str, unit_id: int | None, now: datetime,
              tz: ZoneInfo, detail: bool = True) -> Entry:
        """The entry, built when it is not cached or no longer stands. Without `detail`, the summary's figures
        without its lines (build_summary(detail=False)); a cached summary with its lines serves as well."""
        stamp = self._stamp(session, now, tz)
        key = (plan_id, period_key, unit_id, detail)
        found = self._fresh(key, stamp) or (None if detail else self._fresh((*key[:3], True), stamp))
        if found is not None:
            return found
        summary = build_summary(session=session, plan_id=plan_id, period_key=period_key, now=now, unit_id=unit_id,
                                detail=detail)
        entry = Entry(stamp, summary)
        with self._lock:
            self.builds += 1
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        """Forget every entry (the next view of each page builds its summary again)."""
        with self._lock:
            self._entries.clear()

    @staticmethod
    def _stamp(session: Session, now: datetime, tz: ZoneInfo) -> tuple[Any, ...]:
        return (*data_stamp(session=session), now.astimezone(tz).date())

    def _fresh(self, key: Key, stamp: tuple[Any, ...]) -> Entry | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found.stamp != stamp:
                return None
            self._entries.move_to_end(key)
            return found

    @staticmethod
    def file(entry: Entry, fmt: str, render: Callable[[Summary], bytes]) -> bytes:
        """A rendered file of the entry's summary, rendered once."""
        data = entry.files.get(fmt)
        if data is None:
            data = entry.files[fmt] = render(entry.summary)
        return data
