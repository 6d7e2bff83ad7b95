"""The Word report rendered to PDF by LibreOffice, checked where it can be measured (pdftotext): the motto on
one line, the signature block on the page of the closing paragraph, no table row split across pages, the
header row repeated. Skips (with the reason) where soffice or pdftotext is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.summary.render_docx import render_docx
from storage.database import Database
from tests.summary.test_render import _crowded

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice (soffice) or poppler's pdftotext is not installed")


def _pdf_pages(docx: bytes, folder: Path) -> list[str]:
    source = folder / "bao-cao.docx"
    source.write_bytes(docx)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(folder)})
    text = subprocess.run(["pdftotext", "-layout", str(folder / "bao-cao.pdf"), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")
    return [page for page in text.split("\f") if page.strip()]


def test_the_report_as_pdf_keeps_the_administrative_layout(sqlite_db: Database, tmp_path: Path) -> None:
    summary = _crowded(sqlite_db, 40)  # 80 task rows: several pages of table
    pages = _pdf_pages(render_docx(summary), tmp_path)
    assert len(pages) >= 3
    first = pages[0].splitlines()
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in first)  # one line, not wrapped
    assert any("Độc lập - Tự do - Hạnh phúc" in line for line in first)
    closing = next(i for i, page in enumerate(pages) if "Trên đây là báo cáo" in page)
    assert "THỦ TRƯỞNG CƠ QUAN" in pages[closing] and "Nơi nhận" in pages[closing]
    assert "THỦ TRƯỞNG CƠ QUAN" not in "".join(pages[:closing])
    table_pages = [page for page in pages if re.search(r"^\s*\d+\.1\s", page, re.M)]
    assert len(table_pages) >= 2
    for page in table_pages:  # the header row is repeated on every page of the table
        assert re.search(r"TT\s+Nhiệm vụ", page)
    # no row split: on every page after the first of the table, the first line under the repeated header is
    # the start of a row (its code), never the rest of a row begun on the page before
    for page in table_pages[1:]:
        lines = [line for line in page.splitlines() if line.strip()]
        header = next(n for n, line in enumerate(lines) if re.search(r"TT\s+Nhiệm vụ", line))
        body = [line for line in lines[header + 1:] if not re.fullmatch(r"[\sa-zà-ỹ]*trì[\sa-zà-ỹ]*", line)]
        assert re.match(r"^\s*\d+\.[12]\s", body[0]), body[:2]
    codes = [n for n in range(40) if sum(bool(re.search(rf"^\s*{n}\.1\s", p, re.M)) for p in pages) == 1]
    assert len(codes) == 40  # every row printed once
