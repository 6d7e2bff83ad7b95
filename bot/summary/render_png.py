"""A chart for the chat: each unit's tasks stacked by state (the worst and best when there are more than 100)
and task status counts.

Drawn with matplotlib's Agg backend (no display needed) at 1080 px wide with large fonts, so it reads on a
phone; DejaVu Sans renders Vietnamese diacritics.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter, defaultdict

from matplotlib.figure import Figure  # used without pyplot: no global backend state, Agg renders the PNG
from matplotlib.ticker import MaxNLocator

from bot.summary.labels import STATUS_ORDER, percent, status_label
from bot.summary.model import NO_REPORT, Summary, TaskLine, UnitSummary, chart_state

WIDTH_PX = 1080
DPI = 120
TOP_N = 50  # units shown at each end when there are more than 2 * TOP_N (100 units fit one tall image)
LABEL_WIDTH = 40  # characters per line of a unit's name (wrapped, never clipped)
LEFT, RIGHT, MARGIN = 0.40, 0.90, 0.02  # the bars' axes and the figure's margin, as fractions of its width
STATUS_COLORS = {"done": "#2e7d32", "in_progress": "#1976d2", "not_started": "#9e9e9e", "blocked": "#ef6c00",
                 "unknown": "#8d6e63", "no_report": "#c62828"}
# The unit bars' segments: (key, label, colour, hatch) - colour and pattern both differ, for print in grey
STATES = (("done", "Hoàn thành", "#2e7d32", ""), ("in_progress", "Đang thực hiện", "#1976d2", "//"),
          ("blocked", "Vướng mắc", "#ef6c00", "xx"), ("silent", "Chưa báo cáo", "#c62828", ".."))


def line_state(line: TaskLine) -> str:
    """The chart's segment of a task line: done, blocked, silent (no report) or in progress (anything else)."""
    return chart_state(done=line.is_done, blocked=line.is_blocked or line.status == "blocked",
                       silent=line.status == NO_REPORT)


def unit_state_counts(summary: Summary) -> dict[int, Counter[str]]:
    """lead unit id -> how many of its lines are in each chart state (counted by an aggregate summary)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    if not summary.detail:
        counts.update((unit_id, Counter(states)) for unit_id, states in summary.unit_states.items())
        return counts
    for line in summary.tasks:
        counts[line.lead_unit_id][line_state(line)] += 1
    return counts


def _units_to_show(units: list[UnitSummary], top_n: int) -> tuple[list[UnitSummary], str]:
    ranked = sorted(units, key=lambda u: (u.completion_rate, u.unit))
    if len(ranked) <= 2 * top_n:
        return ranked, f"Từng đơn vị theo trạng thái ({len(ranked)} đơn vị)"
    return ranked[:top_n] + ranked[-top_n:], (
        f"Theo trạng thái: {top_n} đơn vị hoàn thành thấp nhất và {top_n} cao nhất (trên "
        f"{len(ranked):,} đơn vị)".replace(",", ".")
    )


def render_png(summary: Summary, *, top_n: int = TOP_N) -> bytes:
    """The chart as PNG bytes, 1080 px wide: one bar per unit stacked by state, full (wrapped) unit names."""
    units, units_title = _units_to_show(summary.units, top_n)
    labels = [textwrap.fill(u.unit, LABEL_WIDTH) for u in units]
    rows_in = [0.3 + 0.19 * label.count("\n") for label in labels] or [0.6]
    bars_in = sum(rows_in)
    height_in = 3.4 + bars_in + 4.2
    fig = Figure(figsize=(WIDTH_PX / DPI, height_in), dpi=DPI)
    unit_share = (2.0 + bars_in) / height_in
    grid = fig.add_gridspec(2, 1, height_ratios=[unit_share, 1 - unit_share], hspace=0.35,
                            left=LEFT, right=RIGHT, top=1 - 1.55 / height_in, bottom=0.6 / height_in)
    t = summary.totals
    fig.suptitle(f"{summary.period.label}: {t.units_reported}/{t.units_total} đơn vị đã báo cáo đủ, "
                 f"hoàn thành {percent(t.completion_rate)}", fontsize=17, fontweight="bold",
                 y=1 - 0.2 / height_in, va="top")

    ax = fig.add_subplot(grid[0])
    if units:
        counts = unit_state_counts(summary)
        centres, edge = [], 0.0
        for height in rows_in:  # each bar in the middle of its own share (taller for a longer name)
            centres.append(edge + height / 2)
            edge += height
        left = [0.0] * len(units)
        for key, label, colour, hatch in STATES:
            shares = [100.0 * counts[u.unit_id][key] / max(u.lines, 1) for u in units]
            ax.barh(centres, shares, left=left, height=[h * 0.7 for h in rows_in], color=colour, hatch=hatch,
                    edgecolor="white", label=label)
            left = [a + b for a, b in zip(left, shares, strict=True)]
        ax.set_yticks(centres, labels, fontsize=11)
        ax.set_ylim(edge, 0)
        for y, unit in zip(centres, units, strict=True):
            ax.text(101, y, f"{unit.done}/{unit.lines}", va="center", fontsize=11)
        ax.legend(loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=4, fontsize=11, frameon=False,
                  handlelength=1.6, columnspacing=1.0)
    else:
        ax.text(50, 0.5, "Không có đơn vị nào phải báo cáo", ha="center", va="center", fontsize=14)
        ax.set_yticks([])
    ax.set_xlim(0, 100)
    # the sub-title starts at the figure's margin, not at the bars (it is longer than they are wide)
    ax.set_title(units_title, fontsize=15, loc="left", pad=34).set_x((MARGIN - LEFT) / (RIGHT - LEFT))
    ax.tick_params(axis="x", labelsize=12)
    ax.set_xlabel("% nhiệm vụ của đơn vị", fontsize=13)

    ax2 = fig.add_subplot(grid[1])
    statuses = [s for s in STATUS_ORDER if t.by_status.get(s)]
    counts = [t.by_status[s] for s in statuses]
    positions = list(range(len(statuses)))
    ax2.barh(positions, counts, color=[STATUS_COLORS.get(s, "#607d8b") for s in statuses])
    ax2.set_yticks(positions, [status_label(s) for s in statuses], fontsize=14)
    ax2.invert_yaxis()
    top = max(counts, default=1)
    ax2.set_xlim(0, top * 1.18 + 1)
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts of tasks: whole numbers only
    for y, count in zip(positions, counts, strict=True):
        ax2.text(count + top * 0.01, y, f"{count:,}".replace(",", "."), va="center", fontsize=13)
    ax2.set_title(f"Nhiệm vụ theo trạng thái ({t.lines:,} nhiệm vụ; quá hạn {t.overdue:,})".replace(",", "."),
                  fontsize=15, loc="left")
    ax2.tick_params(axis="x", labelsize=12)

    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
