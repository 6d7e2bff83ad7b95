"""The summary's files as chat attachments: one place for their names and captions (chat and scheduler)."""

from __future__ import annotations

import re

from bot.base.chat import FileRef, Outgoing
from bot.base.text import fold
from bot.summary.model import Summary
from bot.summary.render_docx import render_docx
from bot.summary.render_png import render_png
from bot.summary.render_xlsx import render_xlsx

CAPTIONS = {"xlsx": "Bảng tổng hợp (Excel)", "docx": "Dự thảo báo cáo (Word)", "png": "Biểu đồ tiến độ"}


def file_stem(summary: Summary) -> str:
    plan = re.sub(r"[^a-z0-9]+", "-", fold(summary.plan.number or f"kh{summary.plan.id}")).strip("-")
    return f"tong-hop-{plan or 'ke-hoach'}-{summary.period.key}"


def summary_attachment(summary: Summary, fmt: str) -> Outgoing:
    """An Outgoing carrying one rendered file: a document (xlsx, docx) or a photo (png)."""
    caption = f"{CAPTIONS[fmt]} — {summary.period.label}"
    ref = FileRef(summary.plan.id, summary.period.key, fmt, summary.unit_filter)
    if fmt == "png":
        return Outgoing(text=caption, photo=render_png(summary), file_ref=ref)
    content = render_xlsx(summary) if fmt == "xlsx" else render_docx(summary)
    return Outgoing(text=caption, document=(f"{file_stem(summary)}.{fmt}", content), file_ref=ref)
