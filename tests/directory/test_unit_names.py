"""Splitting unit cells and matching the names to registered units (pure: no database)."""

from __future__ import annotations

import pytest

from bot.directory.resolve import UnitDirectory, assign
from bot.directory.unitnames import split_units


@pytest.mark.parametrize(("cell", "names"), [
    ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
    ("Các sở, ban, ngành, UBND cấp xã", ["Các sở, ban, ngành", "UBND cấp xã"]),
    ("Sở Tài chính; Công an tỉnh\nUBND cấp xã", ["Sở Tài chính", "Công an tỉnh", "UBND cấp xã"]),
    ("(1) Sở Khoa học và Công nghệ (2) Sở Tài chính", ["Sở Khoa học và Công nghệ", "Sở Tài chính"]),
    ("(1) Sở KH&CN, (2) Công an tỉnh, (3)", ["Sở KH&CN", "Công an tỉnh"]),
    ("Sở Văn hóa, Thể thao và Du lịch; Sở Y tế", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]),
    ("Sở Khoa học và Công nghệ và Sở Tài chính", ["Sở Khoa học và Công nghệ", "Sở Tài chính"]),
    ("UBND cấp xã và các đơn vị có liên quan", ["UBND cấp xã", "các đơn vị có liên quan"]),
    ("Văn phòng UBND tỉnh (đầu mối tổng hợp, cung cấp số liệu)", ["Văn phòng UBND tỉnh"]),
    ("Các phòng, đơn vị thuộc", ["Các phòng, đơn vị thuộc"]),
    ("", []),
])
def test_split_units(cell: str, names: list[str]) -> None:
    assert split_units(cell) == names


def test_registered_names_with_commas_are_never_split() -> None:
    assert split_units("Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch, Sở Tài chính",
                       ["Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch"]) == [
        "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch", "Sở Tài chính"]


@pytest.fixture
def directory() -> UnitDirectory:
    d = UnitDirectory()
    d.add_unit(1, "Phòng Tổ chức – Hành chính – Quản trị")
    d.add_unit(2, "Trung tâm Thông tin")
    d.add_unit(3, "Sở Khoa học và Công nghệ")
    d.add_unit(4, "Phòng Văn hóa - Xã hội")
    d.add_unit(5, "Ủy ban nhân dân xã Vân Hồ", ["UBND xã"])
    d.add_group("Các phòng, đơn vị trực thuộc", [1, 2])
    d.add_group("UBND cấp xã", [5])
    d.add_group("Các sở, ban, ngành", [])
    return d


@pytest.mark.parametrize(("written", "status", "matched"), [
    ("Phòng TCHCQT", "unit", "Phòng Tổ chức – Hành chính – Quản trị"),
    ("phong to chuc - hanh chinh - quan tri", "unit", "Phòng Tổ chức – Hành chính – Quản trị"),
    ("Sở KH&CN", "unit", "Sở Khoa học và Công nghệ"),
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "unit", "Sở Khoa học và Công nghệ"),
    ("Phòng VHXH", "unit", "Phòng Văn hóa - Xã hội"),
    ("UBND xã Vân Hồ", "unit", "Ủy ban nhân dân xã Vân Hồ"),
    ("Trung tâm thông tin (đăng tải)", "unit", "Trung tâm Thông tin"),
    ("Các phòng, đơn vị thuộc", "group", "Các phòng, đơn vị trực thuộc"),
    ("UBND cấp xã", "group", "UBND cấp xã"),
    ("Các sở, ban, ngành", "empty_group", "Các sở, ban, ngành"),
    ("các đơn vị có liên quan", "vague", None),
    ("Sở Tài chính", "unknown", None),
])
def test_names_resolve(directory: UnitDirectory, written: str, status: str, matched: str | None) -> None:
    found = directory.resolve(written)
    assert (found.status, found.matched) == (status, matched)


def test_unknown_names_come_with_the_closest_known_ones(directory: UnitDirectory) -> None:
    found = directory.resolve("Trung tâm TT")
    assert found.status == "unknown" and found.suggestions[0] == "Trung tâm Thông tin"


def test_a_group_assigns_every_member_once(directory: UnitDirectory) -> None:
    result = assign(["Phòng TCHCQT"], ["Các phòng, đơn vị thuộc", "Sở Tài chính"], directory)
    assert result.rows == [(1, "lead", None), (2, "support", "Các phòng, đơn vị trực thuộc")]
    assert [r.written for r in result.unknown_support] == ["Sở Tài chính"]


def test_district_office_with_va_in_its_name_is_one_unit() -> None:
    from bot.directory.unitnames import split_units

    assert split_units("Văn phòng HĐND và UBND huyện") == ["Văn phòng HĐND và UBND huyện"]
    assert split_units("van phong hdnd va ubnd huyen; Phòng Nội vụ") == ["van phong hdnd va ubnd huyen", "Phòng Nội vụ"]
    assert split_units("Phòng Tư pháp và UBND các xã") == ["Phòng Tư pháp", "UBND các xã"]


def test_title_stops_at_a_blank_line_or_a_note() -> None:
    from bot.importer.metadata import plan_title

    lines = ["KẾ HOẠCH", "Cải cách hành chính năm 2026", "", "(Bản mẫu)", "I. MỤC ĐÍCH"]
    assert plan_title(lines) == "Cải cách hành chính năm 2026"
    assert plan_title(["KẾ HOẠCH", "Chuyển đổi số", "năm 2026", "I. MỤC ĐÍCH, YÊU CẦU"]) == "Chuyển đổi số năm 2026"


@pytest.mark.parametrize("group", ["UBND cấp xã", "UBND các xã, phường"])
@pytest.mark.parametrize("written", [
    "Ủy ban nhân dân các xã, phường", "UBND xã, phường, đặc khu", "UBND các xã/phường", "Uỷ ban nhân dân cấp xã",
    "UBND các phường, xã", "Ủy ban nhân dân các xã, phường được phân công",
])
def test_every_spelling_of_all_communes_finds_the_commune_group(group: str, written: str) -> None:
    """Found by tryplans: 5 of 11 real plans named the communes in a spelling other than the group that
    `units add-communes` registers, so their tasks went to nobody."""
    directory = UnitDirectory()
    directory.add_unit(1, "UBND xã Suối Mây")
    directory.add_group(group, [1])
    found = directory.resolve(written)
    assert (found.status, found.matched, found.unit_ids) == ("group", group, (1,))


@pytest.mark.parametrize("written", ["các sở, ngành", "Các Sở, ngành có liên quan", "Sở, ban, ngành",
                                     "Các sở, ban, ngành thành phố", "các sở, ngành tỉnh"])
def test_every_spelling_of_all_departments_finds_the_department_group(written: str) -> None:
    directory = UnitDirectory()
    directory.add_unit(2, "Sở Xây dựng")
    directory.add_group("Các sở, ban, ngành", [2])
    assert directory.resolve(written).matched == "Các sở, ban, ngành"


@pytest.mark.parametrize("written", ["UBND xã", "UBND phường", "Các sở, ngành, địa phương", "UBND xã Suối Đá"])
def test_one_commune_or_a_wider_collective_is_not_the_commune_or_department_group(written: str) -> None:
    directory = UnitDirectory()
    directory.add_unit(1, "UBND xã Suối Mây")
    directory.add_group("UBND cấp xã", [1])
    directory.add_group("Các sở, ban, ngành", [1])
    assert directory.resolve(written).status != "group"
