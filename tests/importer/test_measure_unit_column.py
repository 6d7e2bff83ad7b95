"""An indicator table names the unit of measure «Đơn vị» beside the body that follows it up («Cơ quan chủ trì
theo dõi»): the lead is the «chủ trì» column (found by tryplans: a programme's indicator appendix gave «%» as
the lead of 21 rows). The table below is made up for the test."""

from __future__ import annotations

from bot.importer import parse_plan

TABLE = """KẾ HOẠCH
Nâng cao chất lượng dịch vụ công năm 2026

| TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá |
|---|---|---|---|---|
| 1 | Tỉ lệ hồ sơ được giải quyết đúng hạn | % | 98 | Sở Nội vụ |
| 2 | Số hệ thống thông tin được kết nối | hệ thống | 12 | Sở Khoa học và Công nghệ |
"""

PLAIN = """KẾ HOẠCH
Tuyên truyền pháp luật năm 2026

| TT | Nội dung | Đơn vị | Thời gian |
|---|---|---|---|
| 1 | Tổ chức hội nghị phổ biến luật mới | Sở Tư pháp | Quý II/2026 |
"""


def test_the_chu_tri_column_is_the_lead_when_a_bare_don_vi_is_the_unit_of_measure() -> None:
    plan = parse_plan(TABLE.encode(), "chi-tieu.txt")
    assert [item.lead for item in plan.items] == [["Sở Nội vụ"], ["Sở Khoa học và Công nghệ"]]


def test_a_bare_don_vi_alone_is_still_the_lead() -> None:
    (item,) = parse_plan(PLAIN.encode(), "ke-hoach.txt").items
    assert item.lead == ["Sở Tư pháp"]


def test_indicator_rows_with_a_unit_of_measure_are_targets_not_tasks() -> None:
    """«Kết quả» beside a unit of measure is the number to reach («98» %), not a product to hand in: the rows are
    targets (counted apart in the preview, never nudged as tasks)."""
    plan = parse_plan(TABLE.encode(), "chi-tieu.txt")
    assert [item.kind for item in plan.items] == ["target", "target"]
    assert plan.counts()["task"] == 0 and plan.counts()["target"] == 2
    measured = TABLE.replace("| Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá |",
                             "| Đơn vị tính | Kết quả | Cơ quan chủ trì |")
    assert [item.kind for item in parse_plan(measured.encode(), "chi-tieu.txt").items] == ["target", "target"]
    (task,) = parse_plan(PLAIN.encode(), "ke-hoach.txt").items  # no unit of measure: still a task
    assert task.kind == "task"
