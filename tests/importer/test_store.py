"""Committing an import, and importing the same plan again, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from bot.base.clock import FixedClock
from bot.directory.service import unit_ids_for
from bot.importer import ImportResult, commit_import, preview_import
from storage.database import Database
from storage.models import Plan, StatusReport, Task, TaskAssignment, Unit, UnitGroup
from storage.plans import list_plans, list_tasks
from storage.units import add_unit
from tests.importer.builders import build_docx

SEED_000 = "000_c4a0b6284e5c1916.txt"
OFFICE = "Các phòng, đơn vị trực thuộc"


def _office_units(session: Session, now: datetime) -> None:
    add_unit(session=session, name="Phòng Tổ chức – Hành chính – Quản trị", aliases=["TCHCQT"], groups=[OFFICE],
             now=now)
    add_unit(session=session, name="Trung tâm Thông tin", groups=[OFFICE], now=now)
    add_unit(session=session, name="Phòng Tổng hợp", groups=[OFFICE], now=now)


def _province_units(session: Session, now: datetime) -> None:
    for name in ("Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng"):
        add_unit(session=session, name=name, groups=["Các sở, ban, ngành"], now=now)
    add_unit(session=session, name="Công an tỉnh", now=now)
    add_unit(session=session, name="Văn phòng UBND tỉnh", aliases=["VP UBND tỉnh"], now=now)
    add_unit(session=session, name="UBND xã Vân Hồ", groups=["UBND cấp xã"], now=now)


def _import(db: Database, data: bytes, name: str, now: datetime, **options: object) -> ImportResult:
    def run(*, session: Session) -> ImportResult:
        preview = preview_import(data, name, session=session)
        return commit_import(preview, session=session, now=now, **options)  # type: ignore[arg-type]

    return db.call(run)


def _count(db: Database, model: type) -> int:
    with db.session() as session:
        return len(session.exec(select(model)).all())


def test_seed_import_assigns_groups_and_is_idempotent(db: Database, clock: FixedClock, seeds_dir: Path) -> None:
    now = clock.now()
    db.call(_office_units, now=now)
    data = (seeds_dir / SEED_000).read_bytes()
    first = _import(db, data, SEED_000, now)
    assert first.save.created_plan and len(first.save.added) == 12
    assignments = _count(db, TaskAssignment)
    with db.session() as session:
        plan = session.exec(select(Plan)).one()
        coordinator = session.get(Unit, plan.coordinator_unit_id)
        assert coordinator is not None and coordinator.name == "Phòng Tổ chức – Hành chính – Quản trị"
        task = session.exec(select(Task).where(Task.code == "1")).one()
        rows = session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id)).all()
        assert {r.role for r in rows} == {"lead"} and len(rows) == 3  # the whole group leads
        assert {r.via_group for r in rows} == {OFFICE}
        second = session.exec(select(Task).where(Task.code == "2")).one()
        assert second.deadlines == ["2026-11-30"] and second.timeframe_raw == "Trước 30/11/2026"

    clock.advance(datetime.resolution * 10)
    again = _import(db, data, SEED_000, clock.now())
    assert not again.save.created_plan
    assert (len(again.save.added), len(again.save.updated), len(again.save.unchanged)) == (0, 0, 12)
    assert _count(db, Plan) == 1 and _count(db, Task) == 12 and _count(db, TaskAssignment) == assignments


def test_reimport_keeps_reports_and_deactivates_missing_tasks(
    db: Database, clock: FixedClock, seeds_dir: Path,
) -> None:
    now = clock.now()
    db.call(_office_units, now=now)
    text = (seeds_dir / SEED_000).read_text(encoding="utf-8")
    _import(db, text.encode(), SEED_000, now)

    def report_on_task_12(*, session: Session) -> int:
        task = session.exec(select(Task).where(Task.code == "12")).one()
        unit = session.exec(select(Unit).where(Unit.name == "Trung tâm Thông tin")).one()
        session.add(StatusReport(task_id=task.id, unit_id=unit.id, status="done", created_at=now))
        return task.id or 0

    task_id = db.call(report_on_task_12)
    shorter = text[: text.index("\n12 \n")].replace("Trước \n\n30/11/2026", "Trước \n\n15/11/2026")
    result = _import(db, shorter.encode(), SEED_000, now)
    assert result.save.deactivated == ["12"] and result.save.deactivated_with_reports == ["12"]
    assert result.save.updated == ["2"]
    with db.session() as session:
        task = session.get(Task, task_id)
        assert task is not None and not task.active
        assert len(session.exec(select(StatusReport).where(StatusReport.task_id == task_id)).all()) == 1
        assert session.exec(select(Task).where(Task.code == "2")).one().deadlines == ["2026-11-15"]
    assert [t.code for t in db.call(list_tasks)] == [str(n) for n in range(1, 12)]

    back = _import(db, text.encode(), SEED_000, now)
    assert sorted(back.save.updated) == ["12", "2"]
    with db.session() as session:
        assert session.get(Task, task_id).active  # type: ignore[union-attr]
    assert _count(db, Task) == 12


def test_unknown_lead_units_never_refuse_the_commit_and_stay_written_on_the_tasks(
    db: Database, clock: FixedClock,
) -> None:
    result = _import(db, build_docx(), "kehoach.docx", clock.now())
    assert result.created_units == [] and _count(db, Task) == 8 and _count(db, Unit) == 0
    with db.session() as session:
        task = session.exec(select(Task).where(Task.code == "II.1.1")).one()
        assert task.lead_names == ["Sở Khoa học và Công nghệ", "Công an tỉnh"]  # the raw names, for later re-resolution


def test_create_units_registers_organizations_but_no_groups(db: Database, clock: FixedClock) -> None:
    result = _import(db, build_docx(), "kehoach.docx", clock.now(), create_units=True)
    assert "Sở Tư pháp" in result.created_units
    assert {"Các sở, ban, ngành", "UBND cấp xã"} <= set(result.not_created)
    with db.session() as session:
        assert session.exec(select(UnitGroup)).all() == []
    assert _count(db, Task) == 8


def test_create_units_keeps_the_shorter_name_when_a_longer_one_only_adds_words_at_its_end(
    db: Database, clock: FixedClock,
) -> None:
    """A lead read from a sentence can keep its verb ("Sở Nội vụ và Đào tạo tổ chức"); registered with the
    plain name beside it, the plain name is the unit and the longer one its alias (found by tryplans: the
    verb-tailed name had become the unit's name). A longer name that is not the shorter plus a tail stays the
    unit, as before."""
    from bot.importer.service import register_units

    names = ["Sở Nội vụ và Đào tạo tổ chức", "Sở Nội vụ và Đào tạo", "Ban Quản lý dự án đầu tư xây dựng tỉnh",
             "Ban Quản lý dự án xây dựng", "Sở Tư pháp"]
    created, skipped = db.call(register_units, names=names, now=clock.now())
    assert skipped == []
    assert "Sở Nội vụ và Đào tạo tổ chức (tên gọi khác của «Sở Nội vụ và Đào tạo»)" in created
    assert "Ban Quản lý dự án xây dựng (tên gọi khác của «Ban Quản lý dự án đầu tư xây dựng tỉnh»)" in created
    with db.session() as session:
        units = {u.name: u.id for u in session.exec(select(Unit)).all()}
        assert set(units) == {"Sở Nội vụ và Đào tạo", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "Sở Tư pháp"}
        assert unit_ids_for(session=session, name="Sở Nội vụ và Đào tạo tổ chức") == [units["Sở Nội vụ và Đào tạo"]]


def test_built_docx_with_registered_units(db: Database, clock: FixedClock) -> None:
    now = clock.now()
    db.call(_province_units, now=now)

    def preview(*, session: Session):  # type: ignore[no-untyped-def]
        return preview_import(build_docx(), "kehoach.docx", session=session)

    shown = db.call(preview)
    assert shown.unknown_leads == [] and shown.existing_plan_id is None
    data = shown.to_json()
    assert set(data) >= {"plan", "tasks", "warnings"}
    by_code = {t["code"]: t for t in data["tasks"]}
    assert by_code["T1"]["lead_units"] == ["Sở Khoa học và Công nghệ"]  # "Sở KH&CN"
    # "Các sở, ban, ngành; UBND cấp xã": every member of both groups but the lead
    assert set(by_code["I.1"]["support_units"]) == {"Sở Tài chính", "Sở Xây dựng", "Sở Tư pháp", "UBND xã Vân Hồ"}
    assert _count(db, Plan) == 0  # a preview writes nothing

    _import(db, build_docx(), "kehoach.docx", now)
    _import(db, build_docx(), "kehoach.docx", now)
    plans = db.call(list_plans)
    assert [(p.number, p.tasks, p.targets, p.groups) for p in plans] == [("125/KH-UBND", 5, 2, 1)]
    mine = db.call(_tasks_of, unit="Sở Xây dựng")  # led (II.1.2) or supported, directly or through its group
    assert [t.code for t in mine] == ["T1", "I.1", "I.2", "II.1.2"]
    assert [t.code for t in mine if "Sở Xây dựng" in t.lead] == ["II.1.2"]
    assert db.call(_tasks_of, plan="125/KH-UBND", unit="Công an tỉnh")[0].lead == [
        "Sở Khoa học và Công nghệ", "Công an tỉnh"]


def _tasks_of(*, session: Session, unit: str, plan: str | None = None) -> list:  # type: ignore[type-arg]
    return list_tasks(session=session, plan=plan, unit_ids=unit_ids_for(session=session, name=unit))
