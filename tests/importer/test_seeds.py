"""The five real plans (shared/seeds): what the importer finds in each, row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.importer import ParsedPlan, parse_plan

SEEDS = {
    "000": "000_c4a0b6284e5c1916.txt",
    "001": "001_cd31977f14874dbb.txt",
    "002": "002_30bca9b0aa2ef2ed.txt",
    "003": "003_2530e74816a637fb.txt",
    "004": "004_341715d731a8c5aa.txt",
}


def _parse(seeds_dir: Path, key: str) -> ParsedPlan:
    path = seeds_dir / SEEDS[key]
    return parse_plan(path.read_bytes(), path.name)


def _item(plan: ParsedPlan, code: str):  # type: ignore[no-untyped-def]
    found = [i for i in plan.items if i.code == code]
    assert len(found) == 1, f"{code}: {[i.code for i in plan.items]}"
    return found[0]


@pytest.mark.parametrize(("key", "tasks", "targets", "groups"), [
    ("000", 12, 0, 0), ("001", 7, 0, 0), ("002", 10, 4, 0), ("003", 89, 55, 8),
])
def test_counts_per_seed(seeds_dir: Path, key: str, tasks: int, targets: int, groups: int) -> None:
    plan = _parse(seeds_dir, key)
    assert plan.counts() == {"task": tasks, "target": targets, "group": groups}
    codes = [i.code for i in plan.items]
    assert len(codes) == len(set(codes))
    assert plan.meta.year == 2026
    assert not any(i.title.lower().startswith(("tên nhiệm vụ", "nhiệm vụ", "chỉ tiêu")) and len(i.title) < 15
                   for i in plan.items), "a repeated header was taken for a row"


@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_a_full_task_table_leaves_the_body_to_the_table(seeds_dir: Path, key: str) -> None:
    """Their appendix lists the plan's tasks (not only its main ones): the body's duties are not read beside it."""
    plan = _parse(seeds_dir, key)
    assert not any(i.source == "prose" for i in plan.items)
    assert not plan.warnings or not plan.warnings[0].startswith("Đọc")


def test_seed_000_cells_broken_across_lines(seeds_dir: Path) -> None:
    plan = _parse(seeds_dir, "000")
    assert plan.meta.title == "Hoạt động khoa học, công nghệ và đổi mới sáng tạo Văn phòng UBND tỉnh năm 2026"
    assert plan.meta.number is None  # "Số:   /KH-VPUB": not numbered yet
    assert plan.meta.issuer == "Văn phòng UBND tỉnh"
    first = _item(plan, "1")
    assert first.title.startswith("Tổ chức triển khai các nghị quyết, quyết định, kế hoạch của Trung ương")
    assert first.title.endswith("đổi mới sáng tạo")
    assert first.lead == ["Các phòng, đơn vị thuộc"] and first.support == []
    assert first.timeframe == "Báo cáo: Quý, 6 tháng, năm và đột xuất"
    second = _item(plan, "2")
    assert second.lead == ["Phòng TCHCQT"]
    assert second.support == ["Các phòng, đơn vị thuộc"]
    assert second.timeframe == "Trước 30/11/2026"
    assert second.deadlines == ["2026-11-30"]
    seventh = _item(plan, "7")
    assert seventh.lead == ["Phòng TCHCQT"]
    assert seventh.support == ["Trung tâm thông tin", "Các phòng, đơn vị thuộc"]
    assert seventh.timeframe == "Quý I/ 2026"
    assert _item(plan, "5").lead == ["Trung tâm thông tin"]
    assert _item(plan, "12").timeframe == "Theo kế hoạch của UBND tỉnh và Sở KH&CN"
    assert _item(plan, "9").recurrence == "continuous"


def test_seed_001_chi_tieu_table_with_outputs_reads_as_tasks(seeds_dir: Path) -> None:
    plan = _parse(seeds_dir, "001")
    # headed "Các chỉ tiêu", but each row has a lead unit and an expected output and no target value: tasks
    assert [(i.code, i.kind) for i in plan.items] == [(str(n), "task") for n in range(1, 8)]
    first = _item(plan, "1")
    assert first.title == "Rà soát, tham gia góp ý các văn bản pháp luật về KHCN, CDS"
    assert (first.lead, first.support, first.product) == (["Phòng TCHCQT"], ["Các phòng, đơn vị"], "Văn bản góp ý")
    assert first.recurrence == "continuous"
    assert _item(plan, "3").deadlines == ["2026-12-31"]
    last = _item(plan, "7")
    assert (last.lead, last.support, last.timeframe) == (["Trung tâm Thông tin"], [], None)
    assert last.warnings  # no timeframe: said, not guessed
    assert plan.meta.coordinator == "Phòng Tổ chức - Hành chính - Quản trị"


def test_seed_002_targets_appendix_and_roman_sections(seeds_dir: Path) -> None:
    plan = _parse(seeds_dir, "002")
    assert [i.code for i in plan.items if i.kind == "target"] == ["T.I.1", "T.I.2", "T.II.1", "T.II.2"]
    target = _item(plan, "T.II.2")
    assert target.appendix == "Phụ lục I"
    assert target.target == "10" and target.timeframe == "Năm 2026"
    assert target.lead == ["Phòng Văn hóa - Xã hội"] and target.support == ["Các cơ quan, đơn vị"]
    tasks = [i for i in plan.items if i.kind == "task"]
    assert [i.code for i in tasks] == ["I.1", "II.1", "II.2", "III.1", "III.2", "IV.1", "IV.2", "IV.3", "V.1", "VI.1"]
    assert {i.appendix for i in tasks} == {"Phụ lục II"}
    assert _item(plan, "II.1").section == "II. NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ"
    assert _item(plan, "II.1").lead == ["Các cơ quan, đơn vị"]
    assert _item(plan, "IV.2").title.startswith("Tham gia các lớp tập huấn")  # after the repeated header
    rounds = _item(plan, "V.1")
    assert rounds.timeframe == "Đợt 1 quý II/2026 Đợt 2, Quý IV/2026"
    assert rounds.deadlines == ["2026-06-30", "2026-12-31"]
    assert plan.meta.issuer == "UBND xã Vân Hồ"
    assert plan.meta.coordinator == "Phòng Văn hóa - Xã hội"


def test_seed_003_big_table(seeds_dir: Path) -> None:
    plan = _parse(seeds_dir, "003")
    group = _item(plan, "I.1")
    assert group.kind == "group" and group.lead == []
    sub = _item(plan, "I.1.1")
    assert sub.parent_code == "I.1" and sub.completed and sub.lead == ["Các sở, ban, ngành", "UBND cấp xã"]
    assert _item(plan, "I.1.2").timeframe == "Hàng năm"  # the "Giai đoạn 2025 - 2030" column
    # a title continued after the page break
    assert _item(plan, "II.13").title.endswith("đã ban hành của địa phương để phát triển kinh tế - xã hội")
    # a second lead on a continuation row (merged TT cell)
    assert _item(plan, "I.5.3").lead == ["Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "UBND cấp xã"]
    # multi-lead "(1) ... (2) ...", the last one continued on the next page
    multi = _item(plan, "V.4")
    assert multi.lead == ["Sở Khoa học và Công nghệ", "Công an tỉnh", "Sở Tài chính", "UBND cấp xã"]
    assert multi.deadlines == ["2026-05-31", "2026-06-30"]
    assert _item(plan, "X.2").lead == ["Sở Khoa học và Công nghệ", "Sở Tài chính"]
    # a unit cell cut by the page break joins mid-phrase
    assert "UBND cấp xã" in _item(plan, "III.1").support
    assert _item(plan, "VI.4").title == (
        "Nghiên cứu xây dựng chương trình, kế hoạch mua sản phẩm công nghệ chiến lược do trong nước phát triển.")
    assert _item(plan, "VI.4").deadlines == ["2026-03-31"]
    assert _item(plan, "II.15").completed  # "Quý I/2026 (Đã hoàn thành)"
    shifted = _item(plan, "VIII.1.1")  # "Quý I/2026" sits in the 2025 column, "2030" in the plan-year one
    assert shifted.timeframe == "Quý I/2026 (nhiệm vụ 2025 chuyển tiếp)" and shifted.warnings
    assert _item(plan, "VIII.2").kind == "group" and _item(plan, "VIII.2.10").parent_code == "VIII.2"
    assert sum(i.completed for i in plan.items) >= 15
    period = _item(plan, "IV.4")  # "Trong giai đoạn" under "Giai đoạn 2025 - 2030"
    assert period.timeframe == "Trong giai đoạn (Giai đoạn 2025 - 2030)" and period.deadlines
    target = _item(plan, "T1")
    assert target.appendix == "Phụ lục I"
    assert target.target == "100%" and target.timeframe == "Đến hết 2030"
    assert target.support == ["Các Doanh nghiệp viễn thông trên địa bàn"]
    assert plan.meta.coordinator == "Sở Khoa học và Công nghệ"


def test_seed_004_duties_read_from_prose(seeds_dir: Path) -> None:
    plan = _parse(seeds_dir, "004")
    assert plan.items and {i.source for i in plan.items} == {"prose"}
    assert plan.warnings[0].startswith("Đọc từ văn bản (không có bảng nhiệm vụ)")
    desk = "Phòng Tổ chức - Hành chính - Quản trị"
    assert plan.meta.coordinator == desk
    milestones = [i for i in plan.items if i.section and "TIẾN ĐỘ" in i.section]
    assert milestones and all(i.lead == [desk] for i in milestones)
    assert any(i.deadlines == ["2027-12-31"] for i in milestones)
    leads = {u for i in plan.items for u in i.lead}
    assert {desk, "Các phòng, đơn vị trực thuộc", "Trung tâm thông tin"} <= leads
    # "Đăng tải ...; phối hợp tuyên truyền ...": "phối hợp" naming no other unit is still the heading unit's duty
    assert [(i.lead, i.support) for i in plan.items if i.line == 118] == [(["Trung tâm thông tin"], [])]
    assert all(i.line for i in plan.items)
