"""What an outbox row says, decided at send time from the database (a unit that reported is dropped).

`render(session, row, now)` returns the message, or a reason to drop the row, plus "followers": the
messages that come right after this one (the task cards after a nudge header, the further chunks of a
summary), each of which becomes an outbox row of its own once this one is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.chat import Outgoing
from bot.base.clock import VN_TZ
from bot.calendar import is_working_day, working_days_between
from bot.cards import card
from bot.periods import as_period, collecting_period, unit_task_lines
from storage.answers import from_payload
from storage.models import (
    AssignmentRole,
    Nudge,
    Plan,
    ReportingPeriodRow,
    StatusReport,
    Task,
    TaskAssignment,
    Unit,
)
from storage.reports import done_before, latest_report


@dataclass
class Rendered:
    out: Outgoing | None = None
    drop: str | None = None  # a reason, in Vietnamese (shown by `nhacviec nudges status`)
    followers: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (key suffix, payload)
    summary_kind: str | None = None  # preview | final | daily: recorded as a SummaryPush


def render(session: Session, row: Nudge, now: datetime, tz: ZoneInfo = VN_TZ) -> Rendered:
    kind = row.payload.get("render")
    handler = RENDERERS.get(str(kind))
    if handler is None:
        return Rendered(drop=f"không biết cách soạn tin loại {kind!r}")
    return handler(session, row, now, tz)


def _open_lines(session: Session, row: Nudge, period: ReportingPeriodRow) -> list[Any]:
    assert row.plan_id is not None and row.unit_id is not None
    lines = unit_task_lines(session=session, plan_id=row.plan_id, unit_id=row.unit_id, period=period)
    return [line for line in lines if line.report is None]


def _period(session: Session, row: Nudge) -> ReportingPeriodRow | None:
    return session.get(ReportingPeriodRow, row.period_id) if row.period_id else None


def _unit_name(session: Session, unit_id: int | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else "?"


def _period_nudge(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    period = _period(session, row)
    if period is None:
        return Rendered(drop="kỳ báo cáo không còn")
    today = now.astimezone(tz).date()
    if today >= period.cutoff:
        return Rendered(drop="đã qua hạn báo cáo (chuyển sang đôn đốc)")
    lines = _open_lines(session, row, period)
    if not lines:
        return Rendered(drop="đơn vị đã báo cáo đủ")
    last_day = period.cutoff - timedelta(days=1)
    text = msg.nudge_header(unit=_unit_name(session, row.unit_id), period_label=as_period(period).label_vi(),
                            count=len(lines), last_day=last_day, request_text=period.request_text,
                            days_left=working_days_between(today, last_day) + (1 if is_working_day(today) else 0))
    followers = [(f"t{line.task.id}", {"render": "card", "task_id": line.task.id}) for line in lines]
    return Rendered(out=Outgoing(text=text), followers=followers)


def _card(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    task, period = session.get(Task, row.payload.get("task_id")), _period(session, row)
    if task is None or period is None or not task.active:
        return Rendered(drop="nhiệm vụ hoặc kỳ không còn")
    report = latest_report(session=session, task_id=task.id, unit_id=row.unit_id, period_id=period.id)  # type: ignore[arg-type]
    if report is not None and report.status != "retracted":
        return Rendered(drop="nhiệm vụ đã được báo cáo")
    return Rendered(out=card(task, period, None, unit_id=row.unit_id))


def _deadline(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    task = session.get(Task, row.payload.get("task_id"))
    plan = session.get(Plan, row.plan_id)
    if task is None or plan is None or not task.active:
        return Rendered(drop="nhiệm vụ không còn")
    deadline = date.fromisoformat(str(row.payload["deadline"]))
    today = now.astimezone(tz).date()
    if today > deadline:
        return Rendered(drop="đã qua hạn nhiệm vụ")
    assert task.id is not None and row.unit_id is not None
    done = done_before(session=session, plan_id=task.plan_id, before=date.max, unit_ids=[row.unit_id])
    if task.completed or (task.id, row.unit_id) in done:
        return Rendered(drop="nhiệm vụ đã hoàn thành")
    period = collecting_period(session=session, plan=plan, today=today, now=now)
    out = card(task, period, None, unit_id=row.unit_id)
    banner = msg.deadline_banner(deadline=deadline, days_left=working_days_between(today, deadline))
    out.text = f"{banner}\n\n{out.text}"
    return Rendered(out=out)


def _escalation_head(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    period = _period(session, row)
    if period is None:
        return Rendered(drop="kỳ báo cáo không còn")
    lines = _open_lines(session, row, period)
    if not lines:
        return Rendered(drop="đơn vị đã báo cáo đủ")
    text = msg.escalation_head(unit=_unit_name(session, row.unit_id), period_label=as_period(period).label_vi(),
                               last_day=period.cutoff - timedelta(days=1),
                               lines=[f"{ln.task.code}. {ln.task.title[:120]}" for ln in lines])
    return Rendered(out=Outgoing(text=text))


def lead_units(session: Session, plan_id: int) -> list[int]:
    rows = session.exec(select(TaskAssignment.unit_id).join(Task, Task.id == TaskAssignment.task_id).where(
        Task.plan_id == plan_id, Task.active.is_(True), TaskAssignment.role == AssignmentRole.LEAD,  # type: ignore[attr-defined]
        Task.kind.in_(("task", "target")))).all()  # type: ignore[attr-defined]
    return sorted(set(rows))


def missing_units(session: Session, plan_id: int, period: ReportingPeriodRow) -> tuple[list[tuple[int, int]], int]:
    """[(unit id, open task count)] for the lead units that have not reported everything, and the unit total."""
    units = lead_units(session, plan_id)
    missing = []
    for unit_id in units:
        lines = unit_task_lines(session=session, plan_id=plan_id, unit_id=unit_id, period=period)
        count = sum(1 for line in lines if line.report is None)
        if count:
            missing.append((unit_id, count))
    return missing, len(units)


def _escalation_coordinator(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    period = _period(session, row)
    if period is None or row.plan_id is None:
        return Rendered(drop="kỳ báo cáo không còn")
    missing, total = missing_units(session, row.plan_id, period)
    text = msg.escalation_coordinator(period_label=as_period(period).label_vi(),
                                      last_day=period.cutoff - timedelta(days=1),
                                      missing=[(_unit_name(session, u), n) for u, n in missing], total=total)
    return Rendered(out=Outgoing(text=text))


def _upward(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    """The coordinator's reminder before its deadline to report the period upward: who has not reported yet."""
    period = _period(session, row)
    if period is None or row.plan_id is None:
        return Rendered(drop="kỳ báo cáo không còn")
    last_day = date.fromisoformat(str(row.payload["deadline"]))
    today = now.astimezone(tz).date()
    if today > last_day:
        return Rendered(drop="đã qua hạn báo cáo lên cấp trên")
    missing, total = missing_units(session, row.plan_id, period)
    text = msg.upward_deadline(period_label=as_period(period).label_vi(),
                               recipient=str(row.payload.get("recipient") or "cấp trên"), last_day=last_day,
                               days_left=working_days_between(today, last_day) + (1 if is_working_day(today) else 0),
                               missing=[(_unit_name(session, u), n) for u, n in missing], total=total,
                               summary_command=f"/tonghop {period.key}",
                               sender=str(row.payload["sender"]) if row.payload.get("sender") else None,
                               escalated=date.fromisoformat(str(row.payload["escalated"]))
                               if row.payload.get("escalated") else None)
    return Rendered(out=Outgoing(text=text))


def _summary(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    period = _period(session, row)
    if period is None or row.plan_id is None:
        return Rendered(drop="kỳ báo cáo không còn")
    which = str(row.payload.get("which", "final"))
    label = as_period(period).label_vi()
    title = msg.summary_preview_title(label) if which == "preview" else msg.summary_final_title(label)
    chunks = summary_chunks(session, row.plan_id, period.key, now)
    chunks[0] = f"{title}\n\n{chunks[0]}" if len(title) + len(chunks[0]) < 4000 else chunks[0]
    followers = [(f"c{i}", {"render": "text", "text": text, "push_key": row.key})
                 for i, text in enumerate(chunks[1:], start=2)]
    if which == "final":  # the files a coordinator files upward come with the final summary
        followers += [(f"f{fmt}", {"render": "summary_file", "format": fmt, "push_key": row.key})
                      for fmt in SUMMARY_FILES]
    return Rendered(out=Outgoing(text=chunks[0]), followers=followers, summary_kind=which)


SUMMARY_FILES = ("xlsx", "docx", "png")


def _summary_file(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    """One file of the final summary (Excel table, Word draft report, chart), built from the database now."""
    from bot.summary.build import build_summary
    from bot.summary.files import summary_attachment

    period = _period(session, row)
    if period is None or row.plan_id is None:
        return Rendered(drop="kỳ báo cáo không còn")
    summary = build_summary(session=session, plan_id=row.plan_id, period_key=period.key, now=now)
    return Rendered(out=summary_attachment(summary, str(row.payload.get("format", "xlsx"))))


def summary_chunks(session: Session, plan_id: int, period_key: str, now: datetime) -> list[str]:
    """The summary as message chunks, from the summary package (bot.summary.build + bot.summary.render_text)."""
    from bot.summary.build import build_summary
    from bot.summary.render_text import render_text

    summary = build_summary(session=session, plan_id=plan_id, period_key=period_key, now=now)
    return render_text(summary) or ["(trống)"]


def _late_digest(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    period = _period(session, row)
    if period is None:
        return Rendered(drop="kỳ báo cáo không còn")
    day = date.fromisoformat(str(row.payload["day"]))
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    reports = session.exec(select(StatusReport, Task.code, Unit.name)
                           .join(Task, Task.id == StatusReport.task_id).join(Unit, Unit.id == StatusReport.unit_id)
                           .where(StatusReport.period_id == period.id, StatusReport.late.is_(True),  # type: ignore[attr-defined]
                                  StatusReport.created_at >= start,  # type: ignore[operator]
                                  StatusReport.created_at < start + timedelta(days=1))  # type: ignore[operator]
                           .order_by(StatusReport.id)).all()
    latest: dict[tuple[int, int], tuple[str, str, str]] = {}
    for report, code, unit in reports:
        latest[(report.task_id, report.unit_id)] = (unit, code, report.status)
    if not latest:
        return Rendered(drop="không có báo cáo muộn nào trong ngày")
    text = msg.late_digest(period_label=as_period(period).label_vi(), day=day, lines=list(latest.values()))
    return Rendered(out=Outgoing(text=text), summary_kind="daily")


def _text(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    return Rendered(out=Outgoing(text=str(row.payload.get("text", ""))))


def _answer(session: Session, row: Nudge, now: datetime, tz: ZoneInfo) -> Rendered:
    """A step's answer to a reply, as the step wrote it (storage/answers.py)."""
    return Rendered(out=from_payload(row.payload))


RENDERERS = {
    "period": _period_nudge, "card": _card, "deadline": _deadline, "escalation_head": _escalation_head,
    "escalation_coordinator": _escalation_coordinator, "summary": _summary, "late_digest": _late_digest,
    "text": _text, "summary_file": _summary_file, "answer": _answer, "upward": _upward,
}
