"""Small builders for test data (plain inserts through the real query functions where they exist)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import Plan, Task, TaskAssignment, Unit
from storage.units import add_unit


def make_plan(session: Session, *, now: datetime, year: int = 2026, title: str = "Kế hoạch thử nghiệm",
              number: str | None = "01/KH-TEST", coordinator: Unit | None = None) -> Plan:
    plan = Plan(number=number, title=title, year=year, created_at=now, updated_at=now,
                coordinator_unit_id=coordinator.id if coordinator else None)
    session.add(plan)
    session.flush()
    return plan


def make_task(session: Session, plan: Plan, *, code: str, title: str, lead: Unit, now: datetime,
              support: tuple[Unit, ...] = (), deadlines: tuple[str, ...] = (), recurrence: str = "none",
              completed: bool = False, kind: str = "task") -> Task:
    assert plan.id is not None and lead.id is not None
    task = Task(plan_id=plan.id, code=code, title=title, deadlines=list(deadlines), recurrence=recurrence,
                completed=completed, kind=kind, position=int("".join(c for c in code if c.isdigit()) or 0),
                created_at=now, updated_at=now)
    session.add(task)
    session.flush()
    assert task.id is not None
    session.add(TaskAssignment(task_id=task.id, unit_id=lead.id, role="lead"))
    for unit in support:
        assert unit.id is not None
        session.add(TaskAssignment(task_id=task.id, unit_id=unit.id, role="support"))
    session.flush()
    return task


def make_units(session: Session, *names: str, now: datetime) -> list[Unit]:
    return [add_unit(session=session, name=name, now=now) for name in names]


def seed_two_units_and_an_office(session: Session, *, now: datetime) -> tuple[dict[str, int], dict[str, int], int]:
    """The chat tests' world: Phòng Kinh tế (tasks 1 and 2), Phòng Tư pháp (task 3, support on 1), Văn phòng
    coordinating plan 01/KH-UBND. Returns (units by "kt"/"tp"/"vp", tasks by code, the plan id)."""
    economy, justice, office = make_units(session, "Phòng Kinh tế", "Phòng Tư pháp", "Văn phòng", now=now)
    plan = make_plan(session, now=now, coordinator=office, number="01/KH-UBND", title="Kế hoạch chuyển đổi số 2026")
    t1 = make_task(session, plan, code="1", title="Số hoá hồ sơ thủ tục hành chính", lead=economy, support=(justice,),
                   deadlines=("2026-06-30",), now=now)
    t2 = make_task(session, plan, code="2", title="Tuyên truyền chuyển đổi số", lead=economy,
                   recurrence="continuous", now=now)
    t3 = make_task(session, plan, code="3", title="Rà soát văn bản", lead=justice, deadlines=("2026-11-30",), now=now)
    units = {"kt": economy.id, "tp": justice.id, "vp": office.id}
    tasks = {"1": t1.id, "2": t2.id, "3": t3.id}
    assert plan.id is not None
    return units, tasks, plan.id  # type: ignore[return-value]
