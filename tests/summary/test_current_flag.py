"""StatusReport.current: record_status and undo_report keep it on the standing version, and the summary
reads through it (on both engines)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.summary.build import build_summary
from storage.database import Database
from storage.models import ReportingPeriodRow, StatusReport
from storage.reports import record_status, undo_report
from tests.summary.conftest import NOW, Seeder


def _current_versions(db: Database) -> dict[tuple[int, int, int | None], list[int]]:
    with db.session() as s:
        found: dict[tuple[int, int, int | None], list[int]] = {}
        for report in s.exec(select(StatusReport).where(StatusReport.current.is_(True))):  # type: ignore[attr-defined]
            found.setdefault((report.task_id, report.unit_id, report.period_id), []).append(report.version)
        return found


def test_record_and_undo_keep_one_current_version(db: Database) -> None:
    with db.session() as s:
        sd = Seeder(s)
        unit = sd.unit("Sở Thông tin và Truyền thông")
        plan = sd.plan()
        q2 = sd.quarter(plan, 2)
        task = sd.task(plan, "1", "Xây dựng trung tâm điều hành thông minh", unit)
        ids = {"plan": plan.id, "task": task.id, "unit": unit.id, "q2": q2.id}

    def record(status: str, **fields: object) -> int:
        with db.session() as s:
            period = s.get(ReportingPeriodRow, ids["q2"])
            report = record_status(session=s, task_id=ids["task"], unit_id=ids["unit"], period=period, now=NOW,
                                   today=date(2026, 6, 1), status=status, **fields)
            s.flush()
            return report.id

    def summary_line():  # type: ignore[no-untyped-def]
        summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW)
        return summary.tasks[0]

    key = (ids["task"], ids["unit"], ids["q2"])
    record("in_progress", percent=30)
    blocked = record("blocked", blocker="Chưa được cấp kinh phí")
    assert _current_versions(db) == {key: [2]}
    assert summary_line().status == "blocked"

    with db.session() as s:  # undo: the version before comes back as version 3
        undo_report(session=s, report_id=blocked, now=NOW, today=date(2026, 6, 1), member_id=None)
    assert _current_versions(db) == {key: [3]}
    line = summary_line()
    assert (line.status, line.percent, line.blocker) == ("in_progress", 30, None)

    with db.session() as s:  # undo the undo: version 2's content comes back, as version 4
        latest = s.exec(select(StatusReport).where(StatusReport.version == 3)).one()
        undo_report(session=s, report_id=latest.id, now=NOW, today=date(2026, 6, 1), member_id=None)
    assert _current_versions(db) == {key: [4]}
    assert summary_line().status == "blocked"


def test_undo_of_a_first_report_leaves_no_report(db: Database) -> None:
    with db.session() as s:
        sd = Seeder(s)
        unit = sd.unit("UBND xã Chiềng Cơi")
        plan = sd.plan()
        q2 = sd.quarter(plan, 2)
        task = sd.task(plan, "1", "Số hoá hồ sơ địa chính", unit)
        report = record_status(session=s, task_id=task.id, unit_id=unit.id, period=q2, now=NOW,
                               today=date(2026, 6, 1), status="done")
        s.flush()
        ids = {"plan": plan.id, "report": report.id, "key": (task.id, unit.id, q2.id)}
    with db.session() as s:
        undo_report(session=s, report_id=ids["report"], now=NOW, today=date(2026, 6, 1), member_id=None)
    assert _current_versions(db) == {ids["key"]: [2]}  # the retraction stands
    summary = db.call(build_summary, plan_id=ids["plan"], period_key="2026-Q2", now=NOW)
    assert summary.tasks[0].status == "no_report" and summary.units[0].reported == 0
