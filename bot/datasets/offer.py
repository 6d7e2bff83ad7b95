"""Register a list of offered units idempotently: what is already there (by any name the importer accepts) is
left as it is, only joined to the offered group; what is new is added with its aliases and group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.directory.resolve import UnitDirectory, load_unit_directory
from storage.models import Unit
from storage.units import add_unit, find_group_units, join_group


@dataclass(frozen=True)
class OfferedUnit:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass
class OfferResult:
    added: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # already registered, now also in the offered group
    existing: list[str] = field(default_factory=list)  # already registered and in the group: nothing to do
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"added": self.added, "joined_group": self.joined, "existing": self.existing, "dry_run": self.dry_run}


def offer_units(*, session: Session, units: Iterable[OfferedUnit], now: datetime, dry_run: bool = False,
                ) -> OfferResult:
    """Add what is missing, in one transaction (the caller's); with `dry_run`, only say what would be done."""
    directory = load_unit_directory(session=session)
    members: dict[str, set[int]] = {}
    result = OfferResult(dry_run=dry_run)
    for number, offered in enumerate(units):
        unit_id = _registered(directory, (offered.name, *offered.aliases))
        if unit_id is None:
            result.added.append(offered.name)
            if dry_run:
                directory.add_unit(-1 - number, offered.name, list(offered.aliases))
                continue
            free = [a for a in offered.aliases if _registered(directory, (a,)) is None]
            unit = add_unit(session=session, name=offered.name, now=now, kind=offered.kind, aliases=free,
                            groups=offered.groups)
            assert unit.id is not None
            directory.add_unit(unit.id, unit.name, free)
            continue
        missing = [g for g in offered.groups if unit_id not in _members(session, members, g)]
        name = directory.names.get(unit_id, offered.name)
        (result.joined if missing else result.existing).append(name)
        if not dry_run:
            unit = session.get(Unit, unit_id)
            assert unit is not None
            for group in missing:
                join_group(session=session, unit=unit, group=group)
    return result


def _registered(directory: UnitDirectory, names: Sequence[str]) -> int | None:
    for name in names:
        found = directory.resolve(name)
        if found.status == "unit":
            return int(found.unit_ids[0])
    return None


def _members(session: Session, cache: dict[str, set[int]], group: str) -> set[int]:
    if group not in cache:
        cache[group] = {u.id for u in find_group_units(session=session, name=group) or [] if u.id is not None}
    return cache[group]
