"""Rebuild a task table from text extracted from a PDF, where every cell is broken across lines.

The shape (seed 000): the header "TT Nhiệm vụ" then header words on their own lines; each row
starts with its number alone on a line, followed by the task title (long wrapped lines), the unit
names (short lines starting with "Phòng", "Các phòng", "Trung tâm", ...), then the timeframe
("Thường xuyên", "Trước 30/11/2026", "Quý I/2026", "Theo Kế hoạch ..."). The header repeats at
page breaks. The first unit is the lead, the others support (one unit per line is the norm).
"""

from __future__ import annotations

import re

from bot.base.text import fold
from bot.importer.document import Block, TableRow, TextLine, clean_text

_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_HEADER = re.compile(r"^(s?tt)\b.*\b(nhiem vu|noi dung)")
_UNIT_START = re.compile(
    r"^(Phòng|Các (phòng|sở|cơ quan|đơn vị|xã|ban)|Trung tâm|Sở|UBND|Ủy ban|Uỷ ban|Ban|Văn phòng|Công an|Trường|"
    r"Đơn vị|Bộ phận|Tổ)\b"
)
_TIME_START = re.compile(
    r"^(thuong xuyen|truoc|quy|theo|bao cao|nam|thang|hang|hang nam|dinh ky|dot xuat|giai doan|trong|tu|den|"
    r"ngay|6 thang|\d)"
)
_ROLE_WORDS = (
    ("lead", "Đơn vị chủ trì", ("chu tri",)),
    ("support", "Đơn vị phối hợp", ("phoi hop",)),
    ("product", "Sản phẩm", ("san pham", "ket qua dau ra")),
    ("timeframe", "Thời gian thực hiện", ("thoi gian", "thoi han")),
)
_MAX_UNIT_LINE = 40


def looks_like_broken_table(lines: list[str]) -> bool:
    """A "TT Nhiệm vụ" header line followed, somewhere after it, by a row number alone on a line."""
    start = _header_index(lines)
    return start is not None and any(_NUMBER.match(line.strip()) for line in lines[start + 1:])


def _header_index(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if _HEADER.match(fold(line)):
            return index
    return None


def rebuild_broken_table(lines: list[str]) -> list[Block]:
    start = _header_index(lines)
    assert start is not None
    blocks: list[Block] = []
    for number, line in enumerate(lines[:start], start=1):
        cleaned = clean_text(line)
        if cleaned:
            blocks.append(TextLine(cleaned, f"dòng {number}"))
    first_number = next(i for i in range(start + 1, len(lines)) if _NUMBER.match(lines[i].strip()))
    header_text = fold(" ".join(lines[start:first_number]))
    roles = sorted(
        ((min(header_text.find(w) for w in words if w in header_text), role, label)
         for role, label, words in _ROLE_WORDS if any(w in header_text for w in words)),
    )
    labels = ["TT", "Nhiệm vụ", *(label for _, _, label in roles)]
    role_names = [role for _, role, _ in roles]
    blocks.append(TableRow(tuple(labels), f"dòng {start + 1}", table=1))
    record: list[str] = []
    record_line = 0
    skipping_header = False
    for index in range(first_number, len(lines)):
        stripped = lines[index].strip()
        if _HEADER.match(fold(stripped)):
            skipping_header = True
            continue
        if _NUMBER.match(stripped):
            if record:
                blocks.append(_row(record, role_names, record_line))
            record, record_line, skipping_header = [stripped.rstrip(".")], index + 1, False
            continue
        if skipping_header or not stripped or not record:
            continue
        record.append(stripped)
    if record:
        blocks.append(_row(record, role_names, record_line))
    return blocks


def _row(record: list[str], roles: list[str], line: int) -> TableRow:
    code, *rest = record
    title: list[str] = []
    units: list[str] = []
    timeframe: list[str] = []
    for text in rest:
        if timeframe:
            timeframe.append(text)
        elif title and _UNIT_START.match(text) and len(text) <= _MAX_UNIT_LINE:
            units.append(text)
        elif units and _TIME_START.match(fold(text)) and not text[0].islower():
            timeframe.append(text)
        elif units:
            units[-1] = f"{units[-1]} {text}"
        else:
            title.append(text)
    values = {"lead": "", "support": "", "product": "", "timeframe": " ".join(timeframe)}
    if units:
        if "support" in roles:
            values["lead"], values["support"] = units[0], "\n".join(units[1:])
        else:
            values["lead"] = "\n".join(units)
    cells = (code, " ".join(title), *(values[role] for role in roles))
    return TableRow(tuple(clean_text(c) for c in cells), f"dòng {line}", table=1)
