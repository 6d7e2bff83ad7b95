"""File bytes -> ParsedPlan: format detection, table extraction, metadata, timeframes. No database."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from bot.base.errors import UserError
from bot.base.text import fold
from bot.directory.unitnames import split_units
from bot.importer.document import SourceDocument, TextLine
from bot.importer.docx_reader import read_docx
from bot.importer.extract import extract, require_items
from bot.importer.headers import PeriodColumn
from bot.importer.items import ParsedItem, ParsedPlan, PlanMeta
from bot.importer.limits import DEFAULT_LIMITS, Budget, Limits
from bot.importer.metadata import plan_issuer, plan_number, plan_title, plan_year
from bot.importer.pdf_reader import pdf_text
from bot.importer.prose import extract_prose
from bot.importer.readers import READER_MISSING, RULES_MISSING, read_rules, read_timeframe, timeframe_reader_available
from bot.importer.text_reader import read_delimited, read_text
from bot.importer.xlsx_reader import read_xlsx

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
SUPPORTED = ".docx, .xlsx, .csv, .tsv, .txt, .pdf"


def load_document(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                  limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
    """Recognise the format from the bytes (then the extension) and read the file into blocks, within `limits`
    (checked while reading: over a bound, `TooComplex` and nothing more is read)."""
    budget = Budget(limits)
    name = PurePath(filename or "").name or "tệp"
    if not data:
        raise UserError(f"Tệp «{name}» rỗng (0 byte): không có gì để nhập.")
    if len(data) > max_bytes:
        raise UserError(
            f"Tệp «{name}» quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là "
            f"{max_bytes / 1024 / 1024:.0f} MB. Hãy bỏ bớt hình ảnh hoặc tách phụ lục ra tệp riêng."
        )
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise UserError(f"Tệp «{name}» bị hỏng: không mở được như tệp Word hay Excel.") from None
        if "word/document.xml" in names:
            return read_docx(data, budget)
        if "xl/workbook.xml" in names:
            return read_xlsx(data, budget)
        raise UserError(f"Tệp «{name}» là tệp nén nhưng không phải Word (.docx) hay Excel (.xlsx).")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(
            f"Tệp «{name}» là định dạng Word/Excel cũ (.doc/.xls): hãy mở và «Lưu thành» .docx hoặc .xlsx "
            "rồi gửi lại."
        )
    if data.startswith(b"%PDF"):
        return read_text(pdf_text(data, name, budget).encode("utf-8"), Budget(limits))
    if suffix in (".docx", ".xlsx"):
        raise UserError(f"Tệp «{name}» không phải tệp {suffix} hợp lệ (nội dung bị hỏng hoặc sai định dạng).")
    if suffix == ".csv":
        return read_delimited(data, delimiter=None, budget=budget)
    if suffix == ".tsv":
        return read_delimited(data, delimiter="\t", budget=budget)
    if suffix not in ("", ".txt", ".text", ".md"):
        raise UserError(f"Chưa hỗ trợ định dạng «{suffix}». Các định dạng nhận được: {SUPPORTED}.")
    return read_text(data, budget)


def parse_plan(
    data: bytes, filename: str, *, plan_year: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    protected_names: Iterable[str] = (), limits: Limits = DEFAULT_LIMITS,
) -> ParsedPlan:
    """Read a plan file: metadata from the body, items from the appendix tables."""
    doc = load_document(data, filename, max_bytes=max_bytes, limits=limits)
    extraction = extract(doc)
    prose = not extraction.items and not extraction.untitled
    written: list[ParsedItem] = []
    if prose or _lists_main_tasks(extraction.text_lines):
        written = extract_prose(_body_lines(doc, extraction.table_rows))
        if prose and not written:  # no duty in the body: the appendix may hold them (never refuse a plan that has)
            written = extract_prose(_body_lines(doc, extraction.table_rows), past_appendix=True)
    if prose:
        extraction.items = written
    else:  # a table of the main tasks only, and the other duties in the body (TỔ CHỨC THỰC HIỆN): both are read
        extraction.items.extend(written)
    require_items(extraction)
    lines = extraction.preamble
    everything = "\n".join(extraction.text_lines)
    title = plan_title(lines) or plan_title(extraction.text_lines) or PurePath(filename or "kế hoạch").stem
    year = plan_year or plan_year_of(extraction.text_lines, title, everything)
    if year is None:
        raise UserError("Không xác định được năm của kế hoạch: hãy ghi rõ năm (ví dụ --plan-year 2026).")
    if not 2000 <= year <= 2100:
        raise UserError(f"Năm kế hoạch {year} không hợp lệ.")
    warnings = list(extraction.warnings)
    number = plan_number(lines) or plan_number(extraction.text_lines)
    meta = PlanMeta(number=number, title=title, issuer=plan_issuer(lines, everything), year=year)
    rules = read_rules("\n".join(lines) if len(lines) > 3 else _without_appendix_headings(extraction.text_lines))
    if rules is None:
        warnings.append(RULES_MISSING)
    else:
        meta.regimes, meta.coordinator, meta.ad_hoc = rules.regimes, rules.coordinator, rules.ad_hoc
    if not timeframe_reader_available():
        warnings.append(READER_MISSING)
    protected = list(protected_names)
    if written:
        _milestones_to_coordinator(written, meta.coordinator)
        units = {u for item in written for u in item.lead}
        said = "Đọc từ văn bản (không có bảng nhiệm vụ)" if prose else "Đọc thêm từ văn bản (ngoài bảng nhiệm vụ)"
        warnings.insert(0, f"{said}: {len(written)} nhiệm vụ của {len(units)} đơn vị. Hãy kiểm tra từng nhiệm "
                           "vụ (dòng nguồn) trước khi xác nhận.")
    for item in extraction.items:
        _finish(item, year, protected)
    _dedupe_codes(extraction.items)
    return ParsedPlan(meta=meta, items=extraction.items, warnings=warnings, source_name=PurePath(filename).name)


_MAIN_TASKS = ("trong tam", "chu yeu", "trong diem")


def _lists_main_tasks(lines: list[str]) -> bool:
    """An appendix titled as the plan's main tasks ("Nhiệm vụ chủ yếu", "... giải pháp trọng tâm") is a selection:
    the duties the body gives units (TỔ CHỨC THỰC HIỆN) are tasks too. A table of all the tasks is left alone."""
    for index, line in enumerate(lines):
        if fold(line).startswith("phu luc"):
            title = fold(" ".join(lines[index:index + 4]))
            if "nhiem vu" in title and any(word in title for word in _MAIN_TASKS):
                return True
    return False


def _body_lines(doc: SourceDocument, table_rows: set[int]) -> list[TextLine]:
    """The text lines prose is read from: the body, and the rows of a text file that no task table holds (a
    letterhead or a letter's body copied in a table's layout), as the lines they were written on."""
    lines: list[TextLine] = []
    for block in doc.blocks:
        if isinstance(block, TextLine):
            lines.append(block)
        elif id(block) not in table_rows:
            lines.extend(block.lines)
    return lines


def _without_appendix_headings(lines: list[str]) -> str:
    """Sheets of a workbook are named "Phụ lục ...": such names must not end the body text."""
    return "\n".join(line for line in lines if not fold(line).startswith("phu luc"))


def plan_year_of(lines: list[str], title: str | None, text: str) -> int | None:
    return plan_year(lines, title, text)


def _milestones_to_coordinator(items: list[ParsedItem], coordinator: str | None) -> None:
    """TIẾN ĐỘ milestones go to the coordinator; without one, to the unit whose duty is to compile ("tổng hợp")."""
    lead = coordinator or next((i.lead[0] for i in items if i.lead and not i.milestone and (
        "tong hop" in fold(i.title) or "theo doi, don doc" in fold(i.title))), None)
    for item in items:
        if item.milestone and not item.lead and lead:
            item.lead = [lead]


def _finish(item: ParsedItem, year: int, protected: list[str]) -> None:
    if item.source != "prose":  # prose items carry their names already
        item.lead = split_units(item.lead_cell, protected)
        item.support = [u for u in split_units(item.support_cell, protected) if u not in item.lead]
    if item.kind == "group":
        return
    timeframe = item.timeframe_cell or None
    completed_before = False
    timeframes = [p for p in item.periods if p.kind == "timeframe"]
    values = [p for p in item.periods if p.kind == "value"]
    if timeframes:
        timeframe, completed_before = _pick(item, timeframes, year, for_timeframe=True)
    if values:
        value, label = _pick_value(item, values, year)
        item.target = value
        if timeframe is None and label:
            timeframe = label
        if value and not item.product:
            item.product = f"Chỉ tiêu {label.lower()}: {value}" if label else value
    item.timeframe = timeframe
    result = read_timeframe(timeframe, year)
    item.deadlines = [d.isoformat() for d in result.deadlines]
    item.recurrence = result.recurrence
    item.ad_hoc = result.ad_hoc
    item.completed = result.completed or completed_before
    if result.reason and not item.completed:
        item.warnings.append(f"Thời hạn «{timeframe}»: {result.reason}" if timeframe else result.reason)
    if not item.lead:
        item.warnings.append("Chưa có đơn vị chủ trì.")


def _has_year(text: str, year: int) -> bool:
    return str(year) in text


def _pick(item: ParsedItem, columns: list[PeriodColumn], year: int, *, for_timeframe: bool) -> tuple[str | None, bool]:
    """The timeframe of the column covering the plan year; "Đã hoàn thành" in an earlier column marks it done."""
    texts = item.period_cells
    earlier = [c for c in columns if c.end is not None and c.end < year]
    completed_before = any("da hoan thanh" in fold(texts.get(c.index, "")) for c in earlier)
    covering = sorted((c for c in columns if c.covers(year)), key=lambda c: c.width)
    chosen = next((c for c in covering if texts.get(c.index)), covering[0] if covering else None)
    text = texts.get(chosen.index, "") if chosen else ""
    if chosen is None:
        item.warnings.append(f"Không có cột thời gian nào cho năm {year}.")
    if not text and completed_before:
        return next(texts[c.index] for c in earlier if "da hoan thanh" in fold(texts.get(c.index, ""))), True
    mentioning = [c for c in columns if c is not chosen and _has_year(texts.get(c.index, ""), year)]
    if mentioning and not _has_year(text, year):
        other = mentioning[0]
        if text:
            item.warnings.append(
                f"Cột «{chosen.label if chosen else ''}» ghi «{text}» nhưng cột «{other.label}» nêu năm {year}: "
                f"dùng «{texts[other.index]}»."
            )
        return texts[other.index], completed_before
    if not text:
        filled = [c for c in columns if texts.get(c.index)]
        if not filled:
            return None, completed_before
        later = [c for c in filled if c.start is None or c.start >= year]
        other = (later or filled)[0]
        item.warnings.append(
            f"Cột «{chosen.label if chosen else ''}» để trống; dùng thời gian ở cột «{other.label}»: "
            f"«{texts[other.index]}»."
        )
        return texts[other.index], completed_before
    if chosen is not None and chosen.start != chosen.end and "giai doan" in fold(text) and not _YEAR.search(text):
        return f"{text} ({chosen.label})", completed_before  # "Trong giai đoạn": the column says which one
    return text, completed_before


def _pick_value(item: ParsedItem, columns: list[PeriodColumn], year: int) -> tuple[str | None, str | None]:
    texts = item.period_cells
    covering = sorted((c for c in columns if c.covers(year)), key=lambda c: c.width)
    for column in covering:
        if texts.get(column.index):
            return texts[column.index], column.label
    later = [c for c in columns if texts.get(c.index) and (c.start or 0) >= year]
    if later:
        item.warnings.append(f"Chưa có chỉ tiêu cho năm {year}; lấy chỉ tiêu «{later[0].label}».")
        return texts[later[0].index], later[0].label
    if covering:
        return None, covering[0].label
    return None, None


def _dedupe_codes(items: list[ParsedItem]) -> None:
    seen: dict[str, int] = {}
    for item in items:
        if item.code in seen:
            seen[item.code] += 1
            new_code = f"{item.code}-{seen[item.code]}"
            item.warnings.append(f"Mã {item.code} bị trùng ({item.where}); dùng mã {new_code}.")
            item.code = new_code
        else:
            seen[item.code] = 1
