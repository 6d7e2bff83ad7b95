"""The one way chat commands find a unit by the name a person typed: the plan importer's directory.

Full names, aliases, abbreviations (TCHCQT, KH&CN, VHXH), case, diacritics, Ủy/Uỷ and UBND/Ủy ban nhân dân
all resolve as they do in an imported plan; a group gives its members; an unknown name gives the closest
units (often none: no suggestion beats a wrong one).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.directory.resolve import Resolution, load_unit_directory


@dataclass(frozen=True)
class UnitMatch:
    resolution: Resolution
    members: tuple[tuple[int, str], ...]  # (id, name): the unit, or a group's members
    suggested: tuple[tuple[int, str], ...]  # (id, name) of the closest units, for an unknown name

    @property
    def unit_id(self) -> int | None:
        return self.members[0][0] if self.resolution.status == "unit" else None


def match_unit(*, session: Session, written: str, limit: int = 8) -> UnitMatch:
    directory = load_unit_directory(session=session)
    found = directory.resolve(written)
    members = tuple((u, directory.names[u]) for u in found.unit_ids)
    suggested: tuple[tuple[int, str], ...] = ()
    if found.status == "unknown":
        suggested = tuple((unit_id, name) for name in directory.suggest(written, limit=limit)
                          if (unit_id := directory.unit_id(name)) is not None)
    return UnitMatch(found, members, suggested)
