"""What the pages show, cut from a summary: filters, search, version readings, and every table as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.base.text import fold
from bot.summary import blockers
from bot.summary.labels import (
    UNIT_STATE_LABELS,
    deadline_text,
    note_text,
    overdue_label,
    reading,
    status_label,
    unit_state_label,
    vn_date,
)
from bot.summary.model import NO_REPORT, Summary, TaskLine, UnitState, UnitSummary
from storage.web_queries import ReportVersion

STATE_CHOICES = [(state.value, label) for state, label in UNIT_STATE_LABELS.items()]
LINE_FILTERS = [("done", "Hoàn thành"), ("in_progress", "Đang thực hiện"), ("not_started", "Chưa thực hiện"),
                ("blocked", "Vướng mắc"), ("unknown", "Chưa rõ"), (NO_REPORT, "Chưa báo cáo"),
                ("overdue", "Quá hạn")]
TABLES = ("units", "tasks", "overdue", "blockers", "history")
SOURCE_LABELS = {"button": "nút bấm", "reply": "trả lời", "edit": "sửa tin", "undo": "hoàn tác", "import": "nhập",
                 "web": "trang web"}


def _matches(query: str, *texts: str | None) -> bool:
    return all(any(word in fold(text or "") for text in texts) for word in fold(query).split())


def filter_units(units: Iterable[UnitSummary], *, state: str | None, query: str | None) -> list[UnitSummary]:
    wanted = UnitState(state) if state in {s.value for s in UnitState} else None
    return [u for u in units if (wanted is None or u.state is wanted) and (not query or _matches(query, u.unit))]


def filter_lines(lines: Iterable[TaskLine], *, status: str | None = None, query: str | None = None,
                 unit_id: int | None = None, task_id: int | None = None) -> list[TaskLine]:
    chosen = []
    for line in lines:
        if unit_id is not None and line.lead_unit_id != unit_id:
            continue
        if task_id is not None and line.task_id != task_id:
            continue
        if status == "overdue" and not line.overdue:
            continue
        if status == "blocked" and not (line.is_blocked or line.status == "blocked"):
            continue
        if status and status not in ("overdue", "blocked") and line.status != status:
            continue
        if query and not _matches(query, line.code, line.title, line.lead, line.blocker, line.note):
            continue
        chosen.append(line)
    return chosen


def version_reading(version: ReportVersion) -> str:
    """How the bot read one version: "Đang thực hiện 60%, dự kiến 20/6/2026", "Vướng mắc: ...", ..."""
    if version.status == "retracted":
        return "Đã hoàn tác (không còn giá trị)"
    blocker = (version.blocker or "").strip()
    if version.status == "blocked":
        return f"Vướng mắc: {blocker}" if blocker else "Vướng mắc"
    parts = [status_label(version.status)]
    if version.percent is not None:
        parts[0] += f" {version.percent}%"
    if version.expected_date:
        parts.append(f"dự kiến {vn_date(version.expected_date)}")
    if blocker:
        parts.append(f"vướng: {blocker}")
    return ", ".join(parts)


def local_time(when: datetime | None, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%H:%M %d/%m/%Y") if when else ""


def blocker_groups(summary: Summary, *, limit: int = 5) -> list[tuple[str, int, list[object]]]:
    """(category label, count, the first items) in the categories' fixed order."""
    return [(blockers.LABELS.get(key, key), len(items), items[:limit])
            for key, items in summary.totals.blockers.items()]


# --- CSV ----------------------------------------------------------------------------------------------


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel on an office PC shows the diacritics."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def units_csv(units: Iterable[UnitSummary]) -> bytes:
    return csv_bytes(
        ["Đơn vị", "Tình trạng", "Đã báo cáo", "Phải báo cáo", "Hoàn thành", "Tổng nhiệm vụ", "Tỷ lệ hoàn thành (%)",
         "Quá hạn", "Vướng mắc", "Người báo cáo"],
        ([u.unit, unit_state_label(u), u.reported, u.total, u.done, u.lines, u.completion_rate, u.overdue,
          u.blocked, "; ".join(u.reporters)] for u in units))


def lines_csv(lines: Iterable[TaskLine], tz: ZoneInfo) -> bytes:
    return csv_bytes(
        ["Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả", "Ghi chú", "Quá hạn",
         "Trễ hạn", "Người báo cáo", "Thời điểm báo cáo"],
        ([t.code, t.title, t.lead, "; ".join(t.supports), deadline_text(t), reading(t), note_text(t),
          overdue_label(t), "có" if t.late else "", t.reported_by, local_time(t.reported_at, tz)] for t in lines))


def blockers_csv(summary: Summary) -> bytes:
    return csv_bytes(
        ["Nhóm vướng mắc", "Mã", "Nhiệm vụ", "Đơn vị", "Nội dung"],
        ([blockers.LABELS.get(b.category, b.category), b.code, b.title, b.lead, b.text]
         for items in summary.totals.blockers.values() for b in items))


def versions_csv(versions: Iterable[ReportVersion], codes: dict[int, str], units: dict[int, str],
                 tz: ZoneInfo) -> bytes:
    return csv_bytes(
        ["Mã nhiệm vụ", "Đơn vị", "Phiên bản", "Thời điểm", "Người báo cáo", "Nội dung gửi", "Bot hiểu là",
         "Nguồn", "Đang có hiệu lực"],
        ([codes.get(v.task_id, v.task_id), units.get(v.unit_id, v.unit_id), v.version, local_time(v.created_at, tz),
          v.reporter, v.raw_text, version_reading(v), SOURCE_LABELS.get(v.source, v.source),
          "có" if v.current else ""] for v in versions))
