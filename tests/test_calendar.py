"""The reporting calendar: default quarterly cutoffs, half-year and year, custom regimes, working days."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar import (
    CutoffRule,
    Frequency,
    Regime,
    ReportingPeriod,
    collecting,
    current_period,
    is_working_day,
    period_by_key,
    periods_for_year,
    previous_working_day,
    shortest_per_cutoff,
    working_days_before,
)


@pytest.mark.parametrize(
    ("key", "start", "end", "cutoff"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 5)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), date(2026, 6, 5)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 5)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 5)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 5)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 5)),
    ],
)
def test_default_regime_periods(key: str, start: date, end: date, cutoff: date) -> None:
    period = {p.key: p for p in periods_for_year(2026)}[key]
    assert (period.start, period.end, period.cutoff) == (start, end, cutoff)
    assert period.last_on_time_day == cutoff.replace(day=cutoff.day - 1)


def test_default_year_has_quarters_half_and_year_in_cutoff_order() -> None:
    periods = periods_for_year(2026)
    assert [p.key for p in periods] == ["2026-Q1", "2026-Q2", "2026-H1", "2026-Q3", "2026-Q4", "2026"]
    assert [p.kind for p in periods][:3] == [Frequency.QUARTERLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY]


def test_custom_regimes_fixed_date_monthly_and_next_month() -> None:
    half = periods_for_year(2026, [Regime(Frequency.HALF_YEARLY, CutoffRule(day=15, month=6))])
    assert [(p.key, p.cutoff) for p in half] == [("2026-H1", date(2026, 6, 15))]
    monthly = periods_for_year(2026, [Regime(Frequency.MONTHLY, CutoffRule(day=20))])
    assert len(monthly) == 12
    assert monthly[1].key == "2026-02" and monthly[1].cutoff == date(2026, 2, 20)
    after = periods_for_year(2026, [Regime(Frequency.QUARTERLY, CutoffRule(day=10, month_offset=1))])
    assert after[-1].key == "2026-Q4" and after[-1].cutoff == date(2027, 1, 10)
    clamped = periods_for_year(2026, [Regime(Frequency.MONTHLY, CutoffRule(day=31))])
    assert clamped[1].cutoff == date(2026, 2, 28)


def test_regime_round_trips_as_data() -> None:
    regime = Regime(Frequency.HALF_YEARLY, CutoffRule(day=15, month=6))
    assert Regime.from_dict(regime.to_dict()) == regime
    with pytest.raises(ValueError):
        CutoffRule(day=32)


def test_period_by_key_and_current_period() -> None:
    assert period_by_key("2026-q2").cutoff == date(2026, 6, 5)
    assert period_by_key("2026-03").end == date(2026, 3, 31)
    with pytest.raises(ValueError):
        period_by_key("Q5")
    assert current_period(date(2026, 5, 20)).key == "2026-Q2"
    assert current_period(date(2026, 6, 5)).key == "2026-Q3"  # after Q2's cutoff, Q3 is being collected
    assert current_period(date(2026, 12, 20)).key == "2027-Q1"


def test_tet_2026_and_weekends_are_not_working_days() -> None:
    # Tết Bính Ngọ: 16-20 February 2026 (Mon-Fri), with the weekends around it.
    for day in range(14, 23):
        assert not is_working_day(date(2026, 2, day)), day
    assert is_working_day(date(2026, 2, 23))
    assert previous_working_day(date(2026, 2, 20)) == date(2026, 2, 13)
    # a nudge 7 working days before 5 March 2026 skips the Tết week
    assert working_days_before(date(2026, 3, 5), 7) == date(2026, 2, 24)
    assert working_days_before(date(2026, 2, 24), 1) == date(2026, 2, 23)
    assert working_days_before(date(2026, 2, 23), 1) == date(2026, 2, 13)


def test_reunification_and_labour_day_shift_nudges() -> None:
    # 30/4 (Thu) and 1/5 (Fri) 2026 are holidays, 2-3/5 the weekend.
    assert previous_working_day(date(2026, 5, 3)) == date(2026, 4, 29)
    assert previous_working_day(date(2026, 4, 30)) == date(2026, 4, 29)
    assert working_days_before(date(2026, 5, 4), 1) == date(2026, 4, 29)
    # Giỗ Tổ Hùng Vương 2026 falls on Sunday 26/4 and is observed on Monday 27/4.
    assert not is_working_day(date(2026, 4, 27))


def test_cutoff_stays_as_written_even_on_a_weekend() -> None:
    q3 = {p.key: p for p in periods_for_year(2026)}["2026-Q3"]
    assert q3.cutoff == date(2026, 9, 5) and q3.cutoff.weekday() == 5  # a Saturday, not moved
    assert working_days_before(q3.cutoff, 1) == date(2026, 9, 4)


def test_shortest_period_per_cutoff_is_the_one_collected() -> None:
    """Q2 and H1 both close on 5 June, Q4 and the year on 5 December: staff report for the quarter; the
    planner nudges for the same periods the chat collects."""
    periods = periods_for_year(2026) + periods_for_year(2027)
    assert [p.key for p in shortest_per_cutoff(periods)][:4] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert collecting(periods, date(2026, 6, 4)).key == "2026-Q2"  # the last day before the cutoff
    assert collecting(periods, date(2026, 6, 5)).key == "2026-Q3"  # the cutoff day: late for Q2, Q3 is collected
    assert collecting(periods, date(2026, 12, 20)).key == "2027-Q1"
    ad_hoc = ReportingPeriod("2026-R1", Frequency.AD_HOC, date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 3))
    assert collecting([ad_hoc, *periods], date(2026, 5, 1)).key == "2026-Q2"  # requests are not the calendar
    with pytest.raises(ValueError):
        collecting(periods, date(2027, 12, 5))
