"""What people type before the reader reads it: telex/VNI leftovers, spoken numbers, shorthand, several parts."""

from __future__ import annotations

from datetime import date

import pytest

from bot.readers.reply_normal import normalise, spoken_number
from bot.readers.status import read_reply
from bot.readers.telex import untelex

TODAY = date(2026, 6, 3)  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("hoafn thanhf roi a", "hoàn thành roi a"),
        ("ddang thuwcj hieenj", "đang thực hiện"),
        ("chuwa trieenr khai", "chưa triển khai"),
        ("chuaw lamf", "chưa làm"),  # the horn key typed after the vowels
        ("vuwowngs mawtj baawngf", "vướng mặt bằng"),
        ("chowf sowr pheee duyeetj", "chờ sở phê duyệt"),  # a key pressed three times
        ("xongg", "xong"),
        ("hoa2n tha2nh ro62i", "hoàn thành rồi"),  # VNI
        ("d9a4 xong", "đã xong"),
    ],
)
def test_telex_and_vni_leftovers_are_decoded(typed: str, meant: str) -> None:
    assert untelex(typed) == meant


@pytest.mark.parametrize("word", ["thanks", "processing", "camera", "UBND", "TTTT", "vnpt", "NV1", "ok", "done", "tks"])
def test_words_that_are_not_telex_stay_as_written(word: str) -> None:
    assert untelex(word) == word


@pytest.mark.parametrize(
    ("words", "value"),
    [("tam muoi", 80), ("chin muoi lam", 95), ("muoi", 10), ("muoi lam", 15), ("tam chuc", 80), ("mot tram", 100),
     ("hai muoi mot", 21), ("bay", 7)],
)
def test_spoken_numbers(words: str, value: int) -> None:
    assert spoken_number(words) == value


@pytest.mark.parametrize(
    ("text", "status", "percent"),
    [
        ("đạt tám mươi phần trăm rồi", "in_progress", 80),
        ("được khoảng một nửa rồi ạ", "in_progress", 50),
        ("mới làm được một phần tư khối lượng", "in_progress", 25),
        ("duoc tam hai phan ba", "in_progress", 67),
        ("khoang 3 phan 4 roi", "in_progress", 75),
        ("xong được quá nửa rồi", "in_progress", None),  # more than half: no exact figure
        ("dang lam, 2 tuan nua xong", "in_progress", None),  # "nữa" (more) is not "nửa" (half)
        ("bảy mươi phần trăm", "in_progress", 70),
        # "không còn ... nữa" (nothing more) typed without diacritics: "nua" is "nữa", not a half
        ("ko con thon nao phai lam nua, xong het roi a", "done", None),
        ("khong con gi de lam nua, da hoan thanh", "done", None),
        ("hong con lop nao can day nua, xong ca roi", "done", None),
        ("lam duoc nua roi, con nua kia tuan sau", "in_progress", 50),  # progress before it: still a half
        ("một trăm phần trăm", "done", 100),
    ],
)
def test_progress_in_words(text: str, status: str, percent: int | None) -> None:
    reading = read_reply(text, today=TODAY)
    assert (reading.status, reading.percent) == (status, percent)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("xong r", "done"),
        ("ko lam dc vi thieu nguoi", "blocked"),
        ("chưa có làm nữa anh ơi", "not_started"),  # Southern "có" before a verb, not a lack
        ("hổng có làm", "not_started"),
        ("ko phai chua lam, lam xong roi do", "done"),  # the denied words do not count
        ("không phải vướng, là em chưa làm thôi", "not_started"),
    ],
)
def test_shorthand_regional_words_and_denials(text: str, status: str) -> None:
    assert read_reply(text, today=TODAY).status == status


def test_normalise_keeps_what_it_does_not_know() -> None:
    written = "Đã ban hành Kế hoạch số 45/KH-UBND ngày 20/5/2026"
    assert normalise(written) == written
