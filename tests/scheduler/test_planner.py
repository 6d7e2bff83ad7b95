"""The pure planner: offsets in working days, weekend/holiday shifts, per-plan settings, the sending window."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.base.clock import VN_TZ
from bot.base.errors import UserError
from bot.calendar import is_working_day
from scheduler.planner import LevelFact, PeriodFact, PlanFacts, TaskFact, in_window, next_window_open, plan_dues
from scheduler.settings import NudgeSettings

Q3 = PeriodFact(1, "2026-Q3", "quarterly", date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 5), "Quý III/2026")
H2 = PeriodFact(2, "2026", "yearly", date(2026, 1, 1), date(2026, 12, 31), date(2026, 9, 5), "Năm 2026")


def facts(settings: NudgeSettings | None = None) -> PlanFacts:
    return PlanFacts(7, settings or NudgeSettings(), (Q3, H2), (TaskFact(3, "3", (date(2026, 9, 2),), (11,)),))


def test_cutoff_nudges_on_working_days_before_a_cutoff_that_falls_on_a_weekend() -> None:
    dues = [d for d in plan_dues(facts(), date(2026, 8, 1), date(2026, 9, 30)) if d.kind == "cutoff"]
    local = [d.at.astimezone(VN_TZ) for d in dues]
    assert all(d.period == Q3 for d in dues)  # one period per cutoff: the shortest
    assert all(is_working_day(t.date()) and (t.hour, t.minute) == (8, 0) for t in local)
    # 5/9/2026 is a Saturday; 31/8 (a substituted day off) and 1-2/9 (National Day) are holidays
    assert [t.date() for t in local] == [date(2026, 8, 24), date(2026, 8, 28), date(2026, 9, 4)]
    escalation = [d for d in plan_dues(facts(), date(2026, 9, 1), date(2026, 9, 30)) if d.kind == "escalation"]
    assert {d.at.astimezone(VN_TZ).date() for d in escalation} == {date(2026, 9, 7)}  # the next working day


def test_deadline_nudges_skip_holidays_and_settings_override() -> None:
    dues = [d for d in plan_dues(facts(), date(2026, 8, 1), date(2026, 9, 30)) if d.kind == "deadline"]
    assert [d.step for d in dues] == ["d14", "d7", "d1"] and all(d.unit_id == 11 for d in dues)
    assert dues[-1].at.astimezone(VN_TZ).date() == date(2026, 8, 28)  # 31/8 to 2/9 are days off in 2026
    custom = NudgeSettings.from_plan({"nudges": {"cutoff_offsets": [2], "send_time": "09:30"}})
    cutoffs = [d for d in plan_dues(facts(custom), date(2026, 8, 1), date(2026, 9, 30)) if d.kind == "cutoff"]
    assert [d.at.astimezone(VN_TZ) for d in cutoffs] == [datetime(2026, 9, 3, 9, 30, tzinfo=VN_TZ)]
    with pytest.raises(UserError):
        NudgeSettings.from_plan({"send_time": "tám giờ"})


def test_sending_window() -> None:
    settings = NudgeSettings()
    assert in_window(datetime(2026, 6, 2, 7, 30, tzinfo=VN_TZ), settings)
    assert not in_window(datetime(2026, 6, 2, 17, 30, tzinfo=VN_TZ), settings)
    friday_evening = datetime(2026, 6, 5, 18, 0, tzinfo=VN_TZ)
    assert next_window_open(friday_evening, settings) == datetime(2026, 6, 8, 7, 30, tzinfo=VN_TZ)


def test_the_coordinator_is_reminded_before_its_own_deadline_to_report_upward() -> None:
    # the office sends Q3 up by Thursday 3/9/2026; 31/8 (substituted), 1-2/9 (National Day) and 29-30/8 are days off
    q3 = PeriodFact(1, "2026-Q3", "quarterly", date(2026, 7, 1), date(2026, 9, 30), date(2026, 8, 28), "Quý III/2026",
                    (LevelFact("Văn phòng", "UBND tỉnh", date(2026, 9, 3)),))
    upward = [d for d in plan_dues(PlanFacts(7, NudgeSettings(), (q3,), ()), date(2026, 8, 1), date(2026, 9, 30))
              if d.kind == "upward"]
    assert [(d.at.astimezone(VN_TZ).date(), d.step, d.unit_id, d.recipient) for d in upward] == [
        (date(2026, 8, 28), "d2", None, "UBND tỉnh"), (date(2026, 9, 3), "d1", None, "UBND tỉnh")]
    custom = NudgeSettings.from_plan({"nudges": {"upward_offsets": [3]}})
    (early,) = [d for d in plan_dues(PlanFacts(7, custom, (q3,), ()), date(2026, 8, 1), date(2026, 9, 30))
                if d.kind == "upward"]
    assert early.at.astimezone(VN_TZ).date() == date(2026, 8, 27)
    assert not [d for d in plan_dues(facts(), date(2026, 8, 1), date(2026, 9, 30)) if d.kind == "upward"]
