"""The counters kept at write time (storage.tally) against the rows, after each kind of write, on both engines.

Every write goes through its entry point (an import and a re-import, a unit's report, an undo, a coordinator's
correction from the web, a done report carried into the next periods, an alias that gives a task another lead,
a unit merged, a unit removed, an ad hoc request); after each, the counters are recomputed from the rows and
compared (storage.tally.differences), and the overview's figures read from them are those of the lines grouped
on the spot."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session

from bot.base.clock import FixedClock
from bot.directory.service import change_aliases, merge, remove
from bot.importer import commit_import, preview_import
from bot.periods import ensure_periods
from bot.summary.build import build_summary
from bot.summary.render_json import render_json
from scheduler.requests import create_request
from storage.database import Database
from storage.models import LineTally, PeriodTally, Plan, ReportingPeriodRow, Task, TaskAssignment, Unit
from storage.reports import record_status, undo_report
from storage.tally import differences
from storage.units import add_unit
from tests.importer.builders import PAGE_1, build_docx


def _units(session: Session, now: datetime) -> None:
    for name in ("Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng"):
        add_unit(session=session, name=name, groups=["Các sở, ban, ngành"], now=now)
    add_unit(session=session, name="Văn phòng UBND tỉnh", aliases=["VP UBND tỉnh"], now=now)
    add_unit(session=session, name="UBND xã Vân Hồ", groups=["UBND cấp xã"], now=now)
    # "Công an tỉnh", second lead of II.1.1, is not registered: the task starts with one lead


def _import(db: Database, data: bytes, now: datetime) -> int:
    def run(*, session: Session) -> int:
        preview = preview_import(data, "kehoach.docx", session=session)
        return commit_import(preview, session=session, now=now).save.plan_id

    return db.call(run)


def _figures(session: Session, plan_id: int, period: str, now: datetime) -> str:
    return render_json(build_summary(session=session, plan_id=plan_id, period_key=period, now=now, detail=False))


def _check(db: Database, plan_id: int, now: datetime) -> dict[str, int]:
    """Counters == recomputed, every period tallied, and the overview's figures on the counters those of the
    lines grouped on the spot; returns the period ids by key."""
    with db.session() as session:
        assert differences(session, plan_id=plan_id) == {}
        periods = dict(session.execute(select(ReportingPeriodRow.key, ReportingPeriodRow.id)
                                       .where(ReportingPeriodRow.plan_id == plan_id)).all())
        tallied = set(session.execute(select(PeriodTally.period_id).where(PeriodTally.plan_id == plan_id)).scalars())
        assert tallied == set(periods.values())
        on_counters = {key: _figures(session, plan_id, key, now) for key in periods}
        session.execute(delete(PeriodTally).where(PeriodTally.plan_id == plan_id))  # the grouped path
        grouped = {key: _figures(session, plan_id, key, now) for key in periods}
        session.rollback()
    assert on_counters == grouped
    return periods


def _task(db: Database, plan_id: int, code: str) -> int:
    with db.session() as session:
        return session.execute(select(Task.id).where(Task.plan_id == plan_id, Task.code == code)).scalar_one()


def _unit(db: Database, name: str) -> int:
    with db.session() as session:
        return session.execute(select(Unit.id).where(Unit.name == name)).scalar_one()


def _report(db: Database, *, task: int, unit: int, period: int, now: datetime, status: str, **fields: object) -> int:
    def run(*, session: Session) -> int:
        row = session.get(ReportingPeriodRow, period)
        assert row is not None
        report = record_status(session=session, task_id=task, unit_id=unit, period=row, now=now,
                               today=now.date(), status=status, **fields)  # type: ignore[arg-type]
        assert report.id is not None
        return report.id

    return db.call(run)


def _tally_lines(db: Database, period: int) -> int:
    with db.session() as session:
        return int(session.execute(select(func.coalesce(func.sum(LineTally.lines), 0))
                                   .where(LineTally.period_id == period, LineTally.unit_id.is_not(None))).scalar_one())


def test_counters_follow_every_write(db: Database, clock: FixedClock) -> None:
    now = clock.now()  # 20 May 2026: Q2 is collected
    db.call(_units, now=now)
    plan_id = _import(db, build_docx(), now)
    periods = _check(db, plan_id, now)
    q1, q2 = periods["2026-Q1"], periods["2026-Q2"]
    lines = _tally_lines(db, q2)
    assert lines > 0
    with db.session() as session:
        assert session.get(PeriodTally, q2).lines == lines  # type: ignore[union-attr]

    science, justice = _unit(db, "Sở Khoa học và Công nghệ"), _unit(db, "Sở Tư pháp")
    platform, review = _task(db, plan_id, "II.1.1"), _task(db, plan_id, "I.2")
    # replies: in progress, then blocked, late; an undo; done in Q1, carried into Q2 and later
    _report(db, task=review, unit=justice, period=q2, now=now, status="in_progress", percent=40)
    blocked = _report(db, task=review, unit=justice, period=q2, now=now, status="blocked", blocker="Chưa có kinh phí")
    _check(db, plan_id, now)
    db.call(undo_report, report_id=blocked, now=now, today=now.date(), member_id=None)
    _check(db, plan_id, now)
    _report(db, task=platform, unit=science, period=q1, now=now - timedelta(days=60), status="done")
    _check(db, plan_id, now)
    # a coordinator's correction from the web page: another version, late (after Q2's cutoff)
    later = now + timedelta(days=20)
    _report(db, task=review, unit=justice, period=q2, now=later, status="done", source="web")
    _check(db, plan_id, later)

    # an alias gives II.1.1 its second lead ("Công an tỉnh" -> Sở Xây dựng): assignments recomputed
    before = _tally_lines(db, q2)
    db.call(change_aliases, unit="Sở Xây dựng", aliases=["Công an tỉnh"])
    with db.session() as session:
        leads = set(session.execute(select(TaskAssignment.unit_id).where(TaskAssignment.task_id == platform,
                                                                         TaskAssignment.role == "lead")).scalars())
    assert leads == {science, _unit(db, "Sở Xây dựng")}
    assert _tally_lines(db, q2) == before + 1
    _check(db, plan_id, now)

    # a re-import: the last page's task is gone, a new one is added
    added = (["3", "Đào tạo kỹ năng số", "Sở Tài chính", "", "Báo cáo", "", "Quý III/2026", ""], None)
    clock.advance(timedelta(minutes=5))
    assert _import(db, build_docx((PAGE_1, [added])), clock.now()) == plan_id
    with db.session() as session:
        assert session.execute(select(Task.active).where(Task.plan_id == plan_id, Task.code == "II.2")).scalar_one() \
            is False
    assert _tally_lines(db, q2) == before + 1 - 1 + 1
    _check(db, plan_id, now)

    # a unit merged into another (its reports and tasks move), a unit removed (its tasks lose their lead)
    _report(db, task=_task(db, plan_id, "II.1.2"), unit=_unit(db, "Sở Tài chính"), period=q2, now=now,
            status="in_progress")
    db.call(merge, keep="Sở Xây dựng", others=["Sở Tài chính"])
    _check(db, plan_id, now)
    db.call(remove, unit="Sở Tư pháp", now=now)
    _check(db, plan_id, now)

    # an ad hoc request: a new period of the plan, counted whole
    db.call(create_request, plan_id=plan_id, deadline=date(2026, 5, 29), text="Báo cáo nhanh tiến độ", now=now)
    periods = _check(db, plan_id, now)
    assert any(key.startswith("ADHOC-") for key in periods)

    # next year's periods (as the collecting period makes them): the new ones counted, 2026's kept
    def next_year(*, session: Session) -> None:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        ensure_periods(session=session, plan=plan, years=[2026, 2027], now=now)

    db.call(next_year)
    periods = _check(db, plan_id, now)
    assert "2027-Q1" in periods


def test_a_plan_never_counted_is_grouped_on_the_spot(db: Database, clock: FixedClock) -> None:
    """Rows written around the entry points (a plan restored from a backup of an older version, the test
    seeders) leave no marker: writes do not count it half, and the summary groups its lines itself."""
    now = clock.now()
    db.call(_units, now=now)
    plan_id = _import(db, build_docx(), now)
    with db.session() as session:
        session.execute(delete(PeriodTally).where(PeriodTally.plan_id == plan_id))
        session.execute(delete(LineTally).where(LineTally.plan_id == plan_id))
        session.commit()
        q2 = session.execute(select(ReportingPeriodRow.id).where(ReportingPeriodRow.key == "2026-Q2")).scalar_one()
    _report(db, task=_task(db, plan_id, "I.2"), unit=_unit(db, "Sở Tư pháp"), period=q2, now=now, status="done")
    with db.session() as session:
        assert session.execute(select(func.count()).select_from(LineTally)).scalar_one() == 0
        summary = build_summary(session=session, plan_id=plan_id, period_key="2026-Q2", now=now, detail=False)
        assert summary.totals.by_status.get("done", 0) >= 1
        assert session.get(Plan, plan_id) is not None


def test_the_check_sees_a_counter_off(db: Database, clock: FixedClock) -> None:
    """A write that forgot the counters shows up: a group's count changed, a period's marker gone."""
    now = clock.now()
    db.call(_units, now=now)
    plan_id = _import(db, build_docx(), now)
    with db.session() as session:
        row = session.execute(select(LineTally).where(LineTally.plan_id == plan_id).limit(1)).scalar_one()
        row.lines += 1
        session.add(row)
        session.flush()
        found = differences(session, plan_id=plan_id)
        assert list(found) == [row.period_id]
        kept, counted = found[row.period_id]
        assert any(group[8] == row.lines for group in kept) and any(group[8] == row.lines - 1 for group in counted)
        session.rollback()
        marker = session.execute(select(PeriodTally).where(PeriodTally.plan_id == plan_id).limit(1)).scalar_one()
        session.delete(marker)
        session.flush()
        assert list(differences(session, plan_id=plan_id)) == [marker.period_id]


def test_a_report_counts_its_own_period_again_unless_it_is_or_replaces_a_done_one(db: Database,
                                                                                 clock: FixedClock) -> None:
    """A reply that is not done, over one that was not, rewrites its unit's counters in its own period alone
    (the later periods look at done reports only); a done one, or one replacing a done one (a correction),
    rewrites every period due from its own on, and the counters stay exact."""
    from sqlalchemy import event

    now = clock.now()
    db.call(_units, now=now)
    plan_id = _import(db, build_docx(), now)
    periods = _check(db, plan_id, now)
    science, platform = _unit(db, "Sở Khoa học và Công nghệ"), _task(db, plan_id, "II.1.1")
    q1 = periods["2026-Q1"]
    with db.session() as session:
        cutoff = session.get(ReportingPeriodRow, q1).cutoff  # type: ignore[union-attr]
        from_q1 = session.execute(select(func.count()).select_from(ReportingPeriodRow).where(
            ReportingPeriodRow.plan_id == plan_id, ReportingPeriodRow.cutoff >= cutoff)).scalar_one()
    assert from_q1 > 1
    rewritten: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO LINETALLY"):
            rewritten.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    earlier = now - timedelta(days=60)
    try:
        for status, periods_rewritten in (("in_progress", 1), ("blocked", 1), ("done", from_q1),
                                          ("in_progress", from_q1), ("in_progress", 1)):
            rewritten.clear()
            _report(db, task=platform, unit=science, period=q1, now=earlier, status=status, blocker=None)
            assert len(rewritten) == periods_rewritten, status
            _check(db, plan_id, now)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def test_concurrent_reports_of_one_unit_keep_the_counters_exact(db: Database, clock: FixedClock) -> None:
    """Two writers at once on one unit: done reports and corrections in Q1 (rewriting every later period) and
    replies in Q2 (rewriting Q2 alone); the counters agree with the rows afterwards."""
    import threading

    now = clock.now()
    db.call(_units, now=now)
    plan_id = _import(db, build_docx(), now)
    periods = _check(db, plan_id, now)
    science = _unit(db, "Sở Khoa học và Công nghệ")
    platform = _task(db, plan_id, "II.1.1")
    with db.session() as session:
        others = [task for task in session.execute(
            select(TaskAssignment.task_id).where(TaskAssignment.unit_id == science, TaskAssignment.role == "lead")
        ).scalars() if task != platform]
    assert others
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(period: int, statuses: tuple[str, ...], tasks: list[int], when: datetime) -> None:
        try:
            start.wait()
            for n, status in enumerate(statuses):
                _report(db, task=tasks[n % len(tasks)], unit=science, period=period, now=when, status=status)
        except BaseException as exc:  # shown by the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(periods["2026-Q1"], ("done", "in_progress") * 3, [platform],
                                                      now - timedelta(days=60))),
               threading.Thread(target=writer, args=(periods["2026-Q2"], ("in_progress", "blocked", "done") * 2,
                                                      [platform, *others], now))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _check(db, plan_id, now)
