"""A province's usual departments after the 2025 reorganisation (`departments_2025.tsv`, the project's own list):
offered with their usual abbreviations, never imposed. Registered only on `nhacviec units starter`, previewed
with `--dry-run`; a department already registered under any name the importer accepts is left as it is."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from bot.datasets.offer import OfferedUnit
from bot.errors import UserError
from bot.importer.unitnames import name_key

DEPARTMENT_GROUP = "Các sở, ban, ngành"
DATA = "departments_2025.tsv"
_COLUMNS = ("Tên đơn vị", "Tên viết tắt", "Loại", "Có ở", "Ghi chú")


@dataclass(frozen=True)
class Department:
    name: str
    aliases: tuple[str, ...]
    kind: str
    everywhere: bool  # "mọi tỉnh"; else only in some provinces ("một số tỉnh")
    note: str

    def for_province(self, *, city: bool) -> Department:
        """ "Văn phòng UBND tỉnh" becomes "Văn phòng UBND thành phố" in a centrally-run city."""
        if not city:
            return self
        return Department(_city(self.name), tuple(_city(a) for a in self.aliases), self.kind, self.everywhere,
                          self.note)

    def offered(self, group: str) -> OfferedUnit:
        return OfferedUnit(name=self.name, kind=self.kind, aliases=self.aliases, groups=(group,))


def departments() -> list[Department]:
    text = resources.files("bot.datasets").joinpath(DATA).read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t")
    assert tuple(rows.fieldnames or ()) == _COLUMNS, rows.fieldnames
    return [Department(name=r["Tên đơn vị"].strip(),
                       aliases=tuple(a.strip() for a in (r["Tên viết tắt"] or "").split(";") if a.strip()),
                       kind=r["Loại"].strip(), everywhere=r["Có ở"].strip() == "mọi tỉnh",
                       note=(r["Ghi chú"] or "").strip()) for r in rows]


def choose(every: list[Department], *, with_optional: bool, skip: tuple[str, ...] = ()) -> list[Department]:
    """The departments to offer: those every province has (and the optional ones if asked), less `skip`
    (each a name or abbreviation of the list; an unknown one is refused, naming the list)."""
    keys = {name_key(n): d.name for d in every for n in (d.name, *d.aliases)}
    skipped = set()
    for written in skip:
        found = keys.get(name_key(written))
        if found is None:
            raise UserError(f"«{written}» không có trong danh sách gợi ý; --skip nhận tên hoặc tên viết tắt trong "
                            "danh sách: " + "; ".join(d.name for d in every))
        skipped.add(found)
    return [d for d in every if (d.everywhere or with_optional) and d.name not in skipped]


def _city(name: str) -> str:
    return name.replace(" tỉnh", " thành phố")
