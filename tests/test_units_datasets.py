"""`nhacviec units add-communes` and `nhacviec units starter` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlmodel import select

from bot.cli import main
from bot.datasets.communes import communes, find_province
from bot.datasets.departments import LEAD_CENTRE, departments
from bot.directory.resolve import load_unit_directory
from storage.database import Database
from storage.models import Unit, UnitAlias
from storage.units import add_unit, find_group_units, list_units


@pytest.fixture
def cli(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", db.url)
    return db


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _count(db: Database) -> int:
    return db.call(lambda session: len(session.exec(select(Unit)).all()))


def test_the_dataset_has_the_2025_structure() -> None:
    """34 provinces and cities since 1 July 2025; Sơn La's communes and wards are 75 (67 xã, 8 phường)."""
    from bot.datasets.communes import provinces

    assert len(provinces()) == 34
    son_la = find_province("tinh Son La")
    assert Counter(c.kind for c in communes(son_la)) == {"xã": 67, "phường": 8}
    assert find_province("TP Hồ Chí Minh").city and not son_la.city


def test_add_communes_is_idempotent_and_dry_run_writes_nothing(cli: Database,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    listed = communes(find_province("Sơn La"))
    preview = _run(capsys, "units", "add-communes", "--province", "son la", "--dry-run")
    assert preview["dry_run"] and len(preview["added"]) == len(listed) and _count(cli) == 0
    assert preview["province"] == "Sơn La" and preview["group"] == "UBND cấp xã"
    assert preview["source"].startswith("vietnam-provinces ")

    first = _run(capsys, "units", "add-communes", "--province", "Sơn La")
    assert sorted(first["added"]) == sorted(c.unit_name for c in listed) and _count(cli) == len(listed)
    assert all(name.startswith(("UBND xã ", "UBND phường ")) for name in first["added"])
    members = cli.call(lambda session: find_group_units(session=session, name="UBND cấp xã"))
    assert members is not None and len(members) == len(listed)

    again = _run(capsys, "units", "add-communes", "--province", "Sơn La")
    assert again["added"] == [] and len(again["existing"]) == len(listed) and _count(cli) == len(listed)


def test_a_commune_already_registered_is_kept_and_joins_the_group(cli: Database,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Typed before as «Ủy ban nhân dân xã Mường Bú»: not added twice, only put in the group."""
    def register(*, session):  # type: ignore[no-untyped-def]
        add_unit(session=session, name="Ủy ban nhân dân xã Mường Bú", now=_now())

    cli.call(register)
    result = _run(capsys, "units", "add-communes", "--province", "Sơn La")
    assert result["joined_group"] == ["Ủy ban nhân dân xã Mường Bú"] and "UBND xã Mường Bú" not in result["added"]
    views = {u.name: u for u in cli.call(list_units)}
    assert views["Ủy ban nhân dân xã Mường Bú"].groups == ["UBND cấp xã"]
    assert views["UBND xã Chiềng Mung"].aliases == ["Xã Chiềng Mung"]  # plans also write the bare "xã ..."


def test_an_unknown_province_is_refused_with_the_valid_names(cli: Database,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "add-communes", "--province", "Son Laa"]) != 0
    err = capsys.readouterr().err
    assert "Không có tỉnh, thành phố «Son Laa»" in err and "Có phải: Sơn La?" in err and "Tây Ninh" in err
    assert main(["units", "add-communes", "--province", "Hòa Bình"]) != 0  # merged in 2025: no wrong guess
    err = capsys.readouterr().err
    assert "Có phải" not in err and "tên tỉnh mới" in err
    assert _count(cli) == 0


def test_starter_offers_the_usual_departments_and_keeps_what_exists(cli: Database,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    def register(*, session):  # type: ignore[no-untyped-def]
        add_unit(session=session, name="Sở Khoa học và Công nghệ", now=_now(), aliases=["SKHCN"])

    cli.call(register)
    everywhere = [d for d in departments() if d.everywhere or d.where == LEAD_CENTRE]
    preview = _run(capsys, "units", "starter", "--province", "Sơn La", "--dry-run")
    assert preview["dry_run"] and _count(cli) == 1
    assert "Sở Khoa học và Công nghệ" in preview["joined_group"]  # there already: kept, only grouped
    assert len(preview["added"]) == len(everywhere) - 1 and "Sở Dân tộc và Tôn giáo" not in preview["added"]

    done = _run(capsys, "units", "starter", "--province", "Sơn La", "--skip", "Sở VHTTDL", "--with-optional")
    assert "Sở Văn hóa, Thể thao và Du lịch" not in done["added"] and "Sở Dân tộc và Tôn giáo" in done["added"]
    assert _count(cli) == 1 + len(done["added"])
    aliases = cli.call(lambda session: {a.alias for a in session.exec(select(UnitAlias))})
    assert {"Sở NN&MT", "Sở GDĐT", "SKHCN"} <= aliases
    members = cli.call(lambda session: find_group_units(session=session, name="Các sở, ban, ngành"))
    leads_on_territory = sum(d.where == LEAD_CENTRE for d in departments())  # in their own group
    assert members is not None and len(members) == _count(cli) - leads_on_territory
    assert _run(capsys, "units", "starter", "--province", "Sơn La")["added"] == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_starter_with_the_agencies_on_the_territory(cli: Database, capsys: pytest.CaptureFixture[str]) -> None:
    """--with-centre adds Công an tỉnh, BHXH tỉnh, ... with the province's own name where plans write it."""
    result = _run(capsys, "units", "starter", "--province", "Sơn La", "--with-centre")
    assert {"Công an tỉnh", "Bảo hiểm xã hội tỉnh", "Báo và Phát thanh, Truyền hình Sơn La"} <= set(result["added"])
    assert not any("{" in name for name in result["added"])
    views = {u.name: u for u in cli.call(list_units)}
    assert "Báo và PTTH Sơn La" in views["Báo và Phát thanh, Truyền hình Sơn La"].aliases
    assert views["Công an tỉnh"].groups == ["Cơ quan trung ương, đơn vị khác trên địa bàn"]  # not a "sở, ban, ngành"
    assert views["Sở Y tế"].groups == ["Các sở, ban, ngành"]
    again = _run(capsys, "units", "starter", "--province", "Sơn La", "--with-centre", "--dry-run")
    assert again["added"] == [] and len(again["existing"]) == len(result["added"])


def test_starter_registers_the_police_army_and_civil_defence_without_asking(
        cli: Database, capsys: pytest.CaptureFixture[str]) -> None:
    """The leads provincial plans name most (police, military and border guard commands, the civil defence board
    renamed in 2025, the Front's committee) are
    added by default, in the group of agencies on the territory, and known by their usual short forms."""
    result = _run(capsys, "units", "starter", "--province", "Cần Thơ")
    assert {"Công an thành phố", "Bộ Chỉ huy Quân sự thành phố", "Ban Chỉ huy Phòng thủ dân sự thành phố"} <= set(
        result["added"])
    assert "Bảo hiểm xã hội thành phố" not in result["added"]  # the other agencies still wait for --with-centre
    views = {u.name: u for u in cli.call(list_units)}
    assert views["Công an thành phố"].groups == ["Cơ quan trung ương, đơn vị khác trên địa bàn"]
    directory = cli.call(load_unit_directory)
    for written, unit in (("BCHQS thành phố", "Bộ Chỉ huy Quân sự thành phố"),
                          ("Ban Chỉ huy Phòng thủ dân sự cấp thành phố", "Ban Chỉ huy Phòng thủ dân sự thành phố"),
                          ("Công an thành phố Cần Thơ", "Công an thành phố"),
                          ("Ban Chỉ huy Bộ đội Biên phòng thành phố", "Bộ Chỉ huy Bộ đội Biên phòng thành phố"),
                          ("Ủy ban MTTQ thành phố", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố")):
        assert directory.resolve(written).unit_ids == (views[unit].id,), written


def test_starter_in_a_city_and_a_bad_skip(cli: Database, capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(capsys, "units", "starter", "--province", "Hà Nội", "--dry-run")
    assert "Văn phòng UBND thành phố" in result["added"] and "Thanh tra thành phố" in result["added"]
    assert main(["units", "starter", "--province", "Sơn La", "--skip", "Sở Ngoại giao"]) != 0
    assert "«Sở Ngoại giao» không có trong danh sách gợi ý" in capsys.readouterr().err and _count(cli) == 0


def test_the_text_result_is_one_vietnamese_line(cli: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "add-communes", "--province", "Sơn La", "--dry-run"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("Tỉnh Sơn La có 75 đơn vị cấp xã (8 phường, 67 xã)")
    assert out[1] == "Chạy thử, chưa ghi gì: sẽ thêm 75 đơn vị vào nhóm «UBND cấp xã»."


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 5, 20, 2, 0, tzinfo=UTC)
