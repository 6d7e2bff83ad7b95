"""build_summary semantics on both engines: states, versions, retractions, overdue, changes, query count."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.base.clock import VN_TZ
from bot.base.errors import UserError
from bot.summary.build import build_summary, resolve_plan
from bot.summary.labels import unit_state_label
from bot.summary.model import NO_REPORT, UnitState
from bot.summary.render_text import render_text
from storage.database import Database
from storage.models import Plan, Task, Unit
from tests.summary.conftest import NOW, Seeder, scenario


def test_unit_states_versions_and_retraction(db: Database) -> None:
    ids = scenario(db)
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-q2", now=NOW)
    assert summary.period.label == "Quý II/2026"
    assert summary.plan.coordinator == "Phòng Văn hóa - Xã hội"
    units = {u.unit: u for u in summary.units}
    assert set(units) == {"Sở Tài chính", "Sở Y tế"}  # the commune has nothing left to report
    fin, health = units["Sở Tài chính"], units["Sở Y tế"]
    assert (fin.state, fin.reported, fin.total, fin.late) == (UnitState.LATE, 3, 3, 1)
    assert fin.reporters == ["Nguyễn Thị Lan", "Trần Văn Hùng"]
    assert (health.state, health.reported, health.total) == (UnitState.MISSING, 0, 1)  # task 4 was done in Q1

    lines = {t.code: t for t in summary.tasks}
    assert set(lines) == {"1", "2", "3", "4", "5", "T1"}  # group rows are not reported on
    assert lines["2"].status == "blocked" and lines["2"].blocker_category == "kinh_phi"  # version 2 stands
    assert lines["2"].reported_by == "Trần Văn Hùng" and lines["2"].late
    assert lines["3"].status == NO_REPORT and lines["3"].reported_at is None  # retracted: nothing stands
    assert lines["4"].status == "done" and lines["4"].carried
    assert lines["5"].status == "done" and lines["5"].carried
    assert lines["1"].supports == ("Sở Y tế",) and lines["1"].note == "Đã số hoá 12.000 hồ sơ"
    assert lines["T1"].expected_date == date(2026, 9, 30) and lines["T1"].percent == 60


def test_overdue_totals_and_blockers(db: Database) -> None:
    ids = scenario(db)
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW)
    assert [t.code for t in summary.overdue_tasks()] == ["3"]  # task 1's deadline passed too, but it is done
    totals = summary.totals
    assert totals.by_status == {"done": 3, "blocked": 1, NO_REPORT: 1, "in_progress": 1}
    assert (totals.lines, totals.done, totals.completion_rate) == (6, 3, 50.0)
    assert (totals.units_total, totals.units_on_time, totals.units_late, totals.units_missing) == (2, 0, 1, 1)
    assert totals.overdue == 1
    assert [(b.code, b.text) for b in totals.blockers["kinh_phi"]] == [("2", "Chưa được cấp kinh phí")]
    assert summary.overdue_tasks()[0].overdue_since == date(2026, 4, 30)
    # Q2 seen from January 2027, after task 2's deadline (31/12) passed: Q2 is judged as it stood on 30/6,
    # so task 2 (due after Q2) is still not overdue in Q2
    later = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2",
                    now=datetime(2027, 1, 1, 8, 0, tzinfo=VN_TZ))
    assert [t.code for t in later.overdue_tasks()] == ["3"]  # T1 has no deadline


def test_changes_since_previous_period(db: Database) -> None:
    ids = scenario(db)
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW)
    changes = summary.changes
    assert changes.previous_key == "2026-Q1"
    assert changes.previous_completion_rate == 33.3  # task 4 (done in Q1) and task 5 (done before import)
    assert changes.completion_rate_delta == 16.7
    assert [r.code for r in changes.newly_done] == ["1"]
    assert [r.code for r in changes.newly_blocked] == ["2"]
    first = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q1", now=NOW)
    assert first.changes.previous_key is None and first.changes.completion_rate_delta is None


def test_q3_carries_what_was_done_in_q2(db: Database) -> None:
    ids = scenario(db)
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q3", now=NOW)
    fin = next(u for u in summary.units if u.unit == "Sở Tài chính")
    assert (fin.state, fin.reported, fin.total) == (UnitState.MISSING, 0, 2)  # tasks 2 and T1; task 1 is done
    assert summary.changes.newly_done == [] and summary.changes.completion_rate_delta == 0.0


def test_ad_hoc_request_and_on_time_unit(db: Database) -> None:
    ids = scenario(db)
    with db.session() as s:
        sd = Seeder(s)
        plan = s.get(Plan, ids["plan"])
        adhoc = sd.ad_hoc(plan, "ADHOC-1", date(2026, 7, 15))
        fin = s.get(Unit, ids["fin"])
        for task in s.exec(select(Task).where(Task.code.in_(["2", "T1"]))):
            sd.report(task, fin, adhoc, "in_progress", note="Đang triển khai")
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="ADHOC-1", now=NOW)
    assert summary.period.kind == "ad_hoc" and "ADHOC-1" in summary.period.label
    fin_summary = next(u for u in summary.units if u.unit == "Sở Tài chính")
    assert (fin_summary.state, fin_summary.reported, fin_summary.total) == (UnitState.ON_TIME, 2, 2)
    assert summary.changes.previous_key is None  # no earlier ad hoc request


def test_one_unit_only(db: Database) -> None:
    ids = scenario(db)
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW, unit_id=ids["health"])
    assert sorted(t.code for t in summary.tasks) == ["3", "4"]
    assert [u.unit for u in summary.units] == ["Sở Y tế"]
    assert summary.unit_filter == ids["health"]


def test_unknown_period_plan_and_naive_now(db: Database) -> None:
    ids = scenario(db)
    with pytest.raises(UserError, match="không có kỳ báo cáo «2026-Q4»"):
        db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q4", now=NOW)
    with pytest.raises(UserError, match="Không tìm thấy kế hoạch"):
        db.call(build_summary, plan_id=999, period_key="2026-Q2", now=NOW)
    with pytest.raises(ValueError, match="aware"):
        db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=datetime(2026, 6, 10))  # noqa: DTZ001


def test_resolve_plan(db: Database) -> None:
    ids = scenario(db)
    assert db.call(resolve_plan, ref=None) == ids["plan"]
    assert db.call(resolve_plan, ref=str(ids["plan"])) == ids["plan"]
    assert db.call(resolve_plan, ref="125/kh-ubnd") == ids["plan"]
    assert db.call(resolve_plan, ref="125") == ids["plan"] or ids["plan"] == 125
    with db.session() as s:
        Seeder(s).plan(number="7/KH-SKHCN", title="Kế hoạch khác")
    with pytest.raises(UserError, match="2 kế hoạch đang hoạt động"):
        db.call(resolve_plan, ref=None)
    with pytest.raises(UserError, match="Không tìm thấy kế hoạch «99/KH»"):
        db.call(resolve_plan, ref="99/KH")


def _many_units(db: Database, count: int) -> int:
    with db.session() as s:
        sd = Seeder(s)
        plan = sd.plan(number=f"{count}/KH")
        q1, q2 = sd.quarter(plan, 1), sd.quarter(plan, 2)
        for i in range(count):
            unit = sd.unit(f"Đơn vị số {i} (kế hoạch {count})")
            member = sd.member(unit, f"Cán bộ {i}", f"{count}-{i}")
            for j in range(3):
                task = sd.task(plan, f"{i}.{j}", f"Nhiệm vụ {j} của đơn vị {i}", unit, deadlines=("2026-05-01",))
                sd.report(task, unit, q1, "done" if j == 0 else "in_progress", member=member)
                if j == 1:
                    sd.report(task, unit, q2, "in_progress", member=member)
                    sd.report(task, unit, q2, "blocked", member=member, blocker="thieu can bo")
        return plan.id


def _count_statements(db: Database, plan_id: int) -> tuple[int, int]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        summary = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]), len(summary.units)


def test_query_count_is_constant(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    small = _count_statements(db, _many_units(db, 5))
    large = _count_statements(db, _many_units(db, 50))
    assert (small[1], large[1]) == (5, 50)
    # plan, periods, lines (with the tasks no lead unit answers for), supports, units, standing, blocked before,
    # done before
    assert small[0] == large[0] == 8


def test_the_tasks_with_no_lead_unit_are_read_in_one_more_query(db: Database) -> None:
    """The lines' query brings the reported tasks with no lead unit too; their texts are read only when there
    are some (a ninth query), and they are never lines."""
    plan_id = _many_units(db, 5)
    with db.session() as s:
        plan = s.get(Plan, plan_id)
        assert plan is not None
        Seeder(s).task(plan, "9.1", "Nhiệm vụ chưa có đơn vị chủ trì", [])
    statements, units = _count_statements(db, plan_id)
    summary = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)
    assert (statements, units) == (9, 5)
    assert [(task.code, task.title) for task in summary.unassigned] == [("9.1", "Nhiệm vụ chưa có đơn vị chủ trì")]
    assert "9.1" not in {line.code for line in summary.tasks}
    assert summary.totals.lines == 15


def test_the_previous_periods_blockers_are_read_from_the_partial_index(db: Database) -> None:
    """ix_report_blocked serves the "blocked before" query only while the query repeats the index's condition:
    the database's own plan is checked, so that a rewrite of either side cannot silently lose the index."""
    plan_id = _many_units(db, 5)
    captured: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
        if "blocker IS NOT NULL" in statement:
            captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    ((statement, parameters),) = captured
    with db.engine.connect() as connection:
        if db.dialect == "sqlite":
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # a tiny table would be scanned otherwise
            plan = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    assert "ix_report_blocked" in " ".join(str(value) for row in plan for value in row)


def test_partial_reporting_and_group_supports(db: Database) -> None:
    def seed(session):  # type: ignore[no-untyped-def]
        sd = Seeder(session)
        lead = sd.unit("Phòng Tổ chức - Hành chính - Quản trị")
        silent = sd.unit("Trung tâm Thông tin")
        members = (sd.unit("Sở Tư pháp"), sd.unit("Sở Xây dựng"))
        plan = sd.plan(coordinator=lead)
        q2 = sd.quarter(plan, 2)
        tasks = [sd.task(plan, str(i), f"Nhiệm vụ {i}", lead, supports=members, via_group="Các sở, ban, ngành")
                 for i in range(1, 13)]
        sd.task(plan, "13", "Nhiệm vụ riêng", silent, supports=(members[0],))
        sd.report(tasks[0], lead, q2, "in_progress", percent=60)
        return plan.id

    plan_id = db.call(seed)
    summary = db.call(build_summary, plan_id=plan_id, period_key="2026-Q2", now=NOW)
    units = {u.unit: u for u in summary.units}
    partial, silent = units["Phòng Tổ chức - Hành chính - Quản trị"], units["Trung tâm Thông tin"]
    assert (partial.state, partial.reported, partial.total) == (UnitState.PARTIAL, 1, 12)
    assert silent.state is UnitState.MISSING
    assert (summary.totals.units_partial, summary.totals.units_missing, summary.totals.units_reported) == (1, 1, 0)
    assert unit_state_label(partial) == "Đã báo cáo 1/12 nhiệm vụ"
    text = "\n".join(render_text(summary, html=False))
    assert "0/2 đơn vị đã báo cáo đủ (0 đúng hạn, 0 trễ hạn), 1 đơn vị báo cáo một phần, 1 đơn vị chưa báo cáo" in text
    assert "Phòng Tổ chức - Hành chính - Quản trị: đã báo cáo 1/12 nhiệm vụ" in text
    lines = {t.code: t for t in summary.tasks}
    assert lines["1"].supports == ("Các sở, ban, ngành",)  # the group the plan named, not its members
    assert lines["13"].supports == ("Sở Tư pháp",)
