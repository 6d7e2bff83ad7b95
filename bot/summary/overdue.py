"""When a task is overdue in a reporting period, and when a task done earlier is carried: the one rule.

Used by the summary (text, JSON, xlsx, docx, chart) and by the chat's task list. Plain dates in, plain
values out; `today` is passed in (the local date of the caller's clock), never read here.

- A period is judged as of the earlier of `today` and the end of its last day: a summary of Q2 made in
  December sees Q2 as it stood on 30 June, one made on 10 May sees it as it stands on 10 May.
- A recurring task (monthly, quarterly, half-yearly, yearly) is judged on its occurrences inside the period:
  its 31/03 deadline says nothing about Q2; a period without an occurrence has nothing overdue for it.
- A one-off task is judged on its first deadline: passed before the period began and still not done, it is
  carried into the period as overdue "since" that deadline; a deadline after the period is never overdue in it.
- Done (reported done for the period, or carried as done) is never overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

RECURRING = frozenset({"weekly", "monthly", "quarterly", "half_yearly", "yearly"})


def is_recurring(recurrence: str | None) -> bool:
    """A task that comes back every period of its kind (reported again each time it falls due)."""
    return recurrence in RECURRING


def carried_done(*, recurrence: str | None, completed: bool, done_earlier: bool) -> bool:
    """Done before this period, so nothing left to report: completed at import, or (a one-off task) reported
    done in an earlier period. A recurring task is due again in each period."""
    return completed or (done_earlier and not is_recurring(recurrence))


@dataclass(frozen=True, slots=True)
class Overdue:
    since: date  # the deadline that passed
    carried: bool  # that deadline lies before the period (a one-off task left over from earlier)


def overdue_in_period(*, deadlines: Iterable[date], recurrence: str | None, period_start: date, period_end: date,
                      today: date, done: bool) -> Overdue | None:
    """Why the task is overdue in the period [period_start, period_end] as seen on `today`, or None."""
    if done:
        return None
    days = sorted(deadlines)
    if is_recurring(recurrence):
        days = [d for d in days if period_start <= d <= period_end]
    if not days or days[0] > period_end:
        return None
    judged_before = min(today, period_end + timedelta(days=1))  # a deadline is kept on its own day
    first = days[0]
    return Overdue(first, first < period_start) if first < judged_before else None


def overdue_text(overdue: Overdue) -> str:
    """ "Quá hạn từ 31/03/2026" (the deadline that passed)."""
    return f"Quá hạn từ {overdue.since:%d/%m/%Y}"
