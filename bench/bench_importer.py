"""Plan import speed and memory: each seed plan, generated 2,000-row .docx and .xlsx appendices, and a generated
60-page plan written in prose (the prose fixture's sentences, varied and hard-wrapped like a PDF's text layer).

Each figure is a full import (read the file, preview against the units, commit) into a fresh SQLite
database in a temporary folder; peak memory is tracemalloc's peak during the import.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import textwrap
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from openpyxl import Workbook

from bench.result import Result
from bot.importer import commit_import, preview_import
from storage.database import Database
from storage.migrate import upgrade
from storage.units import add_unit

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PROSE_FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "importer" / "fixtures" / "prose_plan.txt"
PAGE_CHARS = 3000  # one A4 page of a Vietnamese plan, 13-14 pt: about 45 lines of 65-70 characters
NOW = datetime(2026, 5, 20, 2, 0, tzinfo=UTC)
UNITS = ("Sở Khoa học và Công nghệ", "Sở Tài chính", "Công an tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh")
HEADER = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian thực hiện", "", ""]
SUBHEADER = ["", "", "", "", "", "Năm 2025", "Năm 2026", "Giai đoạn 2026 - 2030"]
TIMEFRAMES = ("Quý II/2026", "Thường xuyên", "Trước 30/9/2026", "Hằng năm", "6 tháng đầu năm 2026")


def _rows(count: int) -> list[list[str]]:
    rows: list[list[str]] = []
    section = 0
    for n in range(count):
        if n % 100 == 0:
            section += 1
            rows.append([_roman(section), f"NHÓM NHIỆM VỤ SỐ {section}", "", "", "", "", "", ""])
        rows.append([str(n % 100 + 1), f"Nhiệm vụ thử số {n + 1}: triển khai, theo dõi và báo cáo kết quả thực hiện",
                     UNITS[n % len(UNITS)], "Các sở, ban, ngành; UBND cấp xã", "Báo cáo",
                     "Đã hoàn thành" if n % 17 == 0 else "", TIMEFRAMES[n % len(TIMEFRAMES)], "Hằng năm"])
    return rows


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _body() -> list[str]:
    return ["Số: 99/KH-UBND", "KẾ HOẠCH", "Kế hoạch thử tải năm 2026",
            "Các đơn vị báo cáo hằng quý trước ngày 05 của tháng cuối quý về Sở Khoa học và Công nghệ để tổng hợp."]


def generated_docx(count: int) -> bytes:
    doc = Document()
    for line in _body():
        doc.add_paragraph(line)
    doc.add_paragraph("Phụ lục")
    rows = [HEADER, SUBHEADER, *_rows(count)]
    table = doc.add_table(rows=len(rows), cols=len(HEADER))
    for tr, values in zip(table.rows, rows, strict=True):
        for cell, text in zip(tr.cells, values, strict=True):
            if text:
                cell.paragraphs[0].add_run(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def generated_xlsx(count: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phụ lục")
    for line in _body():
        sheet.append([line])
    for row in [HEADER, SUBHEADER, *_rows(count)]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def generated_prose(pages: int) -> bytes:
    """A plan of about `pages` pages with no task table, at the duty density of the tuning documents (seed 004 and
    plans 01-04: 102 duties in 31 pages): the prose fixture's opening, then under TỔ CHỨC THỰC HIỆN a page after
    page of a numbered heading that names no unit with background bullets (the fixture's goal and "Căn cứ" lines,
    varied: no duty, dates to ignore) and a unit's heading with three duty bullets made of the fixture's duty
    sentences (units and dates varied), all wrapped at 80 characters like a PDF's text layer; the fixture's
    reporting rule and addressees close it."""
    lines = PROSE_FIXTURE.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("IV."))
    close = next(i for i, line in enumerate(lines) if line.startswith("Định kỳ"))
    duties = [line.lstrip("-0123456789. ").strip() for line in lines[:close] if line.startswith(("-", "1.", "2."))]
    duties = [d.rstrip(".") for d in duties if len(d) > 30]
    goal = next(line.lstrip("- ").rstrip(".") for line in lines if line.startswith("- ") and len(line) < 40)
    basis = next(line.rstrip(".") for line in lines if line.startswith("Căn cứ"))
    out = [*lines[:start + 1], ""]
    size, number = sum(len(line) + 1 for line in out), 0
    while size < pages * PAGE_CHARS:
        number += 1
        page = [f"{2 * number - 1}. Bối cảnh của phần {number}", ""]
        for n in range(7):
            text = f"- {goal} ở kho số {number}.{n + 1}, như đã nêu tại {basis[0].lower()}{basis[1:]}; {goal.lower()}."
            page += [*textwrap.wrap(text, 80), ""]
        page += [f"{2 * number}. {UNITS[number % len(UNITS)]}", ""]
        for n in range(3):
            month = (number + n) % 12 + 1
            text = (f"- {duties[(number + n) % len(duties)]}, phối hợp với {UNITS[(number + n + 1) % len(UNITS)]} "
                    f"kiểm tra kết quả tại các xã, phường, báo cáo trước ngày 25/{month}/2026.")
            page += [*textwrap.wrap(text, 80), ""]
        out += page
        size += sum(len(line) + 1 for line in page)
    out += lines[close:]
    return "\n".join(out).encode("utf-8")


def _runs(data: bytes, name: str, count: int) -> tuple[list[float], int]:
    """Seconds of `count` full imports into fresh databases, and the item count."""
    found = [_import_once(data, name, traced=False) for _ in range(count)]
    return [seconds for seconds, _, _ in found], found[-1][2]


def _fresh_database(folder: Path) -> Database:
    db = Database(f"sqlite:///{folder / 'bench.db'}")
    upgrade(db)

    def units(*, session):  # type: ignore[no-untyped-def]
        for name in UNITS:
            add_unit(session=session, name=name, groups=["Các sở, ban, ngành"], now=NOW)
        add_unit(session=session, name="UBND xã Thử", groups=["UBND cấp xã"], now=NOW)
        add_unit(session=session, name="Phòng Tổ chức – Hành chính – Quản trị", aliases=["TCHCQT"],
                 groups=["Các phòng, đơn vị thuộc"], now=NOW)
        add_unit(session=session, name="Phòng Văn hóa - Xã hội", now=NOW)

    db.call(units)
    return db


def _import_once(data: bytes, name: str, *, traced: bool) -> tuple[float, float, int]:
    """Seconds of one full import (read, preview against the units, commit) into a fresh database, its peak MiB
    when `traced`, and the item count."""
    with tempfile.TemporaryDirectory() as folder:
        db = _fresh_database(Path(folder))

        def run(*, session):  # type: ignore[no-untyped-def]
            preview = preview_import(data, name, session=session)
            commit_import(preview, session=session, now=NOW, create_units=True)
            return len(preview.plan.items)

        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        items = db.call(run)
        elapsed = time.perf_counter() - start
        peak = 0.0
        if traced:
            peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
            tracemalloc.stop()
        db.dispose()
    return elapsed, peak, items


def _measure(data: bytes, name: str) -> tuple[float, float, int]:
    """Seconds of one full import into a fresh database (best of two), its peak MiB, and the item count.

    The first import in a process also pays for loading the readers (dateparser and friends): see
    the "cold" figure."""
    first, _, items = _import_once(data, name, traced=False)
    second, _, _ = _import_once(data, name, traced=False)
    _, peak, _ = _import_once(data, name, traced=True)  # tracemalloc slows Python down: memory on its own run
    return min(first, second), peak, items



def run(quick: bool) -> list[Result]:
    results: list[Result] = []
    cold = SEEDS / "000_c4a0b6284e5c1916.txt"
    with tempfile.TemporaryDirectory() as folder:
        db = _fresh_database(Path(folder))
        start = time.perf_counter()
        db.call(lambda *, session: preview_import(cold.read_bytes(), cold.name, session=session))
        results.append(Result("importer", "cold first preview (seed 000, loads the readers)",
                              (time.perf_counter() - start) * 1000, "ms"))
        db.dispose()
    for path in sorted(SEEDS.glob("00[0-3]_*.txt")):
        seconds, peak, items = _measure(path.read_bytes(), path.name)
        label = path.name[:3]
        results.append(Result("importer", f"seed {label} import ({items} items)", seconds * 1000, "ms", "< 1000 ms",
                              seconds < 1.0))
        results.append(Result("importer", f"seed {label} peak memory", peak, "MiB"))
    prose = generated_prose(60)
    times, items = _runs(prose, "ke-hoach-60-trang.txt", 5)
    median = statistics.median(times)
    pages = len(prose.decode("utf-8")) / PAGE_CHARS
    results.append(Result(
        "importer", f"60-page prose plan import ({pages:.0f} pages of {PAGE_CHARS} characters, {items} tasks; median "
        f"of 5, min {min(times) * 1000:.0f} - max {max(times) * 1000:.0f} ms)", median * 1000, "ms", "< 1000 ms",
        median < 1.0))
    count = 200 if quick else 2000
    builders: tuple[tuple[str, Callable[[int], bytes]], ...] = (("docx", generated_docx), ("xlsx", generated_xlsx))
    for kind, build in builders:
        seconds, peak, items = _measure(build(count), f"generated.{kind}")
        target_s = 10.0 * count / 2000
        results.append(Result("importer", f"{count}-row .{kind} import ({items} items)", seconds, "s",
                              f"< {target_s:g} s", seconds < target_s))
        results.append(Result("importer", f"{count}-row .{kind} peak memory", peak, "MiB"))
    return results
