"""Word and Excel files built here reproduce what real plans do to tables; every format must read the same."""

from __future__ import annotations

import pytest

from bot.importer import ParsedPlan, parse_plan
from tests.importer.builders import PAGE_1, as_delimited, build_docx, build_xlsx

EXPECTED_CODES = ["T1", "T2", "I.1", "I.2", "II.1", "II.1.1", "II.1.2", "II.2"]


def _by_code(plan: ParsedPlan) -> dict:  # type: ignore[type-arg]
    return {item.code: item for item in plan.items}


@pytest.fixture(params=["docx", "xlsx"])
def built(request: pytest.FixtureRequest) -> ParsedPlan:
    data = build_docx() if request.param == "docx" else build_xlsx()
    return parse_plan(data, f"kehoach.{request.param}")


def test_structure_is_read_from_word_and_excel(built: ParsedPlan) -> None:
    assert [i.code for i in built.items] == EXPECTED_CODES
    assert built.counts() == {"task": 5, "target": 2, "group": 1}
    assert (built.meta.number, built.meta.title, built.meta.year) == (
        "125/KH-UBND", "Chuyển đổi số của tỉnh Thử năm 2026", 2026)
    assert built.meta.coordinator == "Sở Khoa học và Công nghệ"
    items = _by_code(built)
    assert items["I.1"].section == "I. THỂ CHẾ, CHÍNH SÁCH"
    assert items["II.1"].kind == "group" and items["II.1.1"].parent_code == "II.1"


def test_merged_cells_are_not_repeated(built: ParsedPlan) -> None:
    items = _by_code(built)
    # the section row is merged across the table: its title appears once, as the section, never as a task
    assert all(item.title != "HẠ TẦNG SỐ" for item in built.items)
    assert items["II.1.1"].section == "II. HẠ TẦNG SỐ"
    # the merged "Thời gian thực hiện" header is a header, not a timeframe
    assert all(item.timeframe != "Thời gian thực hiện" for item in built.items)


def test_timeframe_column_of_the_plan_year_wins(built: ParsedPlan) -> None:
    items = _by_code(built)
    assert items["II.1.1"].timeframe == "Trước 30/9/2026"  # "Năm 2026" beats "Giai đoạn 2026 - 2030"
    assert items["II.1.1"].deadlines == ["2026-09-30"]
    assert items["I.2"].deadlines == ["2026-06-30"]
    done = items["I.1"]  # "Đã hoàn thành" in the 2025 column
    assert done.completed and done.timeframe == "Đã hoàn thành"
    assert not items["I.2"].completed


def test_continuation_rows_and_multi_lead_cells(built: ParsedPlan) -> None:
    items = _by_code(built)
    assert items["II.1.1"].lead == ["Sở Khoa học và Công nghệ", "Công an tỉnh"]
    continued = items["II.1.2"]
    assert continued.title == "Cập nhật dữ liệu dùng chung của tỉnh"  # joined across the page break
    assert continued.lead == ["Sở Tài chính", "Sở Xây dựng"]  # second lead on a merged-TT row
    assert continued.product == "Dữ liệu\nBáo cáo riêng"
    assert items["I.1"].support == ["Các sở, ban, ngành", "UBND cấp xã"]


def test_targets_appendix(built: ParsedPlan) -> None:
    target = _by_code(built)["T1"]
    assert (target.kind, target.appendix) == ("target", "Phụ lục I")
    assert (target.target, target.timeframe) == ("≥ 80%", "Năm 2026")
    assert target.lead == ["Sở KH&CN"] and target.deadlines == ["2026-12-31"]


@pytest.mark.parametrize(("name", "delimiter"), [("kehoach.csv", ","), ("kehoach.tsv", "\t"), ("kehoach.csv", ";")])
def test_delimited_files_read_like_the_table(name: str, delimiter: str) -> None:
    plan = parse_plan(as_delimited(delimiter), name)
    assert [i.code for i in plan.items] == EXPECTED_CODES[2:]
    assert _by_code(plan)["II.1.2"].lead == ["Sở Tài chính", "Sở Xây dựng"]
    assert plan.meta.number == "125/KH-UBND"


def test_plan_year_option_moves_the_timeframe_column() -> None:
    plan = parse_plan(build_docx(), "kehoach.docx", plan_year=2027)
    items = _by_code(plan)
    assert items["II.1.1"].timeframe == "Hằng năm"  # 2027 is only covered by "Giai đoạn 2026 - 2030"
    assert plan.meta.year == 2027


def test_word_file_without_page_break_reads_the_same() -> None:
    plan = parse_plan(build_docx((PAGE_1,)), "kehoach.docx")
    assert [i.code for i in plan.items] == EXPECTED_CODES[:-1]


def _sheet(rows: list[list[str | None]], merges: tuple[str, ...] = ()) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_start_and_end_columns_under_the_timeframe_header_give_the_end_as_deadline() -> None:
    """"Thời gian thực hiện" spanning "Bắt đầu" | "Hoàn thành": the deadline is the end, never the start."""
    data = _sheet([
        ["(Kèm theo Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND xã Hòa Bình)"],
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", None, "Kết quả đầu ra"],
        [None, None, None, None, "Bắt đầu", "Hoàn thành", None],
        ["1", "Rà soát hộ nghèo", "Công chức Lao động", "Các thôn", "01/9/2026", "30/11/2026", "Báo cáo"],
        ["2", "Tổ chức Ngày hội đại đoàn kết", "UBMTTQ xã", None, "Tháng 10/2026", "Tháng 11/2026", "Ngày hội"],
        ["3", "Cập nhật dữ liệu", "Văn phòng", None, None, "Quý IV/2026", None],
    ], merges=("E2:F2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "G2:G3"))
    plan = parse_plan(data, "phu_luc.xlsx")
    assert [(i.timeframe, list(i.deadlines)) for i in plan.items] == [
        ("01/9/2026 - 30/11/2026", ["2026-11-30"]),
        ("Tháng 10/2026 - Tháng 11/2026", ["2026-11-30"]),
        ("Quý IV/2026", ["2026-12-31"]),
    ]
    assert not [w for w in plan.warnings if "Bắt đầu" in w]  # the sub-header row is a header, not a lost row


def test_separate_start_and_end_columns_in_one_header_row() -> None:
    data = _sheet([
        ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian bắt đầu", "Thời gian hoàn thành"],
        ["1", "Rà soát hộ nghèo", "Công chức Lao động", "01/9/2026", "30/11/2026"],
    ])
    (item,) = parse_plan(data, "ke_hoach.xlsx", plan_year=2026).items
    assert list(item.deadlines) == ["2026-11-30"]


@pytest.mark.parametrize(("title", "lead", "support", "product", "timeframe"), [
    ("Các nhiệm vụ trọng tâm", "Cơ quan, đơn vị thực hiện", "Cơ quan, đơn vị phối hợp thực hiện", "Kết quả/sản phẩm",
     "Hạn hoàn thành"),
    ("Tên hoạt động", "Trách nhiệm thực hiện", "Phối hợp", "Hình thức sản phẩm", "Thời điểm hoàn thành"),
])
def test_other_header_wordings(title: str, lead: str, support: str, product: str, timeframe: str) -> None:
    data = _sheet([
        ["STT", title, lead, support, product, timeframe],
        ["1", "Tuyên truyền chuyển đổi số", "Phòng Văn hóa", "Các xã", "Tin bài", "Quý III/2026"],
    ])
    (item,) = parse_plan(data, "ke_hoach.xlsx", plan_year=2026).items
    assert (item.title, item.lead, item.support, item.product, item.timeframe, list(item.deadlines)) == (
        "Tuyên truyền chuyển đổi số", ["Phòng Văn hóa"], ["Các xã"], "Tin bài", "Quý III/2026", ["2026-09-30"])
