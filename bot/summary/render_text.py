"""The chat summary: Vietnamese text in chunks that each fit one Telegram message.

Format: Telegram HTML (send with parse_mode="HTML") by default — section titles in <b>, and every piece
of text that comes from people or documents (plan titles, unit names, notes, blockers) escaped with
`html.escape`. `html=False` gives the same content as plain text (for the CLI and platforms without HTML).
Chunks are cut only between lines, preferably between sections, and each is at most `limit` characters
(counting the markup, which is more than Telegram counts). Long lists stop after `max_items` entries with
a pointer to the Excel file, so even a province-wide summary stays a handful of messages.
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable

from bot.base.clock import local
from bot.base.text import and_more
from bot.summary.blockers import LABELS as BLOCKER_LABELS
from bot.summary.labels import (
    STATUS_ORDER,
    UNASSIGNED_HINT,
    overdue_label,
    percent,
    reporting_phrase,
    shorten,
    signed_points,
    status_label,
    unassigned_heading,
    unit_state_label,
    vn_date,
    written_leads,
)
from bot.summary.model import Summary

TELEGRAM_LIMIT = 4096
ITEM_TEXT_LIMIT = 300  # characters of user text per list entry


def render_text(summary: Summary, *, html: bool = True, limit: int = TELEGRAM_LIMIT,
                max_items: int = 30) -> list[str]:
    """The summary as message chunks (each <= `limit` characters, split between lines)."""
    esc: Callable[[str], str] = (lambda s: _html.escape(s, quote=False)) if html else (lambda s: s)
    bold: Callable[[str], str] = (lambda s: f"<b>{s}</b>") if html else (lambda s: s.upper())
    sections = [
        _headline(summary, esc, bold),
        _missing_units(summary, esc, bold, max_items),
        _unassigned(summary, esc, bold, max_items),
        _overdue(summary, esc, bold, max_items),
        _blockers(summary, esc, bold, max_items),
        _newly_done(summary, esc, bold, max_items),
    ]
    return chunk_sections([s for s in sections if s], limit)


def _headline(summary: Summary, esc: Callable[[str], str], bold: Callable[[str], str]) -> list[str]:
    t, period, plan = summary.totals, summary.period, summary.plan
    lines = [
        bold(esc(f"TỔNG HỢP BÁO CÁO {period.label.upper()}")),
        esc(shorten(f"{plan.label()}: {plan.title}" if plan.number else plan.title, 600)),
        esc(f"{reporting_phrase(t)}; tỷ lệ hoàn thành {percent(t.completion_rate)}."),
    ]
    counts = [f"{t.by_status[s]} {status_label(s).lower()}" for s in STATUS_ORDER if t.by_status.get(s)]
    lines.append(esc(f"{t.lines} nhiệm vụ: " + ", ".join(counts) + f"; quá hạn {t.overdue}."))
    changes = summary.changes
    if changes.previous_label and changes.completion_rate_delta is not None:
        lines.append(esc(
            f"So với {changes.previous_label}: {signed_points(changes.completion_rate_delta)}; "
            f"{len(changes.newly_done)} nhiệm vụ mới hoàn thành, {len(changes.newly_blocked)} mới có vướng mắc."
        ))
    when = local(summary.generated_at)
    lines.append(esc(f"Số liệu đến {when:%H:%M} ngày {when:%d/%m/%Y}; hạn báo cáo trước ngày "
                     f"{vn_date(period.cutoff)}."))
    return lines


def _more(count: int, shown: int, what: str, esc: Callable[[str], str]) -> list[str]:
    return [esc(f"… {and_more(count, shown, what)} (xem tệp Excel).")] if count > shown else []


def _missing_units(summary: Summary, esc: Callable[[str], str], bold: Callable[[str], str], max_items: int
                   ) -> list[str]:
    missing = summary.missing_units()
    if not missing:
        return [bold("Đơn vị chưa báo cáo:") + " " + esc("không có.")] if summary.units else []
    lines = [bold(esc(f"Đơn vị chưa báo cáo đủ ({len(missing)}):"))]
    for unit in missing[:max_items]:
        state = unit_state_label(unit).lower()
        if not unit.reported:
            state += f" ({unit.reported}/{unit.total} nhiệm vụ)"
        lines.append(esc(f"• {shorten(unit.unit, 200)}: {state}"))
    return lines + _more(len(missing), max_items, "đơn vị", esc)


def _unassigned(summary: Summary, esc: Callable[[str], str], bold: Callable[[str], str], max_items: int
                ) -> list[str]:
    """Tasks nobody is nudged for: said with the names the plan wrote, so the directory can be completed."""
    if not summary.unassigned:
        return []
    lines = [bold(esc(f"{unassigned_heading(len(summary.unassigned))}:"))]
    for task in summary.unassigned[:max_items]:
        lines.append(esc(f"• [{task.code}] {shorten(task.title, ITEM_TEXT_LIMIT)} — kế hoạch ghi: "
                         f"{shorten(written_leads(task), 200)}"))
    lines.append(esc(UNASSIGNED_HINT))
    return lines + _more(len(summary.unassigned), max_items, "nhiệm vụ", esc)


def _overdue(summary: Summary, esc: Callable[[str], str], bold: Callable[[str], str], max_items: int) -> list[str]:
    overdue = summary.overdue_tasks()
    if not overdue:
        return []
    lines = [bold(esc(f"Nhiệm vụ quá hạn ({len(overdue)}):"))]
    for line in overdue[:max_items]:
        lines.append(esc(f"• [{line.code}] {shorten(line.title, ITEM_TEXT_LIMIT)} — {shorten(line.lead, 200)} "
                         f"({overdue_label(line).lower()}; {status_label(line.status).lower()})"))
    return lines + _more(len(overdue), max_items, "nhiệm vụ", esc)


def _blockers(summary: Summary, esc: Callable[[str], str], bold: Callable[[str], str], max_items: int) -> list[str]:
    groups = summary.totals.blockers
    if not groups:
        return []
    lines = [bold(esc(f"Khó khăn, vướng mắc ({summary.totals.blocked}):"))]
    budget = max_items
    for category, items in groups.items():
        lines.append(bold(esc(f"{BLOCKER_LABELS.get(category, category)} ({len(items)}):")))
        shown = items[: max(budget, 0)]
        for item in shown:
            text = shorten(item.text, ITEM_TEXT_LIMIT) or "(không ghi rõ)"
            lines.append(esc(f"• [{item.code}] {shorten(item.title, 120)} — {shorten(item.lead, 200)}: {text}"))
        budget -= len(shown)
        lines += _more(len(items), len(shown), "vướng mắc", esc)
    return lines


def _newly_done(summary: Summary, esc: Callable[[str], str], bold: Callable[[str], str], max_items: int
                ) -> list[str]:
    done = summary.changes.newly_done
    if not done or not summary.changes.previous_label:
        return []
    lines = [bold(esc(f"Mới hoàn thành so với {summary.changes.previous_label} ({len(done)}):"))]
    for ref in done[:max_items]:
        lines.append(esc(f"• [{ref.code}] {shorten(ref.title, 200)} — {shorten(ref.lead, 200)}"))
    return lines + _more(len(done), max_items, "nhiệm vụ", esc)


def chunk_sections(sections: list[list[str]], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Pack sections into chunks <= limit: a section that fits in a fresh chunk is never split; a longer one
    is split between lines. A single line longer than `limit` (never produced here) is cut as a last resort."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        if current:
            chunks.append("\n".join(current).strip("\n"))
        current, size = [], 0

    for index, section in enumerate(sections):
        block = ([""] if index else []) + section  # a blank line between sections
        block_size = sum(len(line) + 1 for line in block)
        if current and size + block_size > limit and block_size - 1 <= limit:
            flush()
            block = section
        for line in block:
            if len(line) > limit:
                line = line[: limit - 1] + "…"
            if size + len(line) + (1 if current else 0) > limit:
                flush()
                if not line:
                    continue
            size += len(line) + (1 if current else 0)
            current.append(line)
    flush()
    return [c for c in chunks if c]
