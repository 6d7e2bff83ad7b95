"""build_summary(detail=False) counts in SQL what the full path counts line by line: on a varied world, on both
engines, every unit record, total, blocker, change and the first overdue lines agree."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from sqlmodel import Session

from bot.base.clock import VN_TZ
from bot.summary import build
from bot.summary.build import build_summary
from bot.summary.model import Summary
from bot.summary.render_png import render_png, unit_state_counts
from storage.database import Database
from storage.models import ReportingPeriodRow
from tests.summary.conftest import Seeder

STATUSES = ("done", "in_progress", "not_started", "blocked", "unknown", "retracted")
BLOCKERS = ("Chưa được cấp kinh phí", "thieu can bo", "   ", "Chờ phê duyệt hồ sơ", "", "Mưa bão kéo dài")
NOTES = (None, "Đang chờ hướng dẫn của Sở", "Đã triển khai", "Thiếu máy tính")
RECURRENCES = ("once", "unspecified", "quarterly", "monthly", "yearly")
DEADLINES = ((), ("2026-02-15",), ("2026-03-31",), ("2026-05-20",), ("2026-06-30",), ("2026-09-30", "2026-03-31"),
             ("2026-12-31",), ("2026-04-10", "2026-07-10", "2026-10-10"))


def _world(session: Session, seed: int) -> tuple[int, dict[str, int]]:
    """A plan over quarters, a half-year and an ad hoc request: units with look-alike names, tasks with one or
    two leads or none, recurring and one-off, completed at import, targets, group rows, inactive tasks; reports
    with versions, retractions, late ones, blank and real blockers, members with and without names."""
    rng = random.Random(seed)
    sd = Seeder(session)
    units = [sd.unit(name) for name in ("Sở Tài chính", "Sở Y tế", "So Y te", "UBND xã Vân Hồ", "UBND xã Mường Bú",
                                        "Phòng Văn hóa - Xã hội", "Trung tâm Thông tin", "Sở Nội vụ")]
    plan = sd.plan(coordinator=units[-1])
    periods = [sd.quarter(plan, q) for q in (1, 2, 3)]
    periods.append(sd.add(ReportingPeriodRow(plan_id=plan.id, key="2026-H1", kind="half_yearly",
                                             start=date(2026, 1, 1), end=date(2026, 6, 30), cutoff=date(2026, 7, 3),
                                             created_at=sd.now)))
    periods.append(sd.ad_hoc(plan, "ADHOC-1", date(2026, 5, 15)))
    members = [sd.member(unit, rng.choice((f"Cán bộ {i}", f"cán bộ {i}", None, "")), f"u{i}")
               for i, unit in enumerate(units)]
    members += [sd.member(unit, f"Người thứ hai {i}", f"v{i}") for i, unit in enumerate(units[:4])]
    tasks = []
    for n in range(90):
        leads = rng.choice(([rng.choice(units)], [rng.choice(units)], rng.sample(units, 2), []))
        kind = rng.choice(("task", "task", "task", "target", "group"))
        task = sd.task(plan, f"{n // 10 + 1}.{n % 10}", f"Nhiệm vụ số {n}", leads,
                       supports=tuple(rng.sample(units, rng.randrange(0, 3))), deadlines=rng.choice(DEADLINES),
                       kind=kind, completed=rng.random() < 0.08, recurrence=rng.choice(RECURRENCES))
        if rng.random() < 0.05:
            task.active = False
        tasks.append((task, leads))
    for period in periods:
        for task, leads in tasks:
            for lead in leads:
                for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                    status = rng.choice(STATUSES)
                    unit_members = [m for m in members if m.unit_id == lead.id]
                    sd.report(task, lead, period, status, member=rng.choice([*unit_members, None]),
                              late=rng.random() < 0.3, percent=rng.choice((None, 20, 80)),
                              blocker=rng.choice((None, None, *BLOCKERS)) if status != "done" else None,
                              note=rng.choice(NOTES))
    session.flush()
    return plan.id, {unit.name: unit.id for unit in units}


def _figures(summary: Summary) -> dict[str, object]:
    """The figures both paths give; the lines newly done by their number (an aggregate summary only counts
    them)."""
    changes = summary.changes.to_json()
    del changes["newly_done"]
    changes.pop("newly_done_count", None)
    return {"units": [u.to_json() for u in summary.units], "totals": summary.totals.to_json(),
            "by_status": list(summary.totals.by_status.items()), "changes": changes,
            "newly_done": summary.changes.newly_done_total(),
            "unassigned": [u.to_json() for u in summary.unassigned], "unit_filter": summary.unit_filter}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregate_and_full_summaries_agree(db: Database, seed: int) -> None:
    plan_id, units = db.call(_world, seed=seed)
    checked = 0
    for period_key in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-H1", "ADHOC-1"):
        for now in (datetime(2026, 5, 1, 9, 0, tzinfo=VN_TZ), datetime(2026, 8, 20, 23, 30, tzinfo=VN_TZ)):
            for unit_id in (None, units["Sở Y tế"], units["UBND xã Vân Hồ"]):
                full = db.call(build_summary, plan_id=plan_id, period_key=period_key, now=now, unit_id=unit_id)
                counted = db.call(build_summary, plan_id=plan_id, period_key=period_key, now=now, unit_id=unit_id,
                                  detail=False)
                assert (full.detail, counted.detail, counted.tasks) == (True, False, [])
                assert _figures(counted) == _figures(full)
                assert [t.to_json() for t in counted.overdue_sample] == [t.to_json() for t in full.overdue_tasks()]
                assert {unit: +states for unit, states in unit_state_counts(counted).items()} == {
                    unit: +states for unit, states in unit_state_counts(full).items()}  # the chart's bars
                checked += bool(full.totals.overdue and full.totals.blocked)
    assert checked  # the world has overdue and blocked lines to compare


def test_the_chart_of_either_summary_is_the_same_image(db: Database) -> None:
    plan_id, _units = db.call(_world, seed=6)
    now = datetime(2026, 8, 20, 9, 0, tzinfo=VN_TZ)
    full = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=now)
    counted = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=now, detail=False)
    assert render_png(counted) == render_png(full)


@pytest.mark.parametrize("walk", [build.SAMPLE_WALK, 0.01])
def test_the_overdue_sample_is_the_first_overdue_lines(db: Database, monkeypatch: pytest.MonkeyPatch,
                                                       walk: float) -> None:
    """With a sample smaller than the overdue lines, the aggregate lists the first ones in plan order, looking
    further when the first candidates turn out done, or when the first lines looked through (a single one at
    first with walk=0.01) hold too few candidates."""
    monkeypatch.setattr(build, "SAMPLE_WALK", walk)
    plan_id, _units = db.call(_world, seed=4)
    now = datetime(2026, 8, 20, 9, 0, tzinfo=VN_TZ)
    full = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=now)
    overdue = full.overdue_tasks()
    assert len(overdue) > 6
    monkeypatch.setattr(build, "OVERDUE_SAMPLE", 3)
    counted = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=now, detail=False)
    assert [t.to_json() for t in counted.overdue_sample] == [t.to_json() for t in overdue[:3]]
    assert counted.totals.overdue == len(overdue)


def test_too_many_deadline_sets_take_the_full_path(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_id, _units = db.call(_world, seed=5)
    now = datetime(2026, 8, 20, 9, 0, tzinfo=VN_TZ)
    monkeypatch.setattr(build, "MAX_MARKED", 2)
    summary = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=now, detail=False)
    assert summary.detail is True
    assert summary.tasks
