"""A directory file (.csv or .xlsx, UTF-8): one unit a row, columns found by their Vietnamese headers.

    Tên đơn vị | Tên viết tắt | Nhóm | Loại | Đơn vị cấp trên | Lãnh đạo
    Sở Khoa học và Công nghệ | Sở KH&CN; KHCN | Các sở, ban, ngành | sở | | Nguyễn Văn A

"Tên đơn vị" is required; "Tên gọi khác" and "Tên viết tắt" both give aliases and "Nhóm" groups, several
separated by ";". Reading checks the file alone (the database is checked by the service); export writes the
same layout back, so a file exported and imported again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from bot.base.errors import UserError
from bot.base.text import fold, nfc

HEADERS = ("Tên đơn vị", "Tên viết tắt", "Nhóm", "Loại", "Đơn vị cấp trên", "Lãnh đạo")
# folded header (remarks in brackets dropped) -> field
_COLUMNS: dict[str, str] = {
    **dict.fromkeys(("ten don vi", "don vi", "ten co quan", "co quan", "ten co quan don vi", "ten", "ten day du"),
                    "name"),
    **dict.fromkeys(("ten goi khac", "ten viet tat", "viet tat", "ten khac", "bi danh", "ten goi khac ten viet tat",
                     "ten viet tat ten goi khac", "ten thuong goi"), "aliases"),
    **dict.fromkeys(("nhom", "nhom don vi", "thuoc nhom", "cac nhom"), "groups"),
    **dict.fromkeys(("loai", "loai don vi", "cap don vi"), "kind"),
    **dict.fromkeys(("don vi cap tren", "co quan cap tren", "co quan chu quan", "truc thuoc", "cap tren"), "parent"),
    **dict.fromkeys(("lanh dao", "thu truong", "nguoi dung dau", "lanh dao don vi", "truong don vi"), "head"),
    **dict.fromkeys(("stt", "tt", "so tt", "ghi chu"), "ignored"),
}
_ACCEPTED = "Tên đơn vị (bắt buộc), Tên gọi khác, Tên viết tắt, Nhóm, Loại, Đơn vị cấp trên, Lãnh đạo, STT, Ghi chú"
MAX_ERRORS_SHOWN = 10


@dataclass
class DirectoryRow:
    line: int  # the row number in the file (the header is row 1 when it is the first row)
    name: str
    aliases: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    kind: str | None = None
    parent: str | None = None
    head: str | None = None


def header_key(text: str) -> str:
    key = fold(re.sub(r"\([^)]*\)", " ", text))
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", key).split())


def split_list(cell: str) -> list[str]:
    return list(dict.fromkeys(" ".join(p.split()) for p in cell.split(";") if p.strip()))


def read_directory(data: bytes, filename: str) -> list[DirectoryRow]:
    """The rows of a directory file, or a UserError naming the file's problem."""
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif lowered.endswith((".csv", ".tsv", ".txt")):
        table = _csv_rows(data)
    else:
        raise UserError(f"Tệp «{filename}» không phải .csv hoặc .xlsx. Hãy lưu danh mục đơn vị dạng CSV (UTF-8) "
                        "hoặc Excel (.xlsx).")
    return _rows(table, filename)


def raise_problems(problems: list[str], what: str = "danh mục") -> None:
    """One message listing the problems (at most ten, and how many more), with the next step."""
    if not problems:
        return
    shown = "\n".join(f"- {p}" for p in problems[:MAX_ERRORS_SHOWN])
    more = f"\n(và {len(problems) - MAX_ERRORS_SHOWN} lỗi khác)" if len(problems) > MAX_ERRORS_SHOWN else ""
    raise UserError(f"Chưa nhập {what}, không có gì được ghi: {len(problems)} lỗi.\n{shown}{more}\n"
                    "Hãy sửa tệp rồi nhập lại (xem trước bằng --dry-run).")


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("Tệp CSV không phải mã UTF-8. Trong Excel, chọn «Lưu dưới dạng» → «CSV UTF-8» rồi nhập lại."
                        ) from None
    text = nfc(text)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on broken packages
        raise UserError(f"Không mở được tệp Excel (.xlsx): {exc.__class__.__name__}. Hãy lưu lại tệp rồi nhập lại."
                        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [(number, [nfc(str(v)).strip() if v is not None else "" for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _rows(table: list[tuple[int, list[str]]], filename: str) -> list[DirectoryRow]:
    filled = [(n, [c.strip() for c in cells]) for n, cells in table if any(c.strip() for c in cells)]
    if not filled:
        raise UserError(f"Tệp «{filename}» không có dòng nào. Dòng đầu tiên là tiêu đề: {', '.join(HEADERS)}.")
    header_line, header = filled[0]
    columns: list[str] = []
    problems: list[str] = []
    for text in header:
        role = _COLUMNS.get(header_key(text), "" if not text else None)
        if role is None:
            problems.append(f"Dòng {header_line}: cột «{text}» không nhận ra. Các cột dùng được: {_ACCEPTED}.")
            role = "ignored"
        elif role and role != "ignored" and role != "aliases" and role in columns:
            problems.append(f"Dòng {header_line}: cột «{text}» có hai lần.")
        columns.append(role or "ignored")
    if "name" not in columns:
        problems.append(f"Dòng {header_line}: thiếu cột «Tên đơn vị» (bắt buộc). Dòng tiêu đề hiện có: "
                        f"{', '.join(h for h in header if h) or '(trống)'}.")
    raise_problems(problems)
    rows: list[DirectoryRow] = []
    for line, cells in filled[1:]:
        values: dict[str, list[str]] = {}
        for role, cell in zip(columns, cells, strict=False):
            if role != "ignored" and cell:
                values.setdefault(role, []).append(cell)
        if not values:
            continue
        name = " ".join(" ".join(values.get("name", [])).split())
        if not name:
            problems.append(f"Dòng {line}: thiếu «Tên đơn vị» (các ô khác có nội dung: "
                            f"{'; '.join(c for c in cells if c)[:80]}).")
            continue
        aliases = [a for cell in values.get("aliases", []) for a in split_list(cell)]
        rows.append(DirectoryRow(
            line=line, name=name, aliases=list(dict.fromkeys(aliases)),
            groups=[g for cell in values.get("groups", []) for g in split_list(cell)],
            kind=_one(values, "kind"), parent=_one(values, "parent"), head=_one(values, "head"),
        ))
    raise_problems(problems)
    return rows


def _one(values: dict[str, list[str]], role: str) -> str | None:
    found = values.get(role)
    return " ".join(found[0].split()) if found else None


def write_directory(rows: list[DirectoryRow], *, xlsx: bool = False) -> bytes:
    """The directory in the layout `read_directory` reads (CSV with a BOM, so Excel opens it as UTF-8)."""
    table = [list(HEADERS)] + [
        [r.name, "; ".join(r.aliases), "; ".join(r.groups), r.kind or "", r.parent or "", r.head or ""] for r in rows
    ]
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Danh mục đơn vị"
        for row in table:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(table)
    return ("\ufeff" + text.getvalue()).encode("utf-8")
