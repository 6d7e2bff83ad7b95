"""Closest-name suggestions for an unknown unit: useful ones, and none rather than a wrong one (pure)."""

from __future__ import annotations

import pytest

from bot.directory.resolve import UnitDirectory

UNITS = (
    "Phòng Tổ chức - Hành chính - Quản trị", "Phòng Kinh tế", "Phòng Tư pháp", "Văn phòng", "Sở Y tế",
    "Sở Tư pháp", "Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường", "Trung tâm Thông tin", "Phòng Văn hóa và Thông tin",
    "Sở Thông tin và Truyền thông", "Văn phòng UBND tỉnh", "UBND xã Chiềng Mung", "UBND xã Chiềng Sinh",
    "UBND phường Chiềng An", "UBND xã Mường Bú", "UBND xã Mường La",
)


@pytest.fixture
def directory() -> UnitDirectory:
    d = UnitDirectory()
    for number, name in enumerate(UNITS, start=1):
        d.add_unit(number, name)
    d.add_group("UBND cấp xã", [15, 16, 17, 18, 19])
    return d


@pytest.mark.parametrize(("written", "offered"), [
    ("Phòng TC-HC-QT", "Phòng Tổ chức - Hành chính - Quản trị"),  # an abbreviation the importer does not spell out
    ("Phòng Tổ chức hành chính", "Phòng Tổ chức - Hành chính - Quản trị"),  # a word left out
    ("Sở TTTT", "Sở Thông tin và Truyền thông"),  # initials
    ("Trung tâm TT", "Trung tâm Thông tin"),
    ("UBND xa Chieng Sihn", "UBND xã Chiềng Sinh"),  # no diacritics and a typo
    ("Sở Nông nghiệp", "Sở Nông nghiệp và Môi trường"),  # the short form
    ("Sở Văn hóa", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Phòng Kinh tế - Hạ tầng", "Phòng Kinh tế"),
])
def test_a_close_name_is_offered_first(directory: UnitDirectory, written: str, offered: str) -> None:
    found = directory.resolve(written)
    assert found.status == "unknown" and found.suggestions[:1] == (offered,)


@pytest.mark.parametrize("written", [
    "Phòng Văn hóa - Xã hội",  # shares only "Phòng" with TCHCQT, and the kind word differs from Sở VHTTDL
    "UBND xã Chiềng Xôm",  # another commune: "UBND xã Chiềng" is what half of them share
    "Sở Giáo dục và Đào tạo",  # no registered Sở shares a telling word
    "Công an tỉnh",
    "Phòng",
    "Văn phòng HĐND và UBND",  # not "Văn phòng UBND tỉnh", not a "Phòng ..."
])
def test_no_suggestion_beats_a_wrong_one(directory: UnitDirectory, written: str) -> None:
    found = directory.resolve(written)
    assert found.status == "unknown" and found.suggestions == ()


def test_a_kind_word_that_differs_counts_against() -> None:
    """ "Sở Văn hóa" is not the district's "Phòng Văn hóa và Thông tin", however alike the rest is."""
    d = UnitDirectory()
    d.add_unit(1, "Phòng Văn hóa và Thông tin")
    d.add_unit(2, "Sở Văn hóa và Thông tin")
    assert d.suggest("Sở Văn hóa Thông tin") == ("Sở Văn hóa và Thông tin",)
    assert d.suggest("Phòng Văn hóa Thông tin")[:1] == ("Phòng Văn hóa và Thông tin",)


def test_a_registered_name_inside_a_long_phrase_is_not_offered(directory: UnitDirectory) -> None:
    found = directory.resolve("đơn vị đề xuất nhiệm vụ KH&CN và được giao ứng dụng kết quả KH&CN vào thực tiễn")
    assert found.suggestions == ()


def test_a_shared_place_name_alone_is_no_suggestion() -> None:
    """The police of a city share the syllable «An» with the commune «An Long», and nothing else: not offered;
    a registered police office (the same kind) is."""
    d = UnitDirectory()
    d.add_unit(1, "UBND xã An Long")
    d.add_unit(2, "UBND xã Long Hậu")
    assert d.suggest("Công an Thành phố") == ()
    d.add_unit(3, "Công an tỉnh")
    assert d.suggest("Công an Thành phố") == ("Công an tỉnh",)


def test_a_name_of_one_kind_is_not_offered_a_name_without_that_kind() -> None:
    """An institute is not a department, and the provinces' committees are not the group of central agencies,
    though each pair shares telling words (found on real national plans)."""
    d = UnitDirectory()
    d.add_unit(1, "Sở Văn hóa, Thể thao và Du lịch")
    d.add_group("Cơ quan trung ương, đơn vị khác trên địa bàn", [1])
    assert d.suggest("Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam") == ()
    assert d.suggest("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương") == ()
