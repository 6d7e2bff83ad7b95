"""A province's usual departments after the 2025 reorganisation (`departments_2025.tsv`, the project's own list):
offered with their usual abbreviations, never imposed. Registered only on `nhacviec units starter`, previewed
with `--dry-run`; a department already registered under any name the importer accepts is left as it is."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from bot.base.errors import UserError
from bot.datasets.offer import OfferedUnit
from bot.directory.unitnames import name_key

DEPARTMENT_GROUP = "Các sở, ban, ngành"
# Agencies of the centre, the armed forces, the press and the Front are not the committee's departments: a plan's
# "Các sở, ban, ngành" must not nudge them unless the coordinator puts them there.
CENTRE_GROUP = "Cơ quan trung ương, đơn vị khác trên địa bàn"
DATA = "departments_2025.tsv"
_COLUMNS = ("Tên đơn vị", "Tên viết tắt", "Loại", "Có ở", "Ghi chú")
EVERYWHERE, SOME, CENTRE = "mọi tỉnh", "một số tỉnh", "trên địa bàn"
# On the territory, not the committee's, yet offered without --with-centre: the leads provincial plans name most.
LEAD_CENTRE = "luôn, trên địa bàn"


@dataclass(frozen=True)
class Department:
    name: str
    aliases: tuple[str, ...]
    kind: str
    where: str  # "mọi tỉnh" | "một số tỉnh" | "trên địa bàn" (not the committee's) | "luôn, trên địa bàn"
    note: str

    @property
    def everywhere(self) -> bool:
        return self.where == EVERYWHERE

    def for_province(self, *, name: str, city: bool) -> Department:
        """ "{tên}" becomes the province's name; "Văn phòng UBND tỉnh" becomes "Văn phòng UBND thành phố" in a
        centrally-run city."""
        def local(text: str) -> str:
            text = text.replace("{tên}", name)
            return _city(text) if city else text

        return Department(local(self.name), tuple(local(a) for a in self.aliases), self.kind, self.where, self.note)

    def offered(self, group: str) -> OfferedUnit:
        """As a unit in `group`, or in `CENTRE_GROUP` for an agency that is not the committee's department."""
        chosen = CENTRE_GROUP if self.where in (CENTRE, LEAD_CENTRE) else group
        return OfferedUnit(name=self.name, kind=self.kind, aliases=self.aliases, groups=(chosen,))


def departments() -> list[Department]:
    text = resources.files("bot.datasets").joinpath(DATA).read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t")
    assert tuple(rows.fieldnames or ()) == _COLUMNS, rows.fieldnames
    return [Department(name=r["Tên đơn vị"].strip(),
                       aliases=tuple(a.strip() for a in (r["Tên viết tắt"] or "").split(";") if a.strip()),
                       kind=r["Loại"].strip(), where=r["Có ở"].strip(),
                       note=(r["Ghi chú"] or "").strip()) for r in rows]


def choose(every: list[Department], *, with_optional: bool, with_centre: bool = False,
           skip: tuple[str, ...] = ()) -> list[Department]:
    """The departments to offer: those every province has (and, if asked, those of some provinces and the
    agencies on the province's territory), less `skip` (each a name or abbreviation of the list; an unknown one
    is refused, naming the list)."""
    keys = {name_key(n): d.name for d in every for n in (d.name, *d.aliases)}
    skipped = set()
    for written in skip:
        found = keys.get(name_key(written))
        if found is None:
            raise UserError(f"«{written}» không có trong danh sách gợi ý; --skip nhận tên hoặc tên viết tắt trong "
                            "danh sách: " + "; ".join(d.name for d in every))
        skipped.add(found)
    wanted = {EVERYWHERE, LEAD_CENTRE} | ({SOME} if with_optional else set()) | ({CENTRE} if with_centre else set())
    return [d for d in every if d.where in wanted and d.name not in skipped]


def _city(name: str) -> str:
    return name.replace(" tỉnh", " thành phố")
