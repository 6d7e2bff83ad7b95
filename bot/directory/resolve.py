"""Match the unit names written in a plan to registered units and groups (pure but for `load_unit_directory`).

A name matches a unit's name or alias, or a group's name, ignoring case, diacritics, punctuation
and the usual abbreviations (TCHCQT, KH&CN, VHXH, UBND); then again without remarks in brackets
and tails such as "thuộc", "có liên quan", "trên địa bàn". A group assigns every member. An unknown
name is reported with the closest known names, never dropped silently; vague phrases ("các đơn vị
có liên quan") name nobody and are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from bot.directory.closest import NameIndex
from bot.directory.unitnames import is_vague, loose_keys, name_key
from storage.units import directory_rows


@dataclass(frozen=True)
class Resolution:
    written: str
    status: str  # unit | group | vague | unknown | empty_group
    unit_ids: tuple[int, ...] = ()
    matched: str | None = None  # the registered unit or group name
    suggestions: tuple[str, ...] = ()

    @property
    def via_group(self) -> str | None:
        return self.matched if self.status == "group" else None

    def to_json(self, names: dict[int, str]) -> dict[str, object]:
        return {
            "written": self.written, "status": self.status, "matched": self.matched,
            "units": [names.get(i, str(i)) for i in self.unit_ids], "suggestions": list(self.suggestions),
        }


@dataclass
class UnitDirectory:
    """Every registered unit (with aliases) and group, keyed for matching."""

    names: dict[int, str] = field(default_factory=dict)
    suggesting: bool = True  # closest names for unknown ones (off for re-resolution, which shows none)
    _exact: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (kind, name)
    _loose: dict[str, tuple[str, str]] = field(default_factory=dict)
    _unit_ids: dict[str, int] = field(default_factory=dict)
    _groups: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _choices: dict[str, str] = field(default_factory=dict)  # key -> display name, for suggestions
    _memo: dict[str, Resolution] = field(default_factory=dict)
    _closest: NameIndex | None = None

    def add_unit(self, unit_id: int, name: str, aliases: tuple[str, ...] | list[str] = ()) -> None:
        self._memo.clear()
        self._closest = None
        self.names[unit_id] = name
        self._unit_ids[name] = unit_id
        for written in (name, *aliases):
            self._index("unit", name, written)

    def add_group(self, name: str, members: tuple[int, ...] | list[int]) -> None:
        self._memo.clear()
        self._closest = None
        self._groups[name] = tuple(members)
        self._index("group", name, name)

    def _index(self, kind: str, name: str, written: str) -> None:
        exact = name_key(written)
        if not exact:
            return
        self._exact.setdefault(exact, (kind, name))
        self._choices.setdefault(exact, name)
        for key in loose_keys(written)[1:]:
            self._loose.setdefault(key, (kind, name))

    def resolve(self, written: str) -> Resolution:
        found = self._memo.get(written)
        if found is None:
            found = self._memo[written] = self._resolve(written)
        return found

    def _resolve(self, written: str) -> Resolution:
        # the directory first: "UBND cấp xã có liên quan" is the group, once "UBND cấp xã" is registered
        for key in loose_keys(written):
            for table in (self._exact, self._loose):
                found = table.get(key)
                if found is not None:
                    return self._resolution(written, *found)
        if is_vague(written):
            return Resolution(written, "vague")
        return Resolution(written, "unknown", suggestions=self.suggest(written) if self.suggesting else ())

    def _resolution(self, written: str, kind: str, name: str) -> Resolution:
        if kind == "unit":
            return Resolution(written, "unit", (self._unit_ids[name],), name)
        members = self._groups.get(name, ())
        return Resolution(written, "group" if members else "empty_group", members, name)

    def unit_id(self, name: str) -> int | None:
        """The id of the unit registered under exactly this name (a name `suggest` or `resolve` gave)."""
        return self._unit_ids.get(name)

    def suggest(self, written: str, limit: int = 3) -> tuple[str, ...]:
        """The closest registered units and groups (see `bot.directory.closest`): often none, never a wrong one."""
        if self._closest is None:
            self._closest = NameIndex.of(self._choices.items())
        return self._closest.closest(written, limit)


def load_unit_directory(*, session: Session, suggesting: bool = True) -> UnitDirectory:
    """Every unit (archived ones aside), alias and group, in three queries."""
    directory = UnitDirectory(suggesting=suggesting)
    units, groups = directory_rows(session=session)
    for unit_id, name, aliases in units:
        directory.add_unit(unit_id, name, aliases)
    for name, members in groups:
        directory.add_group(name, members)
    return directory


@dataclass
class ItemAssignees:
    """The units an item goes to: (unit id, role, via group)."""

    rows: list[tuple[int, str, str | None]] = field(default_factory=list)
    unknown_lead: list[Resolution] = field(default_factory=list)
    unknown_support: list[Resolution] = field(default_factory=list)
    empty_groups: list[Resolution] = field(default_factory=list)

    def unit_ids(self, role: str) -> list[int]:
        return [unit for unit, r, _ in self.rows if r == role]


def assign(lead: list[str], support: list[str], directory: UnitDirectory) -> ItemAssignees:
    """Resolve an item's lead and support names; a unit that leads is not also listed as support."""
    result = ItemAssignees()
    taken: set[tuple[int, str]] = set()
    for role, names in (("lead", lead), ("support", support)):
        for written in names:
            found = directory.resolve(written)
            if found.status == "unknown":
                (result.unknown_lead if role == "lead" else result.unknown_support).append(found)
                continue
            if found.status == "empty_group":
                result.empty_groups.append(found)
                continue
            for unit_id in found.unit_ids:
                if (unit_id, "lead") in taken or (unit_id, role) in taken:
                    continue
                taken.add((unit_id, role))
                result.rows.append((unit_id, role, found.via_group))
    return result
