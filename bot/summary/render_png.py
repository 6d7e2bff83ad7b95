"""A chart for the chat: completion by unit (the worst and best when there are many) and task status counts.

Drawn with matplotlib's Agg backend (no display needed) at 1080 px wide with large fonts, so it reads on a
phone; DejaVu Sans renders Vietnamese diacritics.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure  # used without pyplot: no global backend state, Agg renders the PNG
from matplotlib.ticker import MaxNLocator

from bot.summary.labels import STATUS_ORDER, percent, shorten, status_label
from bot.summary.model import Summary, UnitSummary

WIDTH_PX = 1080
DPI = 120
TOP_N = 12  # units shown at each end when there are more than 2 * TOP_N
STATUS_COLORS = {"done": "#2e7d32", "in_progress": "#1976d2", "not_started": "#9e9e9e", "blocked": "#ef6c00",
                 "unknown": "#8d6e63", "no_report": "#c62828"}


def _units_to_show(units: list[UnitSummary], top_n: int) -> tuple[list[UnitSummary], str]:
    ranked = sorted(units, key=lambda u: (u.completion_rate, u.unit))
    if len(ranked) <= 2 * top_n:
        return ranked, f"Tỷ lệ hoàn thành theo đơn vị ({len(ranked)} đơn vị)"
    return ranked[:top_n] + ranked[-top_n:], (
        f"Tỷ lệ hoàn thành: {top_n} đơn vị thấp nhất và {top_n} cao nhất (trên {len(ranked)})"
    )


def render_png(summary: Summary, *, top_n: int = TOP_N) -> bytes:
    """The chart as PNG bytes, 1080 px wide."""
    units, units_title = _units_to_show(summary.units, top_n)
    bar_rows = max(len(units), 1)
    height_in = 3.2 + 0.42 * bar_rows + 4.2
    fig = Figure(figsize=(WIDTH_PX / DPI, height_in), dpi=DPI)
    unit_share = (1.6 + 0.42 * bar_rows) / height_in
    grid = fig.add_gridspec(2, 1, height_ratios=[unit_share, 1 - unit_share], hspace=0.35,
                            left=0.36, right=0.95, top=1 - 1.25 / height_in, bottom=0.6 / height_in)
    t = summary.totals
    fig.suptitle(f"{summary.period.label}: {t.units_reported}/{t.units_total} đơn vị đã báo cáo đủ, "
                 f"hoàn thành {percent(t.completion_rate)}", fontsize=17, fontweight="bold")

    ax = fig.add_subplot(grid[0])
    if units:
        names = [shorten(u.unit, 34) for u in units]
        values = [u.completion_rate for u in units]
        colors = ["#c62828" if v < 50 else ("#f9a825" if v < 80 else "#2e7d32") for v in values]
        positions = list(range(len(units)))
        ax.barh(positions, values, color=colors)
        ax.set_yticks(positions, names, fontsize=13)
        ax.invert_yaxis()
        for y, value in zip(positions, values, strict=True):
            ax.text(min(value + 1, 88), y, percent(value), va="center", fontsize=12)
    else:
        ax.text(50, 0.5, "Không có đơn vị nào phải báo cáo", ha="center", va="center", fontsize=14)
        ax.set_yticks([])
    ax.set_xlim(0, 100)
    ax.set_title(units_title, fontsize=15, loc="left")
    ax.tick_params(axis="x", labelsize=12)
    ax.set_xlabel("% nhiệm vụ hoàn thành", fontsize=13)

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
