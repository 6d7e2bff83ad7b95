"""The staff reply reader on the table of real-looking replies (status_cases.py) and on its decisions."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.base.text import fold
from bot.readers.status import STATUSES, Quantity, StatusReading, read_reply
from tests.readers.status_cases import CASES, TODAY, Case


def test_the_table_is_large_and_distinct() -> None:
    assert len({c.text for c in CASES}) == len(CASES) >= 150
    assert {c.status for c in CASES} == set(STATUSES)


@pytest.mark.parametrize("case", CASES, ids=[repr(c.text) for c in CASES])
def test_table(case: Case) -> None:
    reading = read_reply(case.text, today=case.today)
    assert reading.status == case.status
    assert reading.percent == case.percent
    assert reading.expected_date == case.date
    assert reading.blocker == case.blocker
    assert reading.document_ref == case.doc
    assert tuple((q.value, q.unit) for q in reading.quantities) == case.quantities
    assert (reading.reason is not None) == (reading.status == "unknown"), "unknown, and only unknown, says why"


# Replies whose meaning needs the diacritics: "Mai" (a name) vs "mai" (tomorrow).
_NEEDS_DIACRITICS = {"Mai Anh đang làm", "hổng có làm"}  # "hong" is "broken": "hổng" (not) needs its marks


@pytest.mark.parametrize("case", [c for c in CASES if c.text not in _NEEDS_DIACRITICS], ids=repr)
def test_the_same_reply_typed_without_diacritics_reads_the_same(case: Case) -> None:
    with_marks = read_reply(case.text, today=case.today)
    without = read_reply(fold(case.text), today=case.today)
    assert (without.status, without.percent, without.expected_date) == (
        with_marks.status, with_marks.percent, with_marks.expected_date
    )


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("chưa hoàn thành", "in_progress"),  # negation beats the completion word
        ("chưa xong, đạt 80%", "in_progress"),
        ("chưa triển khai xong", "in_progress"),
        ("không hoàn thành", "blocked"),
        ("hoàn thành 80%", "in_progress"),  # a percent under 100 beats the completion word
        ("đang thực hiện, 0%", "in_progress"),
        ("xong dự thảo, đang trình ký", "in_progress"),  # work under way beats a finished part
        ("hoàn thành nhưng còn vướng thủ tục thanh toán", "done"),  # finished; the blocker is kept for the record
    ],
)
def test_precedence(text: str, status: str) -> None:
    assert read_reply(text, today=TODAY).status == status


def test_a_date_turns_a_completion_word_into_a_promise_until_the_day_passes() -> None:
    before = read_reply("xong 20/6", today=date(2026, 6, 1))
    after = read_reply("xong 20/6", today=date(2026, 6, 25))
    assert (before.status, before.expected_date) == ("in_progress", date(2026, 6, 20))
    assert (after.status, after.expected_date) == ("done", date(2026, 6, 20))


def test_a_letter_without_a_status_is_asked_back_not_guessed() -> None:
    reading = read_reply("đã báo cáo bằng văn bản số 123/BC-UBND", today=TODAY)
    assert (reading.status, reading.document_ref) == ("unknown", "123/BC-UBND")
    assert "123/BC-UBND" in reading.reason and "hoàn thành" in reading.reason


@pytest.mark.parametrize("text", ["ok", "OK", "đã nhận", "nhận được rồi ạ", "?", "Dạ", "👍", "", "   "])
def test_acknowledgements_are_unknown_with_a_reason(text: str) -> None:
    reading = read_reply(text, today=TODAY)
    assert reading.status == "unknown"
    assert reading.reason and reading.reason[0].islower()  # it follows "Chưa rõ tình trạng: "


def test_over_achievement_is_clamped_with_a_caveat_and_nonsense_is_refused() -> None:
    over = read_reply("đạt 120% kế hoạch", today=TODAY)
    assert (over.status, over.percent) == ("done", 100)
    assert "120%" in over.caveat
    nonsense = read_reply("5000%", today=TODAY)
    assert (nonsense.status, nonsense.percent) == ("unknown", None)
    assert "5000%" in nonsense.reason
    kept = read_reply("đang làm, 5000%", today=TODAY)
    assert (kept.status, kept.percent) == ("in_progress", None)
    assert "5000%" in kept.caveat


def test_note_keeps_the_reply_without_greetings_or_trailing_particles() -> None:
    reading = read_reply("Dạ em báo cáo:  đang triển khai,   đạt 50% ạ", today=TODAY)
    assert reading.note == "đang triển khai, đạt 50%"
    assert read_reply("Đã hoàn thành", today=TODAY).note == "Đã hoàn thành"  # "Đã" is not the particle "Dạ"
    assert read_reply("ạ", today=TODAY).note is None


def test_describe_vi_is_one_vietnamese_line() -> None:
    reading = read_reply("dang lam 50% du kien xong 20/6, vuong: chua co kinh phi", today=TODAY)
    line = reading.describe_vi()
    assert line == "Đang thực hiện, đạt 50%, dự kiến xong 20/06/2026, vướng mắc: chua co kinh phi."
    assert "\n" not in line
    done = read_reply("đã tổ chức 3 lớp tập huấn, văn bản số 45/KH-UBND", today=TODAY).describe_vi()
    assert done == "Đã hoàn thành, số liệu: 3 lớp tập huấn, văn bản số 45/KH-UBND."
    assert read_reply("ok", today=TODAY).describe_vi().startswith("Chưa rõ tình trạng: ")


def test_to_json_round_trips_through_json() -> None:
    reading = read_reply("Đã đăng 3 tin bài, 1.200 lượt xem, hoàn thành ngày 25/5", today=TODAY)
    data = json.loads(json.dumps(reading.to_json(), ensure_ascii=False))
    assert data["status"] == "done"
    assert data["expected_date"] == "2026-05-25"
    assert data["quantities"] == [{"value": 3, "unit": "tin bài"}, {"value": 1200, "unit": "lượt"}]
    assert set(data) >= {"status", "percent", "expected_date", "blocker", "note", "document_ref", "reason"}


def test_reading_is_a_plain_frozen_value() -> None:
    reading = read_reply("đã đăng 3 tin bài", today=TODAY)
    assert reading == StatusReading("done", note="đã đăng 3 tin bài", quantities=(Quantity(3, "tin bài"),))
    with pytest.raises(AttributeError):
        reading.status = "unknown"  # type: ignore[misc]
