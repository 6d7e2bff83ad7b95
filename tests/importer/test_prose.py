"""Plans whose duties are written in prose (no task table), through the CLI and the parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.importer import parse_plan
from storage.database import Database

FIXTURE = Path(__file__).parent / "fixtures" / "prose_plan.txt"


@pytest.fixture
def cli_db(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    return sqlite_db


def _tasks() -> dict[int, list[dict[str, object]]]:
    plan = parse_plan(FIXTURE.read_bytes(), FIXTURE.name)
    by_line: dict[int, list[dict[str, object]]] = {}
    for item in plan.items:
        by_line.setdefault(item.line or 0, []).append(item.to_json())
    return by_line


def test_units_named_in_sentences_lead_and_support() -> None:
    tasks = _tasks()
    assert 9 not in tasks and 13 not in tasks  # "Căn cứ ..." and a goal with no unit are not duties
    (giao,) = tasks[17]
    assert giao["lead"] == ["Phòng Văn hóa"] and giao["deadlines"] == ["2026-06-30"]
    (chu_tri,) = tasks[19]
    assert chu_tri["lead"] == ["Phòng Nội vụ"] and chu_tri["support"] == ["Phòng Tài chính"]


def test_heading_unit_bullets_split_by_date_and_phoi_hop_makes_it_support() -> None:
    tasks = _tasks()
    shelves, roof = tasks[29]
    assert shelves["lead"] == roof["lead"] == ["Văn phòng HĐND và UBND"]
    assert shelves["deadlines"] == ["2026-04-30"] and roof["deadlines"] == ["2026-08-15"]
    (labels,) = tasks[31]
    assert labels["lead"] == ["Phòng Nội vụ"] and labels["support"] == ["Văn phòng HĐND và UBND"]
    (post,) = tasks[35]
    assert post["request"] is True and post["lead"] == ["Bưu điện huyện"]
    assert all(t["source"] == "prose" for found in tasks.values() for t in found)


def test_milestone_goes_to_the_coordinator_named_in_the_reporting_rule() -> None:
    plan = parse_plan(FIXTURE.read_bytes(), FIXTURE.name)
    assert plan.meta.coordinator == "Phòng Nội vụ"
    (milestone,) = [i for i in plan.items if i.line == 23]
    assert milestone.lead == ["Phòng Nội vụ"] and milestone.deadlines == ["2026-03-31"]
    assert plan.meta.regimes


def test_cli_dry_run_says_it_read_prose(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURE), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["warnings"][0].startswith("Đọc từ văn bản (không có bảng nhiệm vụ)") or any(
        w.startswith("Đọc từ văn bản") for w in data["warnings"])
    assert {t["source"] for t in data["tasks"]} == {"prose"}
    assert all(isinstance(t["line"], int) for t in data["tasks"])


def test_scorer_matches_by_line_and_counts_what_is_missed() -> None:
    from bot.devtools.prose_score import score

    gold = json.loads(FIXTURE.with_suffix(".gold.json").read_text(encoding="utf-8"))
    items = parse_plan(FIXTURE.read_bytes(), FIXTURE.name).items
    full = score("fixture", items, gold)
    assert (full.matched, full.gold, full.extracted) == (7, 7, 7) and full.lead_right == 7
    assert (full.deadline_right, full.dated) == (4, 4)
    shifted = {"duties": [{**d, "line": d["line"] + (2 if d["line"] == 23 else 0)} for d in gold["duties"]] + [
        {"line": 2, "leads": ["Phòng Văn hóa"], "deadline": "2026-01-31"}]}
    partial = score("fixture", items, shifted, per_duty=True)
    assert partial.matched == 7 and partial.gold == 8 and any(r.startswith("  MISS line 2") for r in partial.rows)
    wrong_lead = {"duties": [{**gold["duties"][0], "leads": ["Phòng Kinh tế"]}]}
    assert score("fixture", items, wrong_lead).lead_right == 0


def test_plan_year_from_a_wrapped_date_line_not_from_a_horizon_in_the_title() -> None:
    text = ("Số: 3/KH-UBND\nBản Mường, ngày\n05 tháng 01 năm 2026\n\nKẾ HOẠCH\n\nTrồng cây đến năm 2030\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n1. Phòng Kinh tế\n\n- Trồng hàng cây trước ngày 30/4.\n")
    plan = parse_plan(text.encode("utf-8"), "kehoach.txt")
    assert plan.meta.year == 2026
    assert [i.deadlines for i in plan.items] == [["2026-04-30"]]


def test_cli_readable_preview_lists_each_prose_task_with_its_line(
    cli_db: Database, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(FIXTURE), "--dry-run"]) == 0
    preview = capsys.readouterr().out
    assert "Đọc từ văn bản (không có bảng nhiệm vụ): 7 nhiệm vụ" in preview
    assert "dòng 35 · Bưu điện huyện (đề nghị) · Hỗ trợ chuyển hồ sơ" in preview


def _prose_items(text: str) -> dict[int, list[object]]:
    plan = parse_plan(text.encode(), "van-ban.txt")
    found: dict[int, list[object]] = {}
    for item in plan.items:
        found.setdefault(item.line or 0, []).append(item)
    return found


def _leads_by_line(text: str) -> dict[int, list[list[str]]]:
    return {line: [item.lead for item in items] for line, items in _prose_items(text).items()}


def test_pdf_text_with_a_blank_line_after_every_line_joins_its_wrapped_lines() -> None:
    wrapped = [
        "KẾ HOẠCH", "Lưu trữ điện tử năm 2026", "II. TỔ CHỨC THỰC HIỆN",
        "1. Các phòng chuyên môn thuộc Ủy ban nhân dân xã căn cứ Kế hoạch",
        "này lập danh mục hồ sơ điện tử của đơn vị mình, gửi về Văn phòng",
        "Hội đồng nhân dân và Ủy ban nhân dân xã trước ngày 30/6/2026.",
        "2. Văn phòng HĐND và UBND xã tổng hợp danh mục của các phòng chuyên",
        "môn, trình Chủ tịch UBND xã phê duyệt.",
    ]
    wrapped += [f"Dòng ghi chú thứ {n} của phần cuối văn bản không giao việc cho ai." for n in range(8)]
    items = _prose_items("\n\n".join(wrapped) + "\n")
    (first,) = items[7]
    assert first.lead == ["Các phòng chuyên môn thuộc Ủy ban nhân dân xã"]
    assert first.title.endswith("trước ngày 30/6/2026.") and first.deadlines == ["2026-06-30"]
    (second,) = items[13]
    assert second.lead == ["Văn phòng HĐND và UBND xã"] and second.title.endswith("phê duyệt.")


def test_a_recurring_report_under_a_unit_heading_is_a_duty_of_its_own() -> None:
    text = ("KẾ HOẠCH\nTiếp công dân năm 2026\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Thanh tra huyện\n\n"
            "Hướng dẫn các xã bố trí lịch tiếp công dân; tuyên truyền Kế hoạch; phối hợp kiểm tra việc "
            "tiếp công dân; định kỳ hằng quý báo cáo kết quả về Văn phòng.\n")
    (guide, report) = _prose_items(text)[8]
    assert guide.lead == report.lead == ["Thanh tra huyện"] and guide.support == []
    assert "phối hợp kiểm tra" in guide.title  # "phối hợp" naming no other unit: still the heading unit's
    assert report.title.startswith("định kỳ hằng quý báo cáo")


def test_an_item_whose_sentence_starts_with_the_units_that_act_is_their_task() -> None:
    text = ("KẾ HOẠCH\nChi trả trợ cấp qua tài khoản năm 2026\n\nII. PHƯƠNG ÁN TRIỂN KHAI\n\n"
            "a) Ủy ban nhân dân các xã huy động nguồn lực, tuyên truyền đến từng hộ gia đình.\n\n"
            "b) Mở tài khoản: Bưu điện tỉnh phối hợp với Ủy ban nhân dân các xã mở tài khoản cho đối tượng.\n\n"
            "c) Tổ chức hội nghị sơ kết vào cuối năm.\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế\n\n"
            "- Các ngân hàng thương mại tham gia tuyên truyền về thẻ thanh toán.\n")
    found = _prose_items(text)
    assert [i.lead for i in found[6]] == [["Ủy ban nhân dân các xã"]]
    (bank,) = found[8]
    assert bank.lead == ["Bưu điện tỉnh"] and bank.support == ["Ủy ban nhân dân các xã"]
    assert 10 not in found  # "Tổ chức hội nghị": a verb, not a unit
    assert [i.lead for i in found[16]] == [["Các ngân hàng thương mại"]]  # under Sở Y tế, the sentence names who


def test_the_addressees_under_kinh_gui_are_not_duties() -> None:
    text = ("CÔNG VĂN\nKính gửi:\n- Các cơ quan tham mưu thuộc Bộ;\n- Trung tâm Chuyển đổi số.\n\n"
            "1. Văn phòng Bộ\n\n- Tổng hợp kết quả trước ngày 15/12/2026.\n")
    found = _prose_items(text)
    assert sorted(found) == [8] and found[8][0].lead == ["Văn phòng Bộ"]


def test_dated_items_under_a_numbered_timetable_heading_are_the_coordinators_milestones() -> None:
    text = ("KẾ HOẠCH\nThi đua mở tài khoản năm 2026\n\nI. MỤC ĐÍCH\n\n2. Thời gian thi đua\n\n"
            "a) Thời gian thi đua chia thành 02 đợt:\n\n"
            "- Đợt 01: từ ngày 02 tháng 3 năm 2026 đến ngày 13 tháng 3 năm 2026;\n\n"
            "- Các đơn vị hưởng ứng sôi nổi.\n\n"
            "b) Kiểm tra, xếp hạng thi đua trước ngày 30 tháng 4 năm 2026.\n\n"
            "II. KHEN THƯỞNG\n\n"
            "a) Căn cứ kết quả kiểm tra, Ủy ban nhân dân cấp xã quyết định khen thưởng tập thể.\n\n"
            "Định kỳ hằng quý, các đơn vị báo cáo kết quả về Sở Y tế (qua Phòng Nghiệp vụ) để tổng hợp.\n")
    found = _prose_items(text)
    (first,) = found[10]
    assert first.milestone and first.lead == ["Phòng Nghiệp vụ"] and first.deadlines == ["2026-03-13"]
    assert 12 not in found  # no date under the timetable: not a milestone
    assert found[14][0].deadlines == ["2026-04-30"]
    (award,) = found[18]  # the circumstance before the subject does not hide it
    assert award.lead == ["Ủy ban nhân dân cấp xã"] and not award.milestone


def test_a_letterhead_line_is_not_a_unit_acting() -> None:
    text = ("VĂN PHÒNG UBND TỈNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nVĂN PHÒNG Độc lập - Tự do - Hạnh phúc\n\n"
            "KẾ HOẠCH\nTập huấn năm 2026\n\nI. TỔ CHỨC THỰC HIỆN\n\n"
            "- Các Sở, ban, ngành, UBND cấp xã thành lập tổ công tác trước ngày 30/6/2026.\n")
    found = _prose_items(text)
    assert sorted(found) == [9] and found[9][0].lead == ["Các Sở, ban, ngành", "UBND cấp xã"]


def test_a_task_block_names_its_units_in_fields_after_the_task_line() -> None:
    text = ("KẾ HOẠCH\nBồi dưỡng công chức năm 2026\n\nII. NHIỆM VỤ\n\n"
            "1. Tổ chức lớp bồi dưỡng kỹ năng soạn thảo văn bản\n\n"
            "- Bảo đảm đúng đối tượng, thiết thực, hiệu quả.\n\n"
            "- *Cơ quan chủ trì:* Sở Nội vụ.\n\n- Cơ quan phối hợp: Sở Tư pháp, Trường Chính trị tỉnh.\n\n"
            "- Thời gian thực hiện: trước ngày 30/9/2026.\n\n"
            "**2. Nâng cao trách nhiệm người đứng đầu**\n\n"
            "- Thủ trưởng các đơn vị quán triệt Kế hoạch đến công chức.\n\n"
            "- Rà soát vị trí việc làm của công chức.\n\n"
            "*Đơn vị chủ trì (tham mưu) thực hiện: *Các sở, ngành.\n\n*Thời gian thực hiện: *Thường xuyên.\n\n"
            "3. Rà soát quy chế làm việc\n\n- Thời gian thực hiện:\n\n"
            "+ Các sở, ngành gửi kết quả về Sở Nội vụ trước ngày 15/11/2026.\n\n"
            "+ Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 30/11/2026.\n")
    found = _prose_items(text)
    (course,) = found[6]  # the numbered line is the duty: its only bullet states a requirement
    assert course.lead == ["Sở Nội vụ"] and course.support == ["Sở Tư pháp", "Trường Chính trị tỉnh"]
    assert course.deadlines == ["2026-09-30"] and 8 not in found
    assert 16 not in found  # the heading's bullets say what to do: they are the duties
    assert [i.lead for i in (*found[18], *found[20])] == [["Các sở, ngành"], ["Các sở, ngành"]]
    assert 26 not in found  # the dated "+" items are the duties, each with the units its sentence names
    (send,), (compile_,) = found[30], found[32]
    assert send.lead == ["Các sở, ngành"] and send.deadlines == ["2026-11-15"]
    assert compile_.lead == ["Sở Nội vụ"] and compile_.deadlines == ["2026-11-30"]


def test_a_plan_issued_after_the_decisions_addressees_is_read() -> None:
    text = ("QUYẾT ĐỊNH\nBan hành Kế hoạch tập huấn năm 2026\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế "
            "hoạch.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKẾ HOẠCH\nTập huấn năm 2026\n\n"
            "I. NỘI DUNG\n\n1. Tổ chức tập huấn\n\n- Cơ quan thực hiện: Sở Tư pháp.\n")
    found = _prose_items(text)
    assert sorted(found) == [15] and found[15][0].lead == ["Sở Tư pháp"]


def test_person_roles_lead_and_a_numbered_sub_item_is_one_duty_with_its_fields() -> None:
    text = ("KẾ HOẠCH\nBầu cử năm 2026\n\nỦy ban nhân dân tỉnh đã ban hành Kế hoạch số 5/KH-UBND.\n\n"
            "II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG THỰC HIỆN\n\nCác nội dung dưới đây triển khai đúng quy định.\n\n"
            "1. Công tác tuyên truyền\n\n1.1. Ban hành kế hoạch tuyên truyền bầu cử.\n\n"
            "- Tập trung vào quyền và nghĩa vụ của cử tri.\n\n"
            "- Đơn vị chủ trì: Đồng chí Phó Chủ tịch Thường trực\n\n- Thời hạn ban hành: trước ngày 15/12/2026.\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n2. Cán bộ phụ trách lĩnh vực tuyên truyền\n\n"
            "- Làm đầu mối giải đáp các nội dung về bầu cử.\n")
    found = _prose_items(text)
    assert sorted(found) == [12, 24]  # not the past "đã ban hành", nor the section's opening sentence
    (plan,) = found[12]  # "Ban hành ...": a verb, not a unit; the "how" bullet is part of the item
    assert plan.lead == ["Đồng chí Phó Chủ tịch Thường trực"] and plan.deadlines == ["2026-12-15"]
    assert found[24][0].lead == ["Cán bộ phụ trách lĩnh vực tuyên truyền"]


def test_a_request_to_the_addressees_and_a_yearly_report_inside_a_paragraph_are_duties_at_their_lines() -> None:
    text = ("CÔNG VĂN\nKính gửi: Ủy ban nhân dân các xã\nSở Nội vụ hướng dẫn các xã đánh giá công tác văn thư theo\n"
            "Bảng tiêu chí kèm theo.\nĐề nghị Ủy ban nhân dân các xã thực hiện đánh giá và gửi\n"
            "kết quả về Sở Nội vụ trước ngày 15/12/2026.\n\n"
            "1. Các sở, ngành, địa phương xây dựng kế hoạch chi tiết trong phạm vi quản lý của\n"
            "mình. Hằng năm báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp.\n")
    found = _prose_items(text)
    (asked,) = found[5]
    assert asked.request and asked.lead == ["Ủy ban nhân dân các xã"] and asked.deadlines == ["2026-12-15"]
    (plan,), (report,) = found[8], found[9]
    assert plan.lead == report.lead == ["Các sở, ngành, địa phương"]
    assert report.title.startswith("Hằng năm báo cáo")


def test_a_sentence_asking_units_to_report_problems_at_the_end_of_a_paragraph_is_their_duty() -> None:
    text = ("KẾ HOẠCH\nTập huấn năm 2026\n\nI. NỘI DUNG\n\n1. Sở Nội vụ\n\n- Tổ chức tập huấn trước ngày 30/6/2026.\n\n"
            "Trên đây là Kế hoạch tập huấn năm 2026. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc,\n"
            "các cơ quan, đơn vị, địa phương báo cáo về Sở Nội vụ để tổng hợp.\n\n"
            "2. Đối với các lớp năm 2026, các sở, ngành chủ động bố trí kinh phí.\n")
    found = _prose_items(text)
    assert sorted(found) == [8, 10, 13]
    assert found[10][0].lead == ["các cơ quan, đơn vị, địa phương"]  # not the closing line's lead
    assert found[13][0].lead == ["các sở, ngành"]  # past the circumstance "Đối với ..., "


def test_a_request_to_quy_co_quan_goes_to_the_letters_addressees() -> None:
    text = ("CÔNG VĂN\nKính gửi:\n- Sở Y tế;\n- Sở Giáo dục và Đào tạo.\n\n"
            "Đề nghị Quý cơ quan cử cán bộ dự tập huấn trước ngày 10/5/2026.\n")
    (asked,) = _prose_items(text)[6]
    assert asked.request and asked.lead == ["Sở Y tế", "Sở Giáo dục và Đào tạo"]
    assert asked.deadlines == ["2026-05-10"]


def test_duties_written_only_after_an_appendix_heading_are_read_rather_than_refused() -> None:
    text = ("CÔNG VĂN\nVề việc tập huấn năm 2026\n\nPHỤ LỤC\nNội dung tập huấn\n\n"
            "1. Sở Nội vụ tổ chức lớp tập huấn trước ngày 30/6/2026.\n")
    (course,) = _prose_items(text)[7]
    assert course.lead == ["Sở Nội vụ"] and course.deadlines == ["2026-06-30"]


def test_field_labels_in_bold_and_their_variants_and_a_block_without_units_is_no_block() -> None:
    text = ("KẾ HOẠCH\nChuyển đổi số năm 2026\n\nII. NHIỆM VỤ\n\n1. Số hóa hồ sơ lưu trữ\n\n"
            "- **Cơ quan, đơn vị chủ trì:** Sở Nội vụ\n\n- **Thời điểm hoàn thành**: 30/11/2026\n\n"
            "2. Vận hành cổng dịch vụ công\n\n- _Trách nhiệm thực hiện:_ Trung tâm Phục vụ hành chính công\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài chính\n\n- Nội dung: bố trí kinh phí số hóa.\n")
    found = _prose_items(text)
    assert found[6][0].lead == ["Sở Nội vụ"] and found[6][0].deadlines == ["2026-11-30"]
    assert found[12][0].lead == ["Trung tâm Phục vụ hành chính công"]
    assert found[20][0].lead == ["Sở Tài chính"]  # "Nội dung:" alone is the heading unit's duty, not a block


def test_items_after_a_lead_in_asking_units_to_act_are_their_duties() -> None:
    text = ("CÔNG VĂN\nKính gửi: Các sở, ban, ngành tỉnh\n\n"
            "Để chuẩn bị tổng kết năm 2026, Sở Nội vụ đề nghị các sở, ban, ngành thực hiện một số nội dung sau:\n\n"
            "1. Rà soát danh mục hồ sơ lưu trữ của cơ quan.\n\n2. Gửi báo cáo tổng kết trước ngày 10/12/2026.\n\n"
            "Trân trọng./.\n\n3. Nội dung không thuộc lời đề nghị.\n")
    found = _prose_items(text)
    assert sorted(found) == [6, 8]  # the closing line ends the lead-in's items
    assert all(i.lead == ["các sở, ban, ngành"] and i.request for i in (*found[6], *found[8]))
    assert found[8][0].deadlines == ["2026-12-10"]


def test_a_letters_items_naming_no_unit_are_its_addressees_duties_rather_than_refused() -> None:
    text = ("CÔNG VĂN\nKính gửi:\n- Ủy ban nhân dân các xã;\n- Ủy ban nhân dân các phường.\n\n"
            "Ủy ban nhân dân tỉnh hướng dẫn như sau:\n\n1. Tổ chức tuyên truyền về phòng cháy rừng mùa khô.\n\n"
            "2. Báo cáo kết quả trước ngày 20/12/2026.\n\nNơi nhận:\n- Như trên;\n\n1. Phụ lục mẫu biểu kèm theo.\n")
    found = _prose_items(text)
    assert sorted(found) == [8, 10]  # not the item after "Nơi nhận"
    assert found[10][0].lead == ["Ủy ban nhân dân các xã", "Ủy ban nhân dân các phường"]
    assert found[10][0].deadlines == ["2026-12-20"]


def test_field_lines_without_bullets_or_blank_lines_still_make_a_block() -> None:
    text = ("KẾ HOẠCH\nTập huấn năm 2026\nII. NHIỆM VỤ\n1. Tổ chức tập huấn nghiệp vụ văn thư cho\n"
            "công chức cấp xã\nCơ quan chủ trì: Sở Nội vụ\nThời gian thực hiện: trước ngày\n30/9/2026\n")
    (course,) = _prose_items(text)[4]
    assert course.lead == ["Sở Nội vụ"] and course.deadlines == ["2026-09-30"]
    assert course.title == "Tổ chức tập huấn nghiệp vụ văn thư cho công chức cấp xã"


def test_a_dated_item_in_a_block_keeps_its_own_date_and_the_block_its_own() -> None:
    text = ("KẾ HOẠCH\nHiệp thương năm 2026\n\nII. NỘI DUNG\n\n2.1. Chuẩn bị các hội nghị hiệp thương\n\n"
            "(1) Hiệp thương lần thứ nhất: chậm nhất ngày 10/02/2026.\n\n"
            "- Thời gian hoàn thành: trước ngày 31/3/2026;\n\n- Đơn vị chủ trì: Ban Thường trực\n")
    found = _prose_items(text)
    assert found[6][0].deadlines == ["2026-03-31"] and found[8][0].deadlines == ["2026-02-10"]
    assert found[6][0].lead == found[8][0].lead == ["Ban Thường trực"]


def test_a_request_to_mixed_addressees_gives_one_duty_asked_and_one_directed() -> None:
    text = ("CÔNG VĂN\nKính gửi:\n- Ủy ban nhân dân các phường;\n- Các trường học trực thuộc.\n\n"
            "Thực hiện Công văn số 12/UBND ngày 01/3/2026 của UBND tỉnh;\n"
            "Để phòng bệnh mùa mưa cho học sinh, Sở Giáo dục đề nghị Ủy ban nhân dân các phường; các trường học "
            "trực thuộc thực hiện nghiêm túc chỉ đạo của tỉnh, chủ động điều chỉnh lịch học. Cụ thể:\n"
            "- Theo dõi bản tin thời tiết hằng ngày.\n"
            "- Trường hợp mưa lớn kéo dài, các trường học chủ động cho học sinh nghỉ học.\n"
            "Sở Giáo dục đề nghị Thủ trưởng các đơn vị nghiêm túc thực hiện./.\n")
    found = _prose_items(text)
    assert sorted(found) == [7, 8, 9, 10]  # not the "Thực hiện Công văn ..." line
    for line in (7, 8):
        asked, directed = found[line]
        assert asked.lead == ["Ủy ban nhân dân các phường"] and asked.request
        assert directed.lead == ["các trường học trực thuộc"] and not directed.request
    assert found[9][0].lead == ["các trường học"]  # "Trường hợp ..." is a circumstance, not a school
    assert found[10][0].lead == ["Thủ trưởng các đơn vị"]  # the closing request after the last bullet


def test_bodies_listed_in_prose_are_split_and_a_heading_listing_them_gives_each_as_lead() -> None:
    text = ("KẾ HOẠCH\nBảo vệ bí mật nhà nước năm 2026\n\nIII. NHIỆM VỤ\n\n"
            "1. Sở Văn hóa chủ trì, phối hợp với Đài Phát thanh tỉnh, Thông tấn xã Việt Nam, Thuế tỉnh tổ chức "
            "tuyên truyền.\n\n"
            "2. Đề nghị Văn phòng Tỉnh ủy, Tòa án nhân dân tỉnh, Kiểm toán nhà nước khu vực II tăng cường công tác "
            "bảo vệ bí mật nhà nước.\n\n"
            "IV. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Căn cứ kế hoạch này, Giám đốc các Sở, Thủ trưởng các ngành, cơ quan cấp tỉnh xây dựng kế hoạch "
            "cụ thể.\n\n"
            "2. Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện; định "
            "kỳ báo cáo kết quả về Bộ Công an.\n")
    found = _prose_items(text)
    (media,) = found[6]
    assert media.support == ["Đài Phát thanh tỉnh", "Thông tấn xã Việt Nam", "Thuế tỉnh"]
    (asked,) = found[8]
    assert asked.lead == ["Văn phòng Tỉnh ủy", "Tòa án nhân dân tỉnh", "Kiểm toán nhà nước khu vực II"]
    assert asked.request
    (plans,) = found[12]
    assert plans.lead == ["Giám đốc các Sở", "Thủ trưởng các ngành, cơ quan cấp tỉnh"]
    follow, report = found[14]  # the recurring report after "; " is a duty of its own
    assert follow.lead == report.lead == ["Công an tỉnh"] and follow.support == ["Văn phòng UBND tỉnh"]
    assert report.title.startswith("định kỳ báo cáo")


def test_numbered_items_after_a_dispatch_asking_its_addressees_are_theirs() -> None:
    lines = ["Hà Nội, ngày 22 tháng 11 năm 2026", "BỘ XÂY DỰNG điện:", "- Các Cục thuộc Bộ;",
             "- Sở Xây dựng các tỉnh: Gia Lai, Lâm Đồng.",
             "Triển khai chỉ đạo của Thủ tướng, Bộ Xây dựng yêu cầu các cơ quan, đơn vị:",
             "1. Chủ động ứng phó mưa lũ, bảo đảm an toàn cho người dân.",
             "2. Cục Kết cấu hạ tầng xây dựng tham mưu việc kiểm tra hệ thống thoát nước.", "3. Cục Đường bộ",
             "- Phối hợp với Sở Xây dựng tổ chức phân luồng. Khẩn trương khắc phục các tuyến bị sạt lở.",
             "*(Công điện số 225/CĐ-TTg gửi kèm theo)*"]
    text = "\n".join(lines) + "\n"
    found = _prose_items(text)
    assert sorted(found) == [6, 7, 9]
    assert found[6][0].lead == ["các cơ quan, đơn vị"]  # the lead-in line itself is no duty (line 5)
    assert found[7][0].lead == ["Cục Kết cấu hạ tầng xây dựng"]
    support, own = found[9]  # "phối hợp với X ...": X leads; the next sentence is the heading unit's own duty
    assert support.lead == ["Sở Xây dựng"] and support.support == ["Cục Đường bộ"]
    assert own.lead == ["Cục Đường bộ"]


def test_a_bold_heading_ends_where_its_bold_ends_and_names_each_body() -> None:
    text = ("**CÔNG VĂN**\n\nVề việc rà soát thủ tục năm 2026\n\nBộ Nội vụ yêu cầu:\n**1. Cục\nLưu trữ, Cục Văn thư**\n"
            "Phối hợp với Vụ Tổ chức rà soát quy trình, đảm bảo **hoàn thành trong năm 2026.**\n"
            "**2. Vụ\nTổ chức**\n- Phối hợp với Bộ Tài chính đưa nội dung rà soát vào dự thảo Nghị định.\n"
            "**3. Văn phòng Bộ**\n- Phối hợp với Vụ Tổ chức công bố các thủ tục đã rà soát.\n")
    found = _prose_items(text)
    (both,) = found[8]  # the duty starts on its own line, not inside the heading
    assert both.lead == ["Cục Lưu trữ", "Cục Văn thư"] and both.support == ["Vụ Tổ chức"]
    (law,) = found[11]  # another ministry cannot lead a task of this one's department
    assert law.lead == ["Vụ Tổ chức"] and law.support == ["Bộ Tài chính"]
    (publish,) = found[13]  # "Phối hợp với X" under a unit's heading, nothing to answer for: X leads
    assert publish.lead == ["Vụ Tổ chức"] and publish.support == ["Văn phòng Bộ"]


def test_a_numbered_line_is_not_cut_after_its_number() -> None:
    text = ("KẾ HOẠCH\nTuyên truyền năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ chịu trách nhiệm về việc báo "
            "cáo, đề nghị ban hành Kế hoạch này. Tham mưu UBND tỉnh theo dõi việc thực hiện.\n")
    (duty,) = _prose_items(text)[6]
    assert duty.lead == ["Sở Nội vụ"] and duty.title.startswith("Sở Nội vụ chịu trách nhiệm")


def test_names_that_describe_a_role_or_hold_a_list_stay_whole() -> None:
    text = ("KẾ HOẠCH\nThi hành Luật năm 2026\n\nII. NỘI DUNG\n\n1. Kiểm tra việc thi hành Luật\n\n"
            "- Cơ quan thực hiện: Sở Nội vụ, các sở, ngành tỉnh trong phạm vi chức năng, nhiệm vụ của mình và "
            "các cơ quan, tổ chức khác có liên quan.\n\n"
            "- Cơ quan phối hợp: Bảo hiểm xã hội tỉnh, Chi nhánh Ngân hàng Chính sách xã hội tỉnh.\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n1. Các cơ quan, đơn vị được giao chủ trì có trách nhiệm hoàn thành nhiệm vụ.\n\n"
            "2. Thủ trưởng các sở, ngành và Ủy ban nhân dân các xã chịu trách nhiệm triển khai Kế hoạch này.\n\n"
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị các sở, ngành và các cơ quan, tổ chức có liên "
            "quan kịp thời phản ánh về Sở Nội vụ.\n")
    wanted = {
        6: (["Sở Nội vụ", "các sở, ngành tỉnh", "các cơ quan, tổ chức khác có liên quan"],
            ["Bảo hiểm xã hội tỉnh", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"]),
        14: (["Các cơ quan, đơn vị được giao chủ trì"], []),
        16: (["Thủ trưởng các sở, ngành", "Ủy ban nhân dân các xã"], []),
        18: (["các sở, ngành", "các cơ quan, tổ chức có liên quan"], []),
    }
    got = {line: [(i.lead, i.support) for i in items] for line, items in _prose_items(text).items()}
    assert got == {line: [pair] for line, pair in wanted.items()}


def test_an_acting_field_with_two_clauses_gives_two_duties_and_a_titled_paragraph_stands_at_its_number() -> None:
    text = ("KẾ HOẠCH\nThi hành Luật Đất đai năm 2026\n\nII. NỘI DUNG\n\n1. Phổ biến Luật\n\n"
            "- Nội dung thực hiện: Tổ chức phổ biến Luật bằng các hình thức phù hợp.\n\n"
            "- Cơ quan thực hiện: Sở Nông nghiệp và Môi trường chủ trì tham mưu UBND tỉnh ban hành Kế hoạch; "
            "Sở Tư pháp và Ủy ban nhân dân các xã chủ động tổ chức triển khai Luật trong phạm vi quản lý.\n\n"
            "2. Xây dựng văn bản quy định chi tiết\n\n"
            "Các sở, ngành có trách nhiệm rà soát, tham mưu UBND tỉnh ban hành văn bản quy định chi tiết.\n\n"
            "3. Kiểm tra việc thi hành\n\n- Cơ quan thực hiện: Sở Nông nghiệp và Môi trường.\n")
    found = {line: [i.lead for i in items] for line, items in _prose_items(text).items()}
    assert found == {
        6: [["Sở Nông nghiệp và Môi trường"]],
        10: [["Sở Tư pháp", "Ủy ban nhân dân các xã"]],  # the second clause, where it is written
        12: [["Các sở, ngành"]],  # at "2. Xây dựng ...", the task's number, not the paragraph two lines down
        16: [["Sở Nông nghiệp và Môi trường"]],
    }


_NAMED_ABOVE = (
    "KẾ HOẠCH\nPhòng chống dịch năm 2026\n\nIII. TỔ CHỨC THỰC HIỆN\n\n"
    "1. Sở Y tế chủ trì, phối hợp với Sở Tài chính, Công an tỉnh tổ chức kiểm tra; các Sở nêu trên báo cáo kết "
    "quả về UBND tỉnh trước ngày 30/6/2026.\n\n"
    "2. Sở Giáo dục và Đào tạo\n\n- Tuyên truyền trong trường học.\n\n"
    "- Các cơ quan, đơn vị trên gửi báo cáo về Sở Y tế trước ngày 15/11/2026.\n\n"
    "3. Các đơn vị nêu trên phối hợp với các đơn vị trên địa bàn tuyên truyền.\n")


def test_units_named_above_stand_for_the_units_named_before_them() -> None:
    found = {line: [(i.lead, i.deadlines) for i in items] for line, items in _prose_items(_NAMED_ABOVE).items()}
    assert found[6] == [(["Sở Y tế"], []), (["Sở Y tế", "Sở Tài chính"], ["2026-06-30"])]  # the Sở of that duty
    # a plural under one unit's heading: the units of the section, less the one reported to
    assert found[12] == [(["Sở Tài chính", "Công an tỉnh", "Sở Giáo dục và Đào tạo"], ["2026-11-15"])]
    (last,) = _prose_items(_NAMED_ABOVE)[14]
    assert last.lead == ["Sở Y tế", "Sở Tài chính", "Công an tỉnh", "Sở Giáo dục và Đào tạo"]
    assert last.support == ["các đơn vị trên địa bàn"]  # "trên địa bàn" is a place, not a reference


def test_units_named_above_are_registered_units_at_the_preview(sqlite_db: Database) -> None:
    from datetime import UTC, datetime

    from sqlmodel import Session

    from bot.importer import preview_import
    from storage.units import add_unit

    def run(*, session: Session) -> dict[str, list[str]]:
        for name in ("Sở Y tế", "Sở Tài chính", "Công an tỉnh", "Sở Giáo dục và Đào tạo"):
            add_unit(session=session, name=name, now=datetime(2026, 1, 5, tzinfo=UTC))
        preview = preview_import(_NAMED_ABOVE.encode(), "van-ban.txt", session=session)
        assert not preview.unknown_leads
        return {i.code: [preview.names[u] for u in preview.assignees[i.code].unit_ids("lead")]
                for i in preview.plan.items if i.line == 12}

    assert sqlite_db.call(run) == {"P.III.2.2": ["Sở Tài chính", "Công an tỉnh", "Sở Giáo dục và Đào tạo"]}


def test_heads_listed_in_a_heading_and_partners_of_a_heading_unit_each_lead() -> None:
    text = ("KẾ HOẠCH\nChuyển đổi số năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Sở Khoa học và Công nghệ\n\n- Phối hợp với Sở Xây dựng, Sở Tài chính và các cơ quan liên quan hướng "
            "dẫn doanh nghiệp.\n\n"
            "2. Các Sở, ngành, đơn vị liên quan kiện toàn đội ngũ công chức làm công tác pháp chế.\n\n"
            "3. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh "
            "chịu trách nhiệm thực hiện Kế hoạch này.\n")
    found = {line: [(i.lead, i.support) for i in items] for line, items in _prose_items(text).items()}
    assert found == {
        8: [(["Sở Xây dựng", "Sở Tài chính", "các cơ quan liên quan"], ["Sở Khoa học và Công nghệ"])],
        10: [(["Các Sở, ngành, đơn vị liên quan"], [])],
        12: [(["Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ", "Chủ tịch Ủy ban nhân dân các tỉnh"],
              [])],
    }


def test_numbered_duties_naming_their_unit_are_not_titles_of_the_task_block_after_them() -> None:
    text = ("KẾ HOẠCH\nCải cách hành chính năm 2026\n\nIII. NHIỆM VỤ\n\n"
            "1. Giao Sở Tư pháp tham mưu UBND tỉnh kiểm tra việc thực hiện.\n\n"
            "2. Văn phòng UBND tỉnh chịu trách nhiệm công bố thủ tục hành chính.\n\n"
            "3. Số hóa hồ sơ\n\n- Cơ quan chủ trì: Sở Khoa học và Công nghệ.\n\n"
            "- Cơ quan phối hợp: Sở Nội vụ, Sở Tài chính.\n\n- Thời gian thực hiện: trước ngày 30/9/2026.\n\n"
            "4. Tuyên truyền\n\n- Các cơ quan thực hiện: Sở Văn hóa, Thể thao và Du lịch, Báo Lai Châu.\n")
    found = {line: [(i.lead, i.support, i.deadlines) for i in items] for line, items in _prose_items(text).items()}
    assert found == {
        6: [(["Sở Tư pháp"], [], [])],
        8: [(["Văn phòng UBND tỉnh"], [], [])],
        10: [(["Sở Khoa học và Công nghệ"], ["Sở Nội vụ", "Sở Tài chính"], ["2026-09-30"])],
        18: [(["Sở Văn hóa, Thể thao và Du lịch", "Báo Lai Châu"], [], [])],  # "Các cơ quan thực hiện:" is a field
    }


def test_bullets_under_a_units_lead_in_that_directs_others_are_theirs() -> None:
    text = ("KẾ HOẠCH\nKhám sức khỏe năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế\n\n"
            "a) Chỉ đạo các bệnh viện tuyến tỉnh thực hiện các nội dung sau:\n\n- Rà soát quy trình khám bệnh.\n\n"
            "- Phối hợp với Ủy ban nhân dân các xã lập danh sách người cao tuổi.\n\n"
            "b) Tổng hợp kết quả, báo cáo UBND tỉnh.\n")
    found = {line: [(i.lead, i.support) for i in items] for line, items in _prose_items(text).items()}
    assert found == {
        10: [(["Các bệnh viện tuyến tỉnh"], [])],
        12: [(["Các bệnh viện tuyến tỉnh"], ["Ủy ban nhân dân các xã"])],
        14: [(["Sở Y tế"], [])],  # the next item ends the lead-in
    }


def test_a_unit_heading_over_one_plain_paragraph_is_one_duty_at_the_heading() -> None:
    text = ("KẾ HOẠCH\nPhòng chống dịch sau mưa lũ năm 2025\n\nV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1.\nBệnh viện tỉnh:**\n\n- Thu dung người bệnh.\n\n"
            "**2.\nSở Tài chính:**\n\nTham mưu bố trí kinh phí,\nkịp thời cho các địa phương.\n\n"
            "**3.\nCác đoàn thể, tổ chức xã hội:**\n\nVận động hội viên\ntham gia vệ sinh môi trường.\n\n"
            "**VI.\nKINH PHÍ**\n")
    found = {line: [i.lead for i in items] for line, items in _prose_items(text).items()}
    # the bullet stays at its own line; each plain paragraph stands at its heading's number line
    assert found == {9: [["Bệnh viện tỉnh"]], 11: [["Sở Tài chính"]], 17: [["Các đoàn thể, tổ chức xã hội"]]}


def test_a_lead_in_after_its_grounds_gives_its_bullets_to_the_group_it_names() -> None:
    text = ("KẾ HOẠCH\nTháng hành động năm 2025\n\nII. MỤC TIÊU\n\n2. Tháng hành động\n\n"
            "a) Chủ đề Tháng hành động\n\nb) Thời gian: Từ ngày 15/11/2025 đến ngày 15/12/2025.\n\n"
            "c) Các hoạt động chính\n\nCăn cứ tình hình thực tế,\n"
            "các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt động sau:\n\n"
            "- Lồng ghép tổ chức lễ phát động.\n\n- Tăng cường kiểm tra, xử lý nghiêm các vi phạm.\n")
    items = [item for found in _prose_items(text).values() for item in found]
    # the theme, the period and the label name no unit and stand under none: not duties
    assert [(i.line, i.lead) for i in items] == [(line, ["các cơ quan, đơn vị, địa phương"]) for line in (17, 19)]



def test_a_subject_ends_at_its_verb_giam_sat() -> None:
    text = ("KẾ HOẠCH\nPhòng chống dịch năm 2025\n\nIV. NỘI DUNG\n\n"
            "- Các Trung tâm y tế giám sát tuyến xã và báo cáo hằng ngày.\n")
    assert [i.lead for i in _prose_items(text)[6]] == [["Các Trung tâm y tế"]]  # not "... giám sát tuyến xã và"


def test_activity_labels_with_content_and_executor_fields_are_duties_of_their_units() -> None:
    text = ("KẾ HOẠCH\nBình đẳng giới năm 2025\n\nIII. NỘI DUNG HOẠT ĐỘNG\n\n1. Nâng cao nhận thức\n\n"
            "a) Hoạt động 1\n\n- Nội dung: Tổ chức lễ mít tinh.\n\n- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp "
            "với Báo Thành phố.\n\n"
            "b) Hoạt động 2\n\n- Nội dung: Tuyên truyền trên phương tiện công cộng.\n\n- Cơ quan thực hiện:\n\n"
            "+ Sở Văn hóa và Thể thao chủ trì, phối hợp với các đơn vị có liên quan.\n\n"
            "+ Sở Xây dựng đăng tải thông điệp trên bảng tin điện tử.\n\n"
            "2. Duy trì các mô hình\n\na) Hoạt động 1\n\n- Nội dung:\n\n+ Tổng kết mô hình một cửa.\n\n"
            "+ Tập huấn cán bộ y tế.\n\n- Cơ quan thực hiện: Sở Y tế chủ trì.\n")
    tasks = [(i.line, i.lead, i.support) for found in _prose_items(text).values() for i in found]
    # each activity ends at the next label and has its own executor; the first "+" executor leads its activity, a
    # second one with its own deliverable has a duty of its own; content listed item by item gives one duty an item
    assert tasks == [(8, ["Sở Nội vụ"], ["Báo Thành phố"]),
                     (14, ["Sở Văn hóa và Thể thao"], ["các đơn vị có liên quan"]),
                     (22, ["Sở Xây dựng"], []), (30, ["Sở Y tế"], []), (32, ["Sở Y tế"], [])]


def test_a_bold_heading_wrapped_onto_a_bold_line_of_its_own_is_one_name_split_into_its_bodies() -> None:
    text = ("KẾ HOẠCH\nBình đẳng giới năm 2025\n\nV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Hội Liên hiệp**\n\n"
            "**Phụ nữ tỉnh và các tổ chức thành viên của Mặt trận**\n\n- Tham gia triển khai Kế hoạch này.\n")
    (task,) = [item for found in _prose_items(text).values() for item in found]  # the bold line is no task
    assert (task.line, task.request) == (10, True)
    assert task.lead == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Liên hiệp Phụ nữ tỉnh",
                         "các tổ chức thành viên của Mặt trận"]


def test_the_issuer_issuing_the_plan_is_no_duty_however_long_its_sentence() -> None:
    grounds = "Thực hiện Thông tri số 02-TT/TU ngày 03 tháng 10 năm 2025 của Thành ủy về lãnh đạo công tác phụ nữ;"
    text = (f"KẾ HOẠCH\nBình đẳng giới năm 2025\n\n{grounds}\n\n"
            "Ủy ban nhân dân Thành phố ban hành Kế hoạch triển khai các nhiệm vụ trọng tâm cuối năm 2025 lĩnh vực "
            "Bình đẳng giới và Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở "
            "giới trên địa bàn Thành phố như sau:\n\n"
            "V. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ\n\n- Theo dõi, tổng hợp báo cáo.\n")
    tasks = [(i.line, i.lead) for found in _prose_items(text).values() for i in found]
    assert tasks == [(12, ["Sở Nội vụ"])]


def test_a_heading_that_names_its_lead_and_partners_gives_its_bullets_to_that_lead_with_those_partners() -> None:
    text = ("KẾ HOẠCH\nPhòng chống thiên tai năm 2026\n\nV. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Giao Sở\nNông nghiệp và Môi trường là cơ quan đầu mối, chủ trì, hướng dẫn thực hiện Đề\n"
            "án trên địa bàn tỉnh; tổ chức thực hiện các nhiệm vụ sau:\n\n"
            "- Điều phối chung, đôn đốc, hướng\ndẫn việc triển khai Kế hoạch đến các sở, ngành;\n\n"
            "- Rà soát, hoàn thiện quy định;\n\n"
            "2. Sở Giáo dục\nvà Đào tạo chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, Ủy ban nhân dân\n"
            "các xã:\n\n- Xây dựng chương trình đào tạo\ncho giáo viên;\n\n"
            "- Lồng ghép nội dung phòng chống thiên tai vào môn học.\n")
    items = _prose_items(text)
    assert sorted(items) == [10, 13, 19, 22]  # the two lead-ins are no duty of their own: their bullets are
    for line in (10, 13):
        (duty,) = items[line]
        assert duty.lead == ["Sở Nông nghiệp và Môi trường"] and duty.support == []  # "là cơ quan đầu mối" ends it
    for line in (19, 22):
        (duty,) = items[line]
        assert duty.lead == ["Sở Giáo dục và Đào tạo"]
        assert duty.support == ["Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã"]


def test_a_paragraph_under_a_unit_name_wrapped_over_two_bold_lines_stands_where_its_text_starts() -> None:
    text = ("KẾ HOẠCH\nGiữ gìn di sản năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Nông nghiệp**\n\nLập danh mục cây di sản.\n\n"
            "**2. Sở Văn hóa, Thể thao\nvà Du lịch**\n\nKiểm kê các di tích\ncấp tỉnh trên địa bàn.\n\n"
            "**3. Ủy ban nhân dân các\nxã, phường**\n\nBảo vệ di tích tại địa phương.\n")
    # the name's second line is not where the duty starts: the paragraph's own first line is
    assert _leads_by_line(text) == {8: [["Sở Nông nghiệp"]], 13: [["Sở Văn hóa, Thể thao và Du lịch"]],
                     19: [["Ủy ban nhân dân các xã, phường"]]}


def test_items_under_a_request_heading_with_a_colon_are_requests_of_each_body_it_lists() -> None:
    text = ("KẾ HOẠCH\nPhát triển du lịch cộng đồng năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Văn hóa, Thể thao và Du lịch**\n\nHướng dẫn các xã lập hồ sơ điểm du lịch.\n\n"
            "**2. Đề nghị: Hiệp hội Du lịch tỉnh, Hội Cựu chiến binh\ntỉnh, Liên minh Hợp tác xã tỉnh**\n\n"
            "a) Vận động hội viên tham gia làm du lịch cộng đồng.\n\n"
            "b) Giới thiệu sản phẩm của hội viên tại các hội chợ.\n")
    items = _prose_items(text)
    bodies = ["Hiệp hội Du lịch tỉnh", "Hội Cựu chiến binh tỉnh", "Liên minh Hợp tác xã tỉnh"]
    for line in (13, 15):
        (asked,) = items[line]
        assert asked.request and asked.lead == bodies
    (own,) = items[8]
    assert not own.request and own.lead == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_phoi_hop_under_a_crowd_heading_or_a_request_stays_with_the_heading() -> None:
    text = ("KẾ HOẠCH\nBảo vệ nguồn nước năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Nông nghiệp và Môi trường**\n\n- Phối hợp với Sở Xây dựng rà soát các điểm xả thải.\n\n"
            "**2. Đề nghị Hội Nông dân tỉnh**\n\n- Phối hợp với Sở Nông nghiệp và Môi trường vận động hội viên"
            " giữ sạch kênh mương.\n\n"
            "**3. Các tổ chức, cá nhân liên quan**\n\nPhối hợp với các cơ quan chức năng trong việc bảo vệ nguồn"
            " nước.\n")
    items = _prose_items(text)
    (named,) = items[8]  # under a named unit, "phối hợp với X" hands the duty to X
    assert named.lead == ["Sở Xây dựng"] and named.support == ["Sở Nông nghiệp và Môi trường"]
    (asked,) = items[12]  # a request asks the heading's body to help: the other body gets no duty from it
    assert asked.request and asked.lead == ["Hội Nông dân tỉnh"]
    assert asked.support == ["Sở Nông nghiệp và Môi trường"]
    (crowd,) = items[16]  # a crowd for another crowd: the heading's keeps the duty
    assert crowd.lead == ["Các tổ chức, cá nhân liên quan"] and crowd.support == ["các cơ quan chức năng"]


def test_a_heading_listing_two_groups_whose_paragraph_gives_each_its_part_has_both_lead() -> None:
    text = ("KẾ HOẠCH\nCải cách hành chính năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Các sở, ngành tỉnh, Ủy ban nhân dân các xã**\n\n"
            "Căn cứ Kế hoạch này, các sở, ngành Tỉnh rà soát thủ tục của ngành mình; Ủy ban nhân dân\n"
            "các xã niêm yết công khai thủ tục tại bộ phận một cửa.\n\n"
            "**2. Các sở, ngành tỉnh, Ủy ban nhân dân các xã**\n\n"
            "- Ủy ban nhân dân các xã bố trí công chức tiếp nhận hồ sơ.\n")
    items = _prose_items(text)
    (shared,) = items[8]  # each group is given its part: the duty is both groups'
    assert shared.lead == ["Các sở, ngành tỉnh", "Ủy ban nhân dân các xã"]
    (one,) = items[13]  # a bullet naming one of them is that one's
    assert one.lead == ["Ủy ban nhân dân các xã"]


def test_a_named_body_starting_a_later_clause_of_a_closing_sentence_has_a_duty_there() -> None:
    text = ("KẾ HOẠCH\nSố hóa hồ sơ năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Nội vụ**\n\nHướng dẫn các đơn vị số hóa hồ sơ lưu trữ.\n\n"
            "Trong quá trình thực hiện, đề nghị các cơ quan, đơn vị báo cáo vướng mắc về Sở Nội vụ;\n"
            "khi vượt quá khả năng giải quyết, Sở Nội vụ tổng hợp, trình Ủy ban nhân dân tỉnh xem xét./.\n")
    items = _prose_items(text)
    (asked,) = items[10]
    assert asked.lead == ["các cơ quan, đơn vị"] and "tổng hợp" not in asked.title
    (own,) = items[11]  # the clause starts on the next line: Sở Nội vụ's own duty, not asked of anyone
    assert own.lead == ["Sở Nội vụ"] and not own.request and own.title.startswith("khi vượt quá")


def test_a_crowd_acting_in_the_aims_or_scope_section_is_no_duty_a_named_unit_is() -> None:
    text = ("KẾ HOẠCH\nPhòng cháy chữa cháy năm 2026\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n"
            "a) Căn cứ Kế hoạch này, các cơ quan liên quan chủ động bố trí lực lượng phù hợp.\n\n"
            "b) Công an tỉnh hướng dẫn các xã lập phương án chữa cháy.\n\n"
            "II. ĐỐI TƯỢNG\n\nCác doanh nghiệp, tổ chức trên địa bàn cung cấp thiết bị chữa cháy.\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\nCác cơ quan liên quan bố trí lực lượng trực.\n")
    # the aims' crowd and the plan's audience give no duty; a named body there and a crowd under the
    # organisation section do
    assert _leads_by_line(text) == {8: [["Công an tỉnh"]], 16: [["Các cơ quan liên quan"]]}


def test_a_heading_setting_bodies_apart_with_a_semicolon_gives_each_the_lead() -> None:
    text = ("KẾ HOẠCH\nPhòng chống thiên tai năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Nội vụ; Hội Chữ thập đỏ và Báo Tin tức tỉnh**\n\n"
            "Mở chuyên mục hướng dẫn người dân chằng chống nhà cửa trước mùa mưa bão.\n\n"
            "**2. Sở Văn hóa, Thể thao và Du lịch**\n\n"
            "Tổ chức tuyên truyền lưu động tại các xã ven biển.\n")
    found = _prose_items(text)
    (both,) = found[8]
    assert both.lead == ["Sở Nội vụ", "Hội Chữ thập đỏ và Báo Tin tức tỉnh"]
    (one,) = found[12]  # commas and "và" inside one body's name do not split it
    assert one.lead == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_investors_are_actors_a_heading_of_them_leads_its_bullets() -> None:
    text = ("KẾ HOẠCH\nPhát triển cụm công nghiệp năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Các chủ đầu tư hạ tầng cụm công nghiệp**\n\n"
            "- Dành quỹ đất để xây dựng trạm xử lý nước thải tập trung.\n\n"
            "- Hoàn thiện đường nội bộ trước khi đón doanh nghiệp thuê đất.\n\n"
            "**2. Nhà đầu tư thứ cấp**\n\nLắp đặt thiết bị quan trắc nước thải tự động.\n")
    found = _prose_items(text)
    assert [i.lead for line in (8, 10) for i in found[line]] == [["Các chủ đầu tư hạ tầng cụm công nghiệp"]] * 2
    (tenant,) = found[14]
    assert tenant.lead == ["Nhà đầu tư thứ cấp"]


def test_a_dated_report_clause_under_a_heading_is_a_duty_of_its_own() -> None:
    text = ("KẾ HOẠCH\nCấp điện cho cụm công nghiệp năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Công Thương**\n\n"
            "- Theo dõi việc cấp điện cho các cụm công nghiệp; Trước ngày 10/12 hằng năm tổng hợp, báo cáo Ủy ban\n"
            "nhân dân tỉnh kết quả thực hiện.\n\n"
            "- Hướng dẫn doanh nghiệp tiết kiệm điện; trước ngày 30/6/2026 hoàn thành sổ tay hướng dẫn.\n")
    found = _prose_items(text)
    watch, report = found[8]
    assert watch.title.startswith("Theo dõi") and report.title.startswith("Trước ngày 10/12 hằng năm tổng hợp")
    assert watch.lead == report.lead == ["Sở Công Thương"]
    (guide,) = found[11]  # a dated clause that reports nothing stays in its duty
    assert guide.lead == ["Sở Công Thương"]


def test_problems_passed_on_to_a_body_that_acts_on_them_give_it_a_duty_of_its_own() -> None:
    text = ("KẾ HOẠCH\nChăm sóc người cao tuổi năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Sở Nội vụ**\n\nTheo dõi việc thực hiện Kế hoạch.\n\n"
            "Trong quá trình thực hiện nếu có vướng mắc, các cơ quan, đơn vị và địa bàn phản ánh về\n"
            "Sở Nội vụ tổng hợp, trình Ủy ban nhân dân tỉnh xem xét.\n\n"
            "Trong quá trình thực hiện nếu phát sinh vướng mắc, các trường học báo cáo về Sở Giáo dục và Đào tạo để\n"
            "xem xét, giải quyết.\n")
    found = _prose_items(text)
    (tell,) = found[10]
    assert tell.lead == ["các cơ quan, đơn vị và địa bàn"]  # the name ends before "phản ánh"
    (act,) = found[11]
    assert act.lead == ["Sở Nội vụ"] and act.title.startswith("Sở Nội vụ tổng hợp")
    (report,) = found[13]  # "về X để xem xét": why they report, one duty
    assert report.lead == ["các trường học"] and 14 not in found


def test_a_support_list_ends_before_the_verb_and_leaves_no_conjunction() -> None:
    text = ("KẾ HOẠCH\nCải cách thủ tục năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Các sở, ngành tỉnh**\n\n"
            "- Phối hợp Sở Nội vụ và các cơ quan liên quan tiếp nhận và trả lời kiến nghị của người dân.\n\n"
            "- Phối hợp với Văn phòng Ủy ban nhân dân tỉnh và tiếp nhận hồ sơ trực tuyến.\n")
    # under a unit's heading "phối hợp với X" makes X lead and the heading's unit support (issue 14's rule)
    roles = {line: [(i.lead, i.support) for i in items] for line, items in _prose_items(text).items()}
    assert roles == {8: [(["Sở Nội vụ", "các cơ quan liên quan"], ["Các sở, ngành tỉnh"])],
                     10: [(["Văn phòng Ủy ban nhân dân tỉnh"], ["Các sở, ngành tỉnh"])]}


def test_a_closing_report_sentence_naming_no_one_is_for_the_units_just_tasked() -> None:
    text = ("KẾ HOẠCH\nPhòng cháy rừng năm 2026\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
            "**1. Hạt Kiểm lâm huyện**\n\nTuần tra các khu rừng trọng điểm.\n\n"
            "Ủy ban nhân dân huyện yêu cầu các cơ quan, đơn vị, địa phương triển khai nghiêm túc Kế hoạch này.\n"
            "Trong quá trình thực hiện nếu phát sinh vướng mắc, kịp thời báo cáo Ủy ban nhân dân huyện để\n"
            "chỉ đạo./.\n\n"
            "Kinh phí thực hiện do ngân sách huyện bảo đảm.\n\n"
            "Trong quá trình thực hiện nếu có vướng mắc, báo cáo về Văn phòng để tổng hợp.\n")
    found = _leads_by_line(text)
    assert found[10] == found[11] == [["các cơ quan, đơn vị, địa phương"]]
    assert 16 not in found  # far from any duty: no one to give it to
