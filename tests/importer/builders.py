"""Plan files built in the tests (python-docx, openpyxl) with the structures real plans have:
merged header cells over several timeframe columns, a header repeated after a page break, roman
sections, a group row above sub-tasks, a row continued on the next row, and a targets appendix."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import Workbook

BODY = [
    "ỦY BAN NHÂN DÂN TỈNH THỬ",
    "Số: 125/KH-UBND",
    "Thử, ngày 10 tháng 01 năm 2026",
    "KẾ HOẠCH",
    "Chuyển đổi số của tỉnh Thử năm 2026",
    "Căn cứ Quyết định số 1/QĐ-UBND của UBND tỉnh;",
    "Các cơ quan, đơn vị báo cáo định kỳ hằng quý trước ngày 05 của tháng cuối quý, gửi về Sở Khoa học và "
    "Công nghệ để tổng hợp.",
]
TARGET_HEADER = ["TT", "Chỉ tiêu", "Chỉ tiêu năm 2026", "Cơ quan chủ trì", "Cơ quan phối hợp"]
TARGETS = [
    ["1", "Tỷ lệ hồ sơ xử lý trực tuyến", "≥ 80%", "Sở KH&CN", "Các sở, ban, ngành"],
    ["2", "Số tin bài về chuyển đổi số", "10", "Văn phòng UBND tỉnh", ""],
]
TASK_HEADER = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian thực hiện", "", ""]
TASK_SUBHEADER = ["", "", "", "", "", "Năm 2025", "Năm 2026", "Giai đoạn 2026 - 2030"]
# (cells, merge) where merge is "section" (cells 1..7 merged) or "continued" (TT and title merged with the row above)
PAGE_1 = [
    (["I", "THỂ CHẾ, CHÍNH SÁCH", "", "", "", "", "", ""], "section"),
    (["1", "Xây dựng kế hoạch chuyển đổi số", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành; UBND cấp xã",
      "Kế hoạch", "Đã hoàn thành", "", ""], None),
    (["2", "Rà soát quy định về dữ liệu", "Sở Tư pháp", "Các sở, ban, ngành", "Báo cáo", "", "Quý II/2026", ""],
     None),
    (["II", "HẠ TẦNG SỐ", "", "", "", "", "", ""], "section"),
    (["1", "Phát triển nền tảng số", "", "", "", "", "", ""], None),
    (["1.1", "Triển khai nền tảng tích hợp", "(1) Sở Khoa học và Công nghệ (2) Công an tỉnh", "UBND cấp xã",
      "Báo cáo", "", "Trước 30/9/2026", "Hằng năm"], None),
    (["1.2", "Cập nhật dữ liệu dùng chung", "Sở Tài chính", "", "Dữ liệu", "", "Thường xuyên", "Thường xuyên"], None),
    (["", "", "Sở Xây dựng", "", "Báo cáo riêng", "", "Thường xuyên", ""], "continued"),
]
PAGE_2 = [
    (["", "của tỉnh", "", "", "", "", "", ""], None),
    (["2", "Kết nối hệ thống văn bản", "Văn phòng UBND tỉnh", "Sở KH&CN", "", "", "31/12/2026", ""], None),
]


def build_docx(pages: tuple[list, ...] = (PAGE_1, PAGE_2), *, body: list[str] = BODY, targets: bool = True) -> bytes:
    doc = Document()
    for line in body:
        doc.add_paragraph(line)
    if targets:
        doc.add_paragraph("Phụ lục I")
        doc.add_paragraph("CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026")
        table = doc.add_table(rows=1 + len(TARGETS), cols=len(TARGET_HEADER))
        for r, row in enumerate([TARGET_HEADER, *TARGETS]):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    doc.add_paragraph("Phụ lục II")
    doc.add_paragraph("NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026")
    for page in pages:
        if not page:
            continue
        _task_table(doc, page)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _task_table(doc, rows: list) -> None:  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=2 + len(rows), cols=len(TASK_HEADER))
    for c, text in enumerate(TASK_HEADER):
        if text:
            table.cell(0, c).text = text
    for c, text in enumerate(TASK_SUBHEADER):
        if text:
            table.cell(1, c).text = text
    table.cell(0, 5).merge(table.cell(0, 7))  # "Thời gian thực hiện" over three period columns
    for c in range(5):
        table.cell(0, c).merge(table.cell(1, c))  # TT, Nhiệm vụ, ... span both header rows
    for r, (cells, merge) in enumerate(rows, start=2):
        for c, text in enumerate(cells):
            if text:
                table.cell(r, c).text = text
        if merge == "section":
            table.cell(r, 1).merge(table.cell(r, 7))
        elif merge == "continued":
            table.cell(r - 1, 0).merge(table.cell(r, 0))
            table.cell(r - 1, 1).merge(table.cell(r, 1))


def build_xlsx(*, header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    targets = workbook.active
    targets.title = "Phụ lục I"
    targets.append(["CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026"])
    targets.append(TARGET_HEADER)
    for row in TARGETS:
        targets.append(row)
    tasks = workbook.create_sheet("Phụ lục II")
    for line in BODY:
        tasks.append([line])
    tasks.append(header or TASK_HEADER)
    start = tasks.max_row
    tasks.append(TASK_SUBHEADER)
    tasks.merge_cells(start_row=start, start_column=6, end_row=start, end_column=8)
    for column in range(1, 6):
        tasks.merge_cells(start_row=start, start_column=column, end_row=start + 1, end_column=column)
    for page in (PAGE_1, PAGE_2):
        if page is PAGE_2:
            tasks.append(TASK_HEADER)
            tasks.append(TASK_SUBHEADER)
        for cells, _ in page:
            tasks.append([int(c) if c.isdigit() else (c or None) for c in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_delimited(delimiter: str) -> bytes:
    rows = [TASK_HEADER, TASK_SUBHEADER] + [cells for page in (PAGE_1, PAGE_2) for cells, _ in page]
    lines = [delimiter.join(f'"{c}"' if delimiter in c else c for c in row) for row in rows]
    return ("\n".join(["Số: 125/KH-UBND", "KẾ HOẠCH", "Chuyển đổi số của tỉnh Thử năm 2026", *lines]) + "\n").encode()
