"""Pipe tables in text files: markdown rows on one line, and the "pipe per line" layout of legal-document
web pages copied to markdown (each cell's text on its own lines, "|" lines between cells, two between rows)."""

from __future__ import annotations

from bot.directory.unitnames import split_units
from bot.importer import parse_plan
from bot.importer.document import TableRow
from bot.importer.parse import load_document

_LETTERHEAD = """|
**ỦY BAN NHÂN
DÂN**
XÃ HOA ĐÀO
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
|
Số: 41/KH-UBND
|
*Hoa Đào, ngày
12 tháng 3 năm 2026*
|

**KẾ HOẠCH**

Số hóa hồ sơ lưu trữ của xã năm 2026

**I. TỔ CHỨC THỰC HIỆN**

**1. Phòng Văn hóa - Xã hội**

- Chủ trì hướng dẫn các thôn
lập danh mục hồ sơ cần số hóa.

**2. Trung tâm Phục vụ hành chính công**

- Bố trí máy quét và
nhân lực cho việc số hóa.

Ủy ban nhân dân xã yêu cầu Phòng Kinh tế và Công an xã nghiêm túc triển khai thực hiện; định kỳ
hằng quý báo cáo kết quả về Phòng Văn hóa - Xã hội để tổng hợp./.

|
*Nơi nhận:*
- Như trên;
- Lưu: VT.
|
**TM. ỦY BAN NHÂN DÂN**
CHỦ TỊCH
|

**PHỤ LỤC**

NHIỆM VỤ CHỦ YẾU CỦA KẾ HOẠCH

|
**TT**
|
**Nội dung**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian thực hiện**
|
|
1
|
Số hóa sổ hộ tịch
từ năm 2000 đến nay
|
Phòng Văn hóa - Xã hội
|
Công an xã
|
Tháng 6/2026
|
|
2
|
Số hóa hồ sơ đất đai
|
Phòng Kinh tế
|
Các Phòng: Văn hóa - Xã hội, Nội vụ
|
Quý IV/2026
|
"""


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if line.strip() == needle)


def test_pipe_per_line_table_imports_through_the_table_path_with_the_line_of_its_number() -> None:
    plan = parse_plan(_LETTERHEAD.encode(), "ke-hoach.md")
    rows = [i for i in plan.items if i.source == "table"]
    assert [i.code for i in rows] == ["1", "2"]
    first, second = rows
    assert first.title == "Số hóa sổ hộ tịch từ năm 2000 đến nay"
    assert (first.lead, first.support, first.deadlines) == (["Phòng Văn hóa - Xã hội"], ["Công an xã"], ["2026-06-30"])
    assert first.where == f"dòng {_line_of(_LETTERHEAD, '1')}"
    assert second.support == ["Phòng Văn hóa - Xã hội", "Phòng Nội vụ"]  # "Các Phòng: A, B"


def test_letterhead_in_the_pipe_layout_gives_the_metadata_and_no_task() -> None:
    plan = parse_plan(_LETTERHEAD.encode(), "ke-hoach.md")
    assert (plan.meta.number, plan.meta.year) == ("41/KH-UBND", 2026)
    assert plan.meta.title == "Số hóa hồ sơ lưu trữ của xã năm 2026"
    texts = " ".join(i.title for i in plan.items)
    assert "CỘNG HÒA" not in texts and "Nơi nhận" not in texts and "CHỦ TỊCH" not in texts


def test_duties_in_the_body_are_read_beside_a_table_of_the_main_tasks() -> None:
    """An appendix of the plan's main tasks ("Nhiệm vụ chủ yếu") is a selection: the body's duties count too."""
    plan = parse_plan(_LETTERHEAD.encode(), "ke-hoach.md")
    prose = {i.line: i for i in plan.items if i.source == "prose"}
    lines = _LETTERHEAD.split("\n")
    at = next(n for n, line in enumerate(lines, start=1) if line.startswith("- Chủ trì hướng dẫn"))
    assert prose[at].lead == ["Phòng Văn hóa - Xã hội"]
    closing = next(n for n, line in enumerate(lines, start=1) if line.startswith("Ủy ban nhân dân xã yêu cầu"))
    assert prose[closing].lead == ["Phòng Kinh tế", "Công an xã"]  # "yêu cầu X, Y nghiêm túc triển khai"
    # "...; định kỳ hằng quý báo cáo kết quả ..." is a second duty of the same units (as the gold labellers read it)
    reports = [i for i in plan.items if i.source == "prose" and i.line == closing]
    assert [i.title.split()[0] for i in reports] == ["Ủy", "định"]
    assert plan.warnings[0].startswith("Đọc thêm từ văn bản (ngoài bảng nhiệm vụ): 4 nhiệm vụ của 4 đơn vị")


def test_a_table_of_all_the_tasks_leaves_the_body_to_it() -> None:
    text = _LETTERHEAD.replace("NHIỆM VỤ CHỦ YẾU CỦA KẾ HOẠCH", "DANH MỤC NHIỆM VỤ")
    plan = parse_plan(text.encode(), "ke-hoach.md")
    assert [i.source for i in plan.items] == ["table", "table"]


def test_markdown_rows_on_one_line_are_a_table() -> None:
    text = (
        "KẾ HOẠCH\nKiểm kê tài sản năm 2026\n\nPHỤ LỤC\n\n"
        "| STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |\n"
        "|---|---|---|---|\n"
        "| 1 | Kiểm kê trang thiết bị | Văn phòng | Tháng 12/2026 |\n"
        "| 2 | Thanh lý tài sản hỏng | Phòng Tài chính | Quý IV/2026 |\n"
    )
    plan = parse_plan(text.encode(), "kiem-ke.md")
    assert [(i.code, i.title, i.lead, i.where) for i in plan.items] == [
        ("1", "Kiểm kê trang thiết bị", ["Văn phòng"], "dòng 8"),
        ("2", "Thanh lý tài sản hỏng", ["Phòng Tài chính"], "dòng 9"),
    ]


def test_site_information_box_and_a_letter_body_copied_between_pipes() -> None:
    """A legal-documents site's box ("Số hiệu: | ... || Nơi ban hành: | ...") and the letter's body copied as
    one long "cell" with no blank line: the box gives the metadata, the body reads as prose."""
    body = ["**1. Phòng Nội vụ**", "- Rà soát danh mục", "vị trí việc làm của các đơn vị."]
    body += [f"Đoạn văn thứ {n} nêu bối cảnh của công văn," for n in range(40)]
    box = [
        "**Số hiệu:**",
        "|",
        "77/UBND-VP",
        "|",
        "|",
        "**Nơi ban hành:**",
        "|",
        "UBND xã Hoa Đào",
        "|",
        "**Ngày ban hành:**",
        "|",
        "02/02/2026",
        "|",
        "|",
        "**Kính gửi:**",
        "|",
        "- Các phòng;",
        "|",
    ]
    text = "\n".join([*box, *body, "|", "Nơi nhận:", "- Lưu: VT.", "|"]) + "\n"
    doc = load_document(text.encode(), "cong-van.md")
    assert not any(isinstance(b, TableRow) and "Phòng Nội vụ" in " ".join(b.cells) for b in doc.blocks)
    plan = parse_plan(text.encode(), "cong-van.md")
    assert (plan.meta.number, plan.meta.issuer) == ("77/UBND-VP", "UBND xã Hoa Đào")
    (duty,) = plan.items
    assert duty.lead == ["Phòng Nội vụ"] and duty.line == len(box) + 2


def test_kind_of_body_written_once_for_the_names_after_it() -> None:
    assert split_units("Các Cục: Di sản, Bản quyền") == ["Cục Di sản", "Cục Bản quyền"]
    assert split_units("Các Vụ: Pháp chế; Kế hoạch, Tài chính. Văn phòng Bộ") == [
        "Vụ Pháp chế",
        "Vụ Kế hoạch, Tài chính",
        "Văn phòng Bộ",
    ]
