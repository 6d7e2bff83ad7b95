"""Vietnamese words the renderers share: statuses, unit states, dates, numbers."""

from __future__ import annotations

from datetime import date

from bot.summary.model import NO_REPORT, TaskLine, Totals, UnassignedTask, UnitState, UnitSummary

STATUS_LABELS: dict[str, str] = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "blocked": "Vướng mắc",
    "unknown": "Chưa rõ",
    NO_REPORT: "Chưa báo cáo",
}
STATUS_ORDER: tuple[str, ...] = tuple(STATUS_LABELS)

UNIT_STATE_LABELS: dict[UnitState, str] = {
    UnitState.ON_TIME: "Đúng hạn",
    UnitState.LATE: "Trễ hạn",
    UnitState.PARTIAL: "Báo cáo một phần",
    UnitState.MISSING: "Chưa báo cáo",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def unit_state_label(unit: UnitSummary) -> str:
    """ "Đúng hạn", "Trễ hạn", "Đã báo cáo 1/12 nhiệm vụ", "Chưa báo cáo"."""
    if unit.state is UnitState.PARTIAL:
        return f"Đã báo cáo {unit.reported}/{unit.total} nhiệm vụ"
    return UNIT_STATE_LABELS[unit.state]


def reporting_phrase(totals: Totals) -> str:
    """ "1/3 đơn vị đã báo cáo đủ (1 đúng hạn, 0 trễ hạn), 1 đơn vị báo cáo một phần, 1 đơn vị chưa báo cáo"."""
    text = (f"{totals.units_reported}/{totals.units_total} đơn vị đã báo cáo đủ ({totals.units_on_time} đúng hạn, "
            f"{totals.units_late} trễ hạn)")
    if totals.units_partial:
        text += f", {totals.units_partial} đơn vị báo cáo một phần"
    if totals.units_missing:
        text += f", {totals.units_missing} đơn vị chưa báo cáo"
    return text


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def percent(value: float) -> str:
    """50.0 -> "50%", 66.7 -> "66,7%" (Vietnamese decimal comma)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def signed_points(value: float) -> str:
    """+12,5 điểm % / -3 điểm %."""
    sign = "+" if value > 0 else ("-" if value < 0 else "±")
    return f"{sign}{percent(abs(value))[:-1]} điểm %"


def reading(line: TaskLine) -> str:
    """ "Kết quả thực hiện" as the bot read the report: "Hoàn thành", "Đang thực hiện 60%, dự kiến 20/6",
    "Chưa thực hiện", "Vướng mắc: ..."; the unit's own words go to the note column (`note_text`)."""
    if line.is_done:
        return "Hoàn thành (kỳ trước)" if line.carried and line.reported_at is None else "Hoàn thành"
    if line.is_blocked or line.status == "blocked":
        what = (line.blocker or "").strip()
        return f"Vướng mắc: {what}" if what else "Vướng mắc"
    if line.status == "in_progress":
        text = "Đang thực hiện" + (f" {line.percent}%" if line.percent is not None else "")
        if line.expected_date:
            text += f", dự kiến {line.expected_date.day}/{line.expected_date.month}"
        return text
    return status_label(line.status)


def note_text(line: TaskLine) -> str:
    """The report as the unit wrote it (the note column), "" when there is none."""
    return (line.note or "").strip()


def progress_text(line: TaskLine) -> str:
    """ "Tiến độ": done, overdue, or on schedule, with the expected date when given."""
    if line.is_done:
        return "Hoàn thành"
    parts = [overdue_label(line) if line.overdue else ("Chưa báo cáo" if line.status == NO_REPORT else "Trong tiến độ")]
    if line.expected_date:
        parts.append(f"dự kiến xong {vn_date(line.expected_date)}")
    return ", ".join(parts)


def overdue_label(line: TaskLine) -> str:
    """ "Quá hạn từ 31/03/2026" for an overdue line (the deadline that passed), "" otherwise."""
    if not line.overdue:
        return ""
    return f"Quá hạn từ {vn_date(line.overdue_since)}" if line.overdue_since else "Quá hạn"


def deadline_text(line: TaskLine) -> str:
    """ "Thời hạn": the timeframe as written in the plan, else the deadlines."""
    if line.timeframe:
        return line.timeframe
    return "; ".join(vn_date(d) for d in line.deadlines)


# Tasks no lead unit answers for (Summary.unassigned): the same words in the text, Excel and Word summaries.
UNASSIGNED_HINT = ("Bổ sung danh mục đơn vị (nhacviec units import, units alias) để giao các nhiệm vụ này; "
                   "xem: nhacviec plans check.")


def unassigned_heading(count: int) -> str:
    return f"{count} nhiệm vụ chưa có đơn vị chủ trì"


def written_leads(task: UnassignedTask) -> str:
    """The lead names the plan wrote for a task with no lead unit."""
    return "; ".join(task.names) or "không ghi đơn vị"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)}


def clean(text: str | None) -> str | None:
    """Drop control characters that .xlsx and .docx (XML) cannot hold; None stays None."""
    if text is None:
        return None
    return text.translate(_CONTROL) if not text.isprintable() else text
