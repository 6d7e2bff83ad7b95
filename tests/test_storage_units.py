"""Units, aliases and groups on both engines."""

from __future__ import annotations

import pytest

from bot.base.errors import UserError
from storage.database import Database
from storage.units import add_unit, find_group_units, find_unit, list_units


def test_add_and_find_by_alias_case_and_diacritics(db: Database, clock) -> None:
    db.call(add_unit, name="Phòng Tổ chức – Hành chính – Quản trị", kind="phòng",
            aliases=["TCHCQT"], groups=["Các phòng, đơn vị thuộc"], now=clock.now())
    for query in ("TCHCQT", "tchcqt", "phong to chuc - hanh chinh - quan tri", "Phòng Tổ chức - Hành chính - Quản trị"):
        unit = db.call(find_unit, name=query)
        assert unit is not None and unit.name == "Phòng Tổ chức – Hành chính – Quản trị", query
    assert db.call(find_unit, name="Sở Tài chính") is None


def test_duplicate_name_or_alias_is_refused_and_nothing_written(db: Database, clock) -> None:
    db.call(add_unit, name="Sở Khoa học và Công nghệ", aliases=["KH&CN"], now=clock.now())
    with pytest.raises(UserError, match="đã có"):
        db.call(add_unit, name="so khoa hoc va cong nghe", now=clock.now())
    with pytest.raises(UserError, match="đã thuộc về"):
        db.call(add_unit, name="Sở Tài chính", aliases=["STC", "kh&cn"], now=clock.now())
    names = [u.name for u in db.call(list_units)]
    assert names == ["Sở Khoa học và Công nghệ"]  # the half-added Sở Tài chính was rolled back


def test_groups_and_parent(db: Database, clock) -> None:
    db.call(add_unit, name="UBND tỉnh Sơn La", kind="ubnd", now=clock.now())
    for name in ("Sở Tài chính", "Sở Y tế"):
        db.call(add_unit, name=name, kind="sở", parent="UBND tỉnh Sơn La",
                groups=["Các sở, ban, ngành"], now=clock.now())
    members = db.call(find_group_units, name="cac so, ban, nganh")
    assert members is not None and [u.name for u in members] == ["Sở Tài chính", "Sở Y tế"]
    assert db.call(find_group_units, name="UBND cấp xã") is None
    views = {v.name: v for v in db.call(list_units)}
    assert views["Sở Y tế"].parent == "UBND tỉnh Sơn La"
    assert views["Sở Y tế"].groups == ["Các sở, ban, ngành"]
    with pytest.raises(UserError, match="cấp trên"):
        db.call(add_unit, name="Phòng X", parent="Không có", now=clock.now())


def test_a_savepoint_never_commits_the_step_on_its_own(db: Database, clock) -> None:
    """One step, one transaction: work inside a SAVEPOINT is rolled back with the step (pysqlite used to
    commit it when the savepoint came before the step's first write)."""
    from storage.models import Unit

    with pytest.raises(RuntimeError), db.session() as session:
        with session.begin_nested():
            session.add(Unit(name="Phòng Thử", normalized_name="phong thu", created_at=clock.now()))
        raise RuntimeError("the step fails after its savepoint")
    assert db.call(find_unit, name="Phòng Thử") is None
