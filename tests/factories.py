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
