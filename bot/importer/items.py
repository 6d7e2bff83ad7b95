"""The plain data an import produces: the plan's metadata and its items (tasks, targets, groups)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.importer.headers import PeriodColumn


@dataclass
class ParsedItem:
    """One row of an appendix, continuation rows joined, before unit names are resolved."""

    kind: str  # task | target | group
    appendix: str | None
    section: str | None
    code: str
    title: str
    where: str
    position: int
    parent_code: str | None = None
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    product: str | None = None
    target: str | None = None  # the target value for the plan year ("≥ 70%"), targets only
    timeframe: str | None = None
    deadlines: list[str] = field(default_factory=list)
    recurrence: str = "unspecified"
    completed: bool = False
    ad_hoc: bool = False
    warnings: list[str] = field(default_factory=list)
    source: str = "table"  # table | prose (read from a paragraph, see bot.importer.prose)
    line: int | None = None  # the source line of a prose item
    request: bool = False  # "Đề nghị ...": asked of a unit the issuer does not direct
    milestone: bool = False  # a TIẾN ĐỘ milestone: the coordinating unit's task
    # raw cells, kept until the plan year is known
    lead_cell: str = ""
    support_cell: str = ""
    timeframe_cell: str = ""
    period_cells: dict[int, str] = field(default_factory=dict)
    periods: list[PeriodColumn] = field(default_factory=list)
    raw_code: str = ""
    section_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "appendix": self.appendix, "section": self.section, "code": self.code,
            "parent_code": self.parent_code, "title": self.title, "lead": self.lead, "support": self.support,
            "product": self.product, "target": self.target, "timeframe": self.timeframe,
            "deadlines": self.deadlines, "recurrence": self.recurrence, "completed": self.completed,
            "ad_hoc": self.ad_hoc, "row": self.where, "warnings": self.warnings, "source": self.source,
            "line": self.line, "request": self.request,
        }


@dataclass
class PlanMeta:
    number: str | None
    title: str
    issuer: str | None
    year: int
    coordinator: str | None = None
    regimes: list[dict[str, Any]] = field(default_factory=list)
    ad_hoc: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "title": self.title, "issuer": self.issuer, "year": self.year,
            "coordinator": self.coordinator, "regimes": self.regimes, "ad_hoc": self.ad_hoc,
        }


@dataclass
class ParsedPlan:
    """A plan read from a file: no database involved."""

    meta: PlanMeta
    items: list[ParsedItem]
    warnings: list[str] = field(default_factory=list)
    source_name: str | None = None

    def counts(self) -> dict[str, int]:
        counts = {"task": 0, "target": 0, "group": 0}
        for item in self.items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return counts


def without_items(plan: ParsedPlan, codes: list[str]) -> tuple[ParsedPlan, list[str], list[str]]:
    """The plan minus the items the coordinator left out (a group takes its sub-items with it).

    Returns the plan, the codes left out (as written in the plan) and the codes asked for that the plan does not
    have; the caller refuses those."""
    asked = {c.strip().rstrip(".").casefold(): c.strip() for c in codes if c.strip().rstrip(".")}
    wanted = set(asked)
    known = {item.code.casefold() for item in plan.items}
    unknown = [written for key, written in asked.items() if key not in known]
    dropped: set[str] = set()
    kept: list[ParsedItem] = []
    for item in plan.items:  # parents come before their children
        if item.code.casefold() in wanted or (item.parent_code or "").casefold() in dropped:
            dropped.add(item.code.casefold())
            continue
        kept.append(item)
    left_out = [i.code for i in plan.items if i.code.casefold() in dropped]
    return replace(plan, items=kept), left_out, unknown
