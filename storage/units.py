"""Queries about units, their aliases and their groups (keyword-only, a session passed in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from bot.errors import UserError
from bot.text import normalize_name
from storage.models import Unit, UnitAlias, UnitGroup, UnitGroupMember


@dataclass
class UnitView:
    id: int
    name: str
    kind: str | None
    parent: str | None
    aliases: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "parent": self.parent,
            "aliases": self.aliases, "groups": self.groups,
        }


def find_unit(*, session: Session, name: str) -> Unit | None:
    """A unit by its name or one of its aliases, ignoring case and diacritics."""
    key = normalize_name(name)
    unit = session.exec(select(Unit).where(Unit.normalized_name == key)).first()
    if unit is not None:
        return unit
    alias = session.exec(select(UnitAlias).where(UnitAlias.normalized_alias == key)).first()
    return session.get(Unit, alias.unit_id) if alias else None


def add_unit(
    *,
    session: Session,
    name: str,
    now: datetime,
    kind: str | None = None,
    parent: str | None = None,
    aliases: Sequence[str] = (),
    groups: Sequence[str] = (),
) -> Unit:
    """Register a unit with its aliases and group memberships; refuses names already taken."""
    name = " ".join(name.split())
    if not name:
        raise UserError("Tên đơn vị không được để trống.")
    if find_unit(session=session, name=name) is not None:
        raise UserError(f"Đơn vị «{name}» đã có (trùng tên hoặc tên viết tắt).")
    parent_unit = None
    if parent:
        parent_unit = find_unit(session=session, name=parent)
        if parent_unit is None:
            raise UserError(f"Không tìm thấy đơn vị cấp trên «{parent}». Hãy thêm đơn vị đó trước.")
    unit = Unit(
        name=name, normalized_name=normalize_name(name), kind=kind,
        parent_id=parent_unit.id if parent_unit else None, created_at=now,
    )
    session.add(unit)
    session.flush()
    for alias in aliases:
        add_alias(session=session, unit=unit, alias=alias)
    for group in groups:
        join_group(session=session, unit=unit, group=group)
    return unit


def add_alias(*, session: Session, unit: Unit, alias: str) -> None:
    alias = " ".join(alias.split())
    key = normalize_name(alias)
    if not key or key == unit.normalized_name:
        return
    owner = find_unit(session=session, name=alias)
    if owner is not None:
        if owner.id == unit.id:
            return
        raise UserError(f"Tên viết tắt «{alias}» đã thuộc về đơn vị «{owner.name}».")
    assert unit.id is not None
    session.add(UnitAlias(unit_id=unit.id, alias=alias, normalized_alias=key))
    session.flush()


def get_or_create_group(*, session: Session, name: str) -> UnitGroup:
    name = " ".join(name.split())
    key = normalize_name(name)
    group = session.exec(select(UnitGroup).where(UnitGroup.normalized_name == key)).first()
    if group is None:
        group = UnitGroup(name=name, normalized_name=key)
        session.add(group)
        session.flush()
    return group


def join_group(*, session: Session, unit: Unit, group: str) -> None:
    found = get_or_create_group(session=session, name=group)
    assert found.id is not None and unit.id is not None
    if session.get(UnitGroupMember, (found.id, unit.id)) is None:
        session.add(UnitGroupMember(group_id=found.id, unit_id=unit.id))
        session.flush()


def find_group_units(*, session: Session, name: str) -> list[Unit] | None:
    """The members of a group by name, or None when no such group is known."""
    key = normalize_name(name)
    group = session.exec(select(UnitGroup).where(UnitGroup.normalized_name == key)).first()
    if group is None:
        return None
    return list(
        session.exec(
            select(Unit).join(UnitGroupMember, UnitGroupMember.unit_id == Unit.id)
            .where(UnitGroupMember.group_id == group.id).order_by(Unit.name)
        )
    )


def list_units(*, session: Session) -> list[UnitView]:
    """Every unit with its aliases and groups, in three queries whatever the count."""
    units = list(session.exec(select(Unit).order_by(Unit.name)))
    names = {u.id: u.name for u in units}
    aliases: dict[int, list[str]] = {}
    for alias in session.exec(select(UnitAlias).order_by(UnitAlias.alias)):
        aliases.setdefault(alias.unit_id, []).append(alias.alias)
    groups: dict[int, list[str]] = {}
    rows = session.exec(
        select(UnitGroupMember.unit_id, UnitGroup.name)
        .join(UnitGroup, UnitGroup.id == UnitGroupMember.group_id).order_by(UnitGroup.name)
    )
    for unit_id, group_name in rows:
        groups.setdefault(unit_id, []).append(group_name)
    return [
        UnitView(
            id=u.id or 0, name=u.name, kind=u.kind,
            parent=names.get(u.parent_id) if u.parent_id else None,
            aliases=aliases.get(u.id or 0, []), groups=groups.get(u.id or 0, []),
        )
        for u in units
    ]
