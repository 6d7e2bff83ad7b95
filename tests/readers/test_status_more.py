"""Waiting on others, days gone by, several parts in one reply: the reader's rules beyond its first table."""

from __future__ import annotations

from datetime import date

import pytest

from bot.readers.status import read_reply, read_reply_with

TODAY = date(2026, 6, 3)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "blocker"),
    [
        ("đang chờ Sở TTTT thẩm định hồ sơ thiết kế", "chờ Sở TTTT thẩm định hồ sơ thiết kế"),
        ("cho huyen phe duyet danh sach moi lam duoc", "cho huyen phe duyet danh sach moi lam duoc"),
        ("dang doi nha mang khao sat", "doi nha mang khao sat"),
        ("Tạm dừng anh ạ", "Tạm dừng"),
        ("Số liệu các xã chưa gửi đủ nên chưa tổng hợp được", "Số liệu các xã chưa gửi đủ"),
        ("mới mở được 1/4 lớp, còn lại chờ kinh phí", "chờ kinh phí"),
    ],
)
def test_waiting_paused_or_cannot_go_on_is_blocked_with_the_obstacle(text: str, blocker: str) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, reading.blocker) == ("blocked", blocker)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("tập huấn cho cán bộ xã xong rồi", "done"),  # "cho" typed without diacritics is "for", not "chờ"
        ("chua lam a, cho qua Tet", "not_started"),  # a wait for a season with nothing started: a plan
    ],
)
def test_what_is_not_an_obstacle(text: str, status: str) -> None:
    assert read_reply(text, today=TODAY).status == status


@pytest.mark.parametrize(
    ("text", "status", "day"),
    [
        ("xong hôm qua rồi ạ", "done", date(2026, 6, 2)),
        ("Đã hoàn thành hôm kia ạ", "done", date(2026, 6, 1)),
        ("xong hom thu 2 roi", "done", date(2026, 6, 1)),
        ("Xong từ thứ sáu tuần trước rồi ạ", "done", date(2026, 5, 29)),
        ("Giữa tháng xong anh ạ", "in_progress", date(2026, 6, 15)),
        ("giữa tháng sau là xong", "in_progress", date(2026, 7, 15)),
        ("mốt là xong", "in_progress", date(2026, 6, 5)),
        ("đầu tuần sau em nộp xong", "in_progress", date(2026, 6, 8)),
    ],
)
def test_days_gone_by_and_coming(text: str, status: str, day: date) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, reading.expected_date) == (status, day)


def test_several_tasks_are_read_one_by_one_and_flagged() -> None:
    reading = read_reply("NV1 xong, NV2 dang lam 50%, NV3 chưa làm", today=TODAY)
    assert [(p.ref, p.status, p.percent) for p in reading.parts] == [
        ("NV1", "done", None), ("NV2", "in_progress", 50), ("NV3", "not_started", None)]
    assert reading.status == "in_progress" and reading.percent is None
    assert reading.several_tasks and reading.needs_asking
    assert "NV2: Đang thực hiện, đạt 50%" in (reading.ask_reason or "")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("giai đoạn 1 xong, gđ 2 chưa", "in_progress"),
        ("đợt 1 xong, đợt 2 chưa có kinh phí", "blocked"),  # a stuck part makes the whole stuck
        ("lớp may xong, lớp hàn xong", "done"),
        ("thôn 1 chưa làm, thôn 2 chưa làm", "not_started"),
    ],
)
def test_parts_of_one_task_make_one_report(text: str, status: str) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, len(reading.parts), reading.several_tasks) == (status, 2, False)
    assert not reading.needs_asking


def test_a_part_that_cannot_be_read_is_asked_back() -> None:
    reading = read_reply("đợt 1 xong, đợt 2 ok", today=TODAY)
    assert reading.status == "unknown" and "đợt 2" in (reading.reason or "")


@pytest.mark.parametrize(
    ("text", "status", "day"),
    [
        ("tuần ni xong", "in_progress", date(2026, 6, 5)),  # Central "này"
        ("khoảng hai tuần nữa xong", "in_progress", date(2026, 6, 17)),
        ("Tuần sau nữa mới xong", "in_progress", date(2026, 6, 19)),
        ("chua trien khai, du kien sau Tet", "not_started", date(2027, 2, 20)),  # two weeks after Tết (6/2/2027)
        ("chua lam a, ngay 25 em gui", "not_started", date(2026, 6, 25)),
        ("còn 2 xã nữa là xong", "in_progress", None),
    ],
)
def test_more_ways_of_saying_when(text: str, status: str, day: date | None) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, reading.expected_date) == (status, day)


@pytest.mark.parametrize(
    "text",
    ["hạn 30/6 hay 30/9 vậy anh", "quý III nộp trước ngày mấy vậy anh", "dạ anh đợi em chút em đang lái xe",
     "em báo là xong rồi mà anh", "dạ cái này không phải bên văn hóa làm ạ bên công an xã chủ trì anh ơi",
     "anh không nhận được hả", "mai em báo"],
)
def test_questions_busy_and_not_ours_are_asked_back_without_a_date(text: str) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, reading.expected_date) == ("unknown", None)


@pytest.mark.parametrize("text", [
    "xong roi ma, nhac mai the",  # "nhắc mãi thế": a complaint, not tomorrow
    "lam xong het roi, giuc mai the",
])
def test_mai_between_a_verb_and_the_is_forever_not_tomorrow(text: str) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, reading.expected_date) == ("done", None)


def test_mai_as_tomorrow_still_dates_the_work() -> None:
    assert read_reply("dang lam, mai xong", today=TODAY).expected_date == date(2026, 6, 4)


@pytest.mark.parametrize("text", [
    "sáng nay xong thôn 1 rồi, chiều nay rà nốt thôn 2 là xong",
    "tuan sau tap huan not lop cuoi la xong",
])
def test_a_day_to_come_then_la_xong_is_still_under_way(text: str) -> None:
    assert read_reply_with(text, today=TODAY, model=None).status == "in_progress"  # the rules, before the model
    assert read_reply(text, today=TODAY).status != "done"
