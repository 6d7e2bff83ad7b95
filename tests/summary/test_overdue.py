"""The one "overdue in period P" rule (bot.summary.overdue) over every day of a year, for each recurrence,
and the summary built from the database applying it (both engines)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from bot.base.clock import VN_TZ
from bot.calendar import Frequency, Regime, ReportingPeriod, periods_for_year
from bot.summary.build import build_summary
from bot.summary.overdue import carried_done, overdue_in_period
from storage.database import Database
from tests.summary.conftest import Seeder

QUARTERS = periods_for_year(2026, [Regime(Frequency.QUARTERLY)])
MONTH_ENDS = tuple((date(2026, m + 1, 1) if m < 12 else date(2027, 1, 1)) - timedelta(days=1) for m in range(1, 13))


def every_day() -> Iterator[date]:
    """Every day from 1/1/2026 to 31/1/2027 (a month past the year, to see Q4 from the next year)."""
    day = date(2026, 1, 1)
    while day <= date(2027, 1, 31):
        yield day
        day += timedelta(days=1)


def judge(period: ReportingPeriod, deadlines: tuple[date, ...], recurrence: str, today: date,
          done: bool = False):  # type: ignore[no-untyped-def]
    return overdue_in_period(deadlines=deadlines, recurrence=recurrence, period_start=period.start,
                             period_end=period.end, today=today, done=done)


@pytest.mark.parametrize("recurrence, deadlines", [
    ("quarterly", tuple(q.end for q in QUARTERS)),
    ("monthly", MONTH_ENDS),
    ("half_yearly", (date(2026, 6, 30), date(2026, 12, 31))),
    ("yearly", (date(2026, 12, 31),)),
])
def test_a_recurring_task_is_judged_on_its_occurrence_in_the_period(recurrence: str,
                                                                    deadlines: tuple[date, ...]) -> None:
    judged = 0
    for quarter in QUARTERS:
        inside = [d for d in deadlines if quarter.start <= d <= quarter.end]
        for today in every_day():
            found = judge(quarter, deadlines, recurrence, today)
            if not inside or today <= inside[0]:  # no occurrence in this quarter, or not passed yet
                assert found is None, (recurrence, quarter.key, today)
            else:
                assert found is not None and found.since == inside[0] and not found.carried, (quarter.key, today)
            assert judge(quarter, deadlines, recurrence, today, done=True) is None
            judged += 1
    assert judged == 4 * 396


def test_a_one_off_task_is_overdue_from_the_day_after_its_deadline_and_carried_later() -> None:
    deadline = date(2026, 4, 30)
    for quarter in QUARTERS:
        for today in every_day():
            found = judge(quarter, (deadline,), "none", today)
            if quarter.end < deadline or today <= deadline:
                assert found is None, (quarter.key, today)
            else:
                assert found is not None and found.since == deadline, (quarter.key, today)
                assert found.carried == (deadline < quarter.start)


def test_a_deadline_after_the_period_is_never_overdue_in_it() -> None:
    q2 = next(q for q in QUARTERS if q.key == "2026-Q2")
    for today in every_day():  # a Q2 report generated in December lists nothing due 30/11 as overdue
        assert judge(q2, (date(2026, 11, 30),), "none", today) is None
        assert judge(q2, (date(2026, 11, 30),), "unspecified", today) is None


def test_a_period_is_judged_as_of_its_end_once_it_is_over() -> None:
    q2 = next(q for q in QUARTERS if q.key == "2026-Q2")
    on_the_last_day = judge(q2, (date(2026, 6, 30),), "none", date(2026, 6, 30))
    after = [judge(q2, (date(2026, 6, 30),), "none", day) for day in (date(2026, 7, 1), date(2026, 12, 2))]
    assert on_the_last_day is None  # the deadline day itself is on time
    assert all(found is not None and found.since == date(2026, 6, 30) for found in after)


def test_done_earlier_carries_a_one_off_task_but_not_a_recurring_one() -> None:
    assert carried_done(recurrence="none", completed=False, done_earlier=True)
    assert not carried_done(recurrence="quarterly", completed=False, done_earlier=True)
    assert carried_done(recurrence="quarterly", completed=True, done_earlier=False)


def test_the_summary_applies_the_rule(db: Database) -> None:
    def seed(session):  # type: ignore[no-untyped-def]
        sd = Seeder(session)
        unit = sd.unit("Phòng Tổ chức - Hành chính")
        plan = sd.plan(coordinator=unit)
        q1, q2 = sd.quarter(plan, 1), sd.quarter(plan, 2)
        quarterly = sd.task(plan, "1", "Báo cáo tiến độ hằng quý", unit, recurrence="quarterly",
                            deadlines=tuple(q.end.isoformat() for q in QUARTERS))
        sd.task(plan, "2", "Ban hành quy chế", unit, deadlines=("2026-03-15",))
        sd.task(plan, "3", "Tổng kết năm", unit, deadlines=("2026-11-30",))
        sd.report(quarterly, unit, q1, "done")
        return plan.id, q2.id

    plan_id, _ = db.call(seed)
    may = build_summary_at(db, plan_id, datetime(2026, 5, 10, 9, 0, tzinfo=VN_TZ))
    december = build_summary_at(db, plan_id, datetime(2026, 12, 2, 9, 0, tzinfo=VN_TZ))
    assert {t.code: t.overdue_since for t in may.tasks if t.overdue} == {"2": date(2026, 3, 15)}
    assert {t.code: t.overdue_since for t in december.tasks if t.overdue} == {"1": date(2026, 6, 30),
                                                                              "2": date(2026, 3, 15)}
    quarterly = next(t for t in december.tasks if t.code == "1")
    assert not quarterly.carried and quarterly.status == "no_report"  # done in Q1 does not answer for Q2


def build_summary_at(db: Database, plan_id: int, now: datetime):  # type: ignore[no-untyped-def]
    return db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=now)
