"""The text layer of a PDF file (pypdf), as lines the text reader takes: page numbers and signature stamps out.

pypdf is optional: without it a PDF is refused with a message saying what to send instead.
"""

from __future__ import annotations

import io
import logging
import re

from bot.base.errors import UserError
from bot.importer.limits import Budget, TooComplex

logger = logging.getLogger(__name__)
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_STAMP = re.compile(r"Ngày ký:\s*\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}(?:\s*[+-]\d{2}:\d{2})?")


def pdf_text(data: bytes, name: str, budget: Budget | None = None) -> str:
    """Every page's text, one line per line, pages joined (a sentence cut by a page break reads on); pages and
    text counted against the budget page by page."""
    budget = budget or Budget()
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise UserError(
            f"Tệp «{name}» là PDF: máy chủ chưa cài bộ đọc PDF (pypdf). Hãy gửi bản Word (.docx) hoặc sao chép "
            "văn bản vào tệp .txt."
        ) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UserError(f"Tệp «{name}» là PDF có mật khẩu: hãy gửi bản không khóa hoặc bản Word (.docx).")
        if len(reader.pages) > budget.limits.pages:
            raise TooComplex(f"{len(reader.pages):,} trang, giới hạn {budget.limits.pages:,} trang".replace(",", "."))
        pages: list[str] = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            budget.add_text(len(pages[-1]))
    except (PdfReadError, ValueError, KeyError) as exc:
        logger.info("unreadable pdf %s: %s", name, exc)
        raise UserError(f"Tệp «{name}» là PDF nhưng bị hỏng: không đọc được nội dung. Hãy gửi bản Word (.docx).") \
            from None
    lines: list[str] = []
    for page in pages:
        body = [_STAMP.sub("", line).rstrip() for line in page.splitlines()]
        while body and (not body[-1].strip() or _PAGE_NUMBER.match(body[-1])):
            body.pop()
        while body and (not body[0].strip() or _PAGE_NUMBER.match(body[0])):
            body.pop(0)
        lines.extend(body)
    if not any(line.strip() for line in lines):
        raise UserError(f"Tệp «{name}» là PDF dạng ảnh quét (không có lớp chữ): hãy gửi bản Word (.docx) hoặc .txt.")
    return "\n".join(lines)
