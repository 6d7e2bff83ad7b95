"""Test data for summaries, written with plain SQLModel inserts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session

from bot.base.clock import VN_TZ
from bot.base.text import normalize_name
from storage.database import Database
from storage.models import Member, Plan, ReportingPeriodRow, StatusReport, Task, TaskAssignment, Unit

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=VN_TZ)
NOW = datetime(2026, 6, 10, 9, 0, tzinfo=VN_TZ)  # Q2's cutoff (5 June) has passed


@dataclass
class Seeder:
    """Adds units, a plan, tasks, periods, members and reports in one session."""

    session: Session
    now: datetime = T0
    _versions: dict[tuple[int, int, int], int] = field(default_factory=dict)
    _position: int = 0

    def add(self, row):  # type: ignore[no-untyped-def]
        self.session.add(row)
        self.session.flush()
        return row

    def unit(self, name: str) -> Unit:
        return self.add(Unit(name=name, normalized_name=normalize_name(name), created_at=self.now))

    def plan(self, number: str = "125/KH-UBND", title: str = "Kế hoạch chuyển đổi số năm 2026",
             coordinator: Unit | None = None, active: bool = True) -> Plan:
        return self.add(Plan(number=number, title=title, issuer="UBND tỉnh Sơn La", year=2026, active=active,
                             coordinator_unit_id=coordinator.id if coordinator else None,
                             created_at=self.now, updated_at=self.now))

    def quarter(self, plan: Plan, q: int, year: int = 2026) -> ReportingPeriodRow:
        start = date(year, 3 * q - 2, 1)
        end = (date(year, 3 * q + 1, 1) if q < 4 else date(year + 1, 1, 1)) - timedelta(days=1)
        return self.add(ReportingPeriodRow(plan_id=plan.id, key=f"{year}-Q{q}", kind="quarterly", start=start,
                                           end=end, cutoff=date(year, 3 * q, 5), created_at=self.now))

    def ad_hoc(self, plan: Plan, key: str, cutoff: date, text: str = "Báo cáo nhanh") -> ReportingPeriodRow:
        return self.add(ReportingPeriodRow(plan_id=plan.id, key=key, kind="ad_hoc", start=cutoff, end=cutoff,
                                           cutoff=cutoff, request_text=text, created_at=self.now))

    def task(self, plan: Plan, code: str, title: str, lead: Unit | list[Unit], supports: tuple[Unit, ...] = (),
             deadlines: tuple[str, ...] = (), kind: str = "task", completed: bool = False,
             timeframe: str | None = None, recurrence: str = "unspecified",
             via_group: str | None = None) -> Task:
        self._position += 1
        task = self.add(Task(plan_id=plan.id, code=code, title=title, kind=kind, position=self._position,
                             deadlines=list(deadlines), completed=completed, timeframe_raw=timeframe,
                             recurrence=recurrence, created_at=self.now, updated_at=self.now))
        for unit in lead if isinstance(lead, list) else [lead]:
            self.add(TaskAssignment(task_id=task.id, unit_id=unit.id, role="lead"))
        for unit in supports:
            self.add(TaskAssignment(task_id=task.id, unit_id=unit.id, role="support", via_group=via_group))
        return task

    def member(self, unit: Unit, name: str | None, user_id: str) -> Member:
        return self.add(Member(user_id=user_id, display_name=name, unit_id=unit.id, joined_at=self.now))

    def report(self, task: Task, unit: Unit, period: ReportingPeriodRow, status: str, *,
               member: Member | None = None, late: bool = False, **fields: object) -> StatusReport:
        """A new version, written the way storage.reports.record_status writes it: it alone is `current`."""
        key = (task.id, unit.id, period.id)
        version = self._versions[key] = self._versions.get(key, 0) + 1
        self.session.execute(update(StatusReport).where(
            StatusReport.task_id == task.id, StatusReport.unit_id == unit.id, StatusReport.period_id == period.id,
        ).values(current=False))
        return self.add(StatusReport(task_id=task.id, unit_id=unit.id, period_id=period.id, version=version,
                                     status=status, late=late, member_id=member.id if member else None,
                                     created_at=self.now, current=True, **fields))


def scenario(db: Database) -> dict[str, int]:
    """Three lead units over Q1-Q3 of one plan; see each test for what matters."""
    with db.session() as s:
        sd = Seeder(s)
        fin, health, commune, culture = (sd.unit(n) for n in (
            "Sở Tài chính", "Sở Y tế", "UBND xã Vân Hồ", "Phòng Văn hóa - Xã hội"))
        plan = sd.plan(coordinator=culture)
        q1, q2, _q3 = sd.quarter(plan, 1), sd.quarter(plan, 2), sd.quarter(plan, 3)
        lan = sd.member(fin, "Nguyễn Thị Lan", "101")
        hung = sd.member(fin, "Trần Văn Hùng", "102")
        anon = sd.member(health, None, "201")
        t1 = sd.task(plan, "1", "Số hoá hồ sơ thủ tục hành chính", fin, supports=(health,), deadlines=("2026-03-31",))
        t2 = sd.task(plan, "2", "Xây dựng kho dữ liệu dùng chung", fin, deadlines=("2026-12-31",))
        t3 = sd.task(plan, "3", "Tập huấn kỹ năng số cho cán bộ", health, deadlines=("2026-04-30",))
        t4 = sd.task(plan, "4", "Rà soát danh mục dịch vụ công", health)
        sd.task(plan, "5", "Ban hành quy chế", commune, completed=True)
        sd.task(plan, "II", "Nhóm nhiệm vụ hạ tầng", commune, kind="group")
        t7 = sd.task(plan, "T1", "Tỷ lệ hồ sơ trực tuyến đạt 70%", fin, kind="target")
        sd.report(t1, fin, q1, "in_progress", member=lan, percent=40)
        sd.report(t4, health, q1, "done", member=anon)
        sd.report(t1, fin, q2, "done", member=lan, note="Đã số hoá 12.000 hồ sơ")
        sd.report(t2, fin, q2, "in_progress", member=lan, percent=30)
        sd.report(t2, fin, q2, "blocked", member=hung, late=True, blocker="Chưa được cấp kinh phí")
        sd.report(t3, health, q2, "in_progress", member=anon)
        sd.report(t3, health, q2, "retracted", member=anon)
        sd.report(t7, fin, q2, "in_progress", member=lan, percent=60, note="Đạt 60%",
                  expected_date=date(2026, 9, 30))
        return {"plan": plan.id, "fin": fin.id, "health": health.id, "commune": commune.id}
