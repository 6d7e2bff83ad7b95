"""The import service the CLI and the chat bot call: preview first, then commit in one transaction.

    preview = preview_import(data, "kehoach.docx", plan_year=None, session=session)
    text = preview.summary_vi()            # show it, ask to confirm
    result = commit_import(preview, session=session, now=now)

File parsing (`parse_plan`) never touches the database; the preview adds what the database knows
(which units are registered, whether the plan exists) and commit writes everything or nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.base.clock import local
from bot.base.text import and_more
from bot.directory.resolve import ItemAssignees, Resolution, UnitDirectory, assign, load_unit_directory
from bot.directory.unitnames import is_plausible_unit, name_key
from bot.importer.items import ParsedPlan
from bot.importer.parse import DEFAULT_MAX_BYTES, parse_plan
from bot.periods import ensure_periods
from storage.models import Plan, Unit
from storage.plans import SaveResult, find_plan, save_plan
from storage.units import add_alias, add_unit

if TYPE_CHECKING:
    from bot.directory.check import PlanCheck


@dataclass
class ImportPreview:
    """What an import would do: the parsed plan, each item's units, and every problem found."""

    plan: ParsedPlan
    assignees: dict[str, ItemAssignees]
    names: dict[int, str]
    existing_plan_id: int | None
    coordinator: Resolution | None
    warnings: list[str] = field(default_factory=list)

    @property
    def unknown_leads(self) -> list[Resolution]:
        return _unique(r for a in self.assignees.values() for r in a.unknown_lead)

    @property
    def unknown_support(self) -> list[Resolution]:
        return _unique(r for a in self.assignees.values() for r in a.unknown_support)

    def to_json(self) -> dict[str, Any]:
        plan = self.plan.meta.to_json()
        plan["coordinator_unit"] = self.coordinator.matched if self.coordinator else None
        plan["existing_plan_id"] = self.existing_plan_id
        plan["source"] = self.plan.source_name
        tasks = []
        for item in self.plan.items:
            data = item.to_json()
            found = self.assignees.get(item.code)
            if found is not None:
                data["lead_units"] = [self.names[u] for u in found.unit_ids("lead")]
                data["support_units"] = [self.names[u] for u in found.unit_ids("support")]
                data["warnings"] = [*data["warnings"],
                                    *_unknown_unit_warnings(found.unknown_lead, found.unknown_support)]
            tasks.append(data)
        unit_warnings = _unknown_unit_warnings(self.unknown_leads, self.unknown_support)
        return {
            "plan": plan, "tasks": tasks, "counts": self.plan.counts(),
            "warnings": [*unit_warnings, *self.all_warnings()],
            "unknown_units": {
                "lead": [r.to_json(self.names) for r in self.unknown_leads],
                "support": [r.to_json(self.names) for r in self.unknown_support],
            },
        }

    def all_warnings(self) -> list[str]:
        items = [f"{item.code} ({item.where}): {w}" for item in self.plan.items for w in item.warnings]
        return [*self.warnings, *items]

    def summary_vi(self, *, limit: int = 15) -> str:
        """A readable Vietnamese preview: counts, units, warnings."""
        meta = self.plan.meta
        counts = self.plan.counts()
        lines = [
            f"Kế hoạch: {meta.title}",
            f"Số: {meta.number or '(chưa có số)'} · Năm: {meta.year} · Cơ quan ban hành: {meta.issuer or '(không rõ)'}",
        ]
        if self.coordinator is not None:
            where = self.coordinator.matched or f"{self.coordinator.written} (chưa đăng ký)"
            lines.append(f"Đầu mối tổng hợp: {where}")
        lines.append(
            f"Tìm thấy {counts['task']} nhiệm vụ, {counts['target']} chỉ tiêu, {counts['group']} nhóm nhiệm vụ"
            + (f" · {sum(1 for i in self.plan.items if i.completed)} đã hoàn thành" if any(
                i.completed for i in self.plan.items) else "")
        )
        lines.append(f"Cập nhật kế hoạch đã có (mã {self.existing_plan_id})" if self.existing_plan_id
                     else "Kế hoạch mới.")
        leads = Counter(self.names[u] for a in self.assignees.values() for u in a.unit_ids("lead"))
        if leads:
            lines.append("Đơn vị chủ trì (số nhiệm vụ): " + "; ".join(f"{n} ({c})" for n, c in leads.most_common()))
        if self.unknown_leads:
            lines.append(f"⚠ {len(self.unknown_leads)} đơn vị chủ trì chưa đăng ký:")
            lines += [f"  - {_describe(r)}" for r in self.unknown_leads[:limit]]
            if more := and_more(len(self.unknown_leads), limit, "đơn vị"):
                lines.append(f"  ... {more} (xem --json).")
        if self.unknown_support:
            lines.append(f"Đơn vị phối hợp chưa đăng ký (bỏ qua): {len(self.unknown_support)}")
            lines += [f"  - {_describe(r)}" for r in self.unknown_support[:limit]]
            if more := and_more(len(self.unknown_support), limit, "đơn vị"):
                lines.append(f"  ... {more} (xem --json).")
        prose = [i for i in self.plan.items if i.source == "prose"]
        if prose:  # read from sentences: show where each came from, so a wrong reading is caught before confirming
            lines.append("Nhiệm vụ đọc từ văn bản (dòng nguồn · đơn vị chủ trì · nội dung):")
            lines += [f"  - {i.code} · dòng {i.line} · {', '.join(i.lead) or '(chưa rõ)'}"
                      f"{' (đề nghị)' if i.request else ''} · {i.title[:70]}" for i in prose[:limit]]
            if len(prose) > limit:
                lines.append(f"  ... và {len(prose) - limit} nhiệm vụ khác (xem --json).")
        warnings = self.all_warnings()
        if warnings:
            lines.append(f"Cảnh báo ({len(warnings)}):")
            lines += [f"  - {w}" for w in warnings[:limit]]
            if len(warnings) > limit:
                lines.append(f"  ... và {len(warnings) - limit} cảnh báo khác (xem --json).")
        return "\n".join(lines)


def _listed(names: list[str], limit: int, noun: str) -> str:
    """ "1.2, 3.4 và 18 mục khác": at most `limit` names, and how many more."""
    shown = ", ".join(names[:limit])
    more = and_more(len(names), limit, noun)
    return f"{shown} {more}" if more else shown


def _unique(resolutions: Any) -> list[Resolution]:
    seen: dict[str, Resolution] = {}
    for r in resolutions:
        seen.setdefault(name_key(r.written), r)  # "Các Sở, ban, ngành" and "Các sở, ban, ngành" are one
    return list(seen.values())


def _unknown_unit_warnings(leads: list[Resolution], supports: list[Resolution]) -> list[str]:
    """One warning per unknown unit name, with the closest known names."""
    return ([f"Đơn vị chủ trì chưa đăng ký: {_describe(r)}" for r in leads]
            + [f"Đơn vị phối hợp chưa đăng ký (bỏ qua): {_describe(r)}" for r in supports])


def _describe(r: Resolution) -> str:
    return f"«{r.written}»" + (f" (gần giống: {', '.join(r.suggestions)})" if r.suggestions else "")


def build_preview(parsed: ParsedPlan, directory: UnitDirectory, *, existing_plan_id: int | None) -> ImportPreview:
    assignees = {item.code: assign(item.lead, item.support, directory) for item in parsed.items}
    warnings = list(parsed.warnings)
    for found in _unique(r for a in assignees.values() for r in a.empty_groups):
        warnings.append(
            f"Nhóm «{found.matched}» chưa có đơn vị thành viên: các nhiệm vụ giao cho nhóm này chưa có ai nhận."
        )
    coordinator = directory.resolve(parsed.meta.coordinator) if parsed.meta.coordinator else None
    if coordinator is not None and coordinator.status not in ("unit",):
        warnings.append(f"Đầu mối tổng hợp «{parsed.meta.coordinator}» chưa đăng ký là đơn vị.")
    return ImportPreview(plan=parsed, assignees=assignees, names=dict(directory.names),
                         existing_plan_id=existing_plan_id, coordinator=coordinator, warnings=warnings)


def preview_import(
    data: bytes, filename: str, *, plan_year: int | None = None, session: Session, max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportPreview:
    """Read the file and match its units against the database; writes nothing."""
    directory = load_unit_directory(session=session)
    parsed = parse_plan(data, filename, plan_year=plan_year, max_bytes=max_bytes,
                        protected_names=directory.names.values())
    return preview_parsed(parsed, session=session)


def preview_parsed(parsed: ParsedPlan, *, session: Session) -> ImportPreview:
    """The preview of a plan already read (in a worker, see `bot.importer.worker`); writes nothing."""
    directory = load_unit_directory(session=session)
    existing = find_plan(session=session, number=parsed.meta.number, title=parsed.meta.title, year=parsed.meta.year)
    return build_preview(parsed, directory, existing_plan_id=existing.id if existing else None)


def unit_names(*, session: Session) -> list[str]:
    """The registered unit names, which unit cells must never be split inside (`protected_names`)."""
    return list(load_unit_directory(session=session).names.values())


@dataclass
class ImportResult:
    save: SaveResult
    created_units: list[str]
    preview: ImportPreview
    not_created: list[str] = field(default_factory=list)
    check: PlanCheck | None = None

    def to_json(self) -> dict[str, Any]:
        return {**self.save.to_json(), "created_units": self.created_units, "not_created": self.not_created,
                "warnings": self.preview.all_warnings(), "check": self.check.to_json() if self.check else None}

    def summary_vi(self) -> str:
        s = self.save
        head = "Đã tạo kế hoạch mới" if s.created_plan else "Đã cập nhật kế hoạch"
        lines = [f"{head} (mã {s.plan_id}): thêm {len(s.added)}, sửa {len(s.updated)}, "
                 f"giữ nguyên {len(s.unchanged)} mục."]
        if s.deactivated:
            lines.append(f"{len(s.deactivated)} mục không còn trong tệp đã chuyển sang «ngừng theo dõi»: "
                         + _listed(s.deactivated, 20, "mục"))
        if s.deactivated_with_reports:
            lines.append("Trong đó đã có báo cáo (giữ nguyên báo cáo): "
                         + _listed(s.deactivated_with_reports, 20, "mục"))
        if self.created_units:
            units = sum(1 for name in self.created_units if "(tên gọi khác của" not in name)
            lines.append(f"Đã đăng ký {units} đơn vị mới: " + "; ".join(self.created_units))
        if self.not_created:
            lines.append(f"Không đăng ký {len(self.not_created)} tên không phải một cơ quan, đơn vị (nhóm, doanh "
                         "nghiệp, người dân...): giữ nguyên tên trên nhiệm vụ; thêm thành viên cho nhóm bằng "
                         "nhacviec units group add.")
        if self.check is not None:
            lines.append(self.check.headline())
        return "\n".join(lines)


def commit_import(
    preview: ImportPreview, *, session: Session, now: datetime, create_units: bool = False,
) -> ImportResult:
    """Write the previewed plan: every task, whatever its unit names say. Units are matched again (they may
    have changed since the preview); a name nobody answers to is kept on the task and resolves once the
    directory knows it. `create_units` first registers the unknown names that look like organizations."""
    created: list[str] = []
    skipped: list[str] = []
    directory = load_unit_directory(session=session)
    fresh = build_preview(preview.plan, directory, existing_plan_id=preview.existing_plan_id)
    if create_units and (fresh.unknown_leads or fresh.unknown_support):
        created, skipped = register_units(
            session=session, names=[r.written for r in (*fresh.unknown_leads, *fresh.unknown_support)], now=now)
        directory = load_unit_directory(session=session)
        fresh = build_preview(preview.plan, directory, existing_plan_id=preview.existing_plan_id)
    coordinator = fresh.coordinator
    coordinator_id = coordinator.unit_ids[0] if coordinator is not None and coordinator.status == "unit" else None
    assignments = {code: found.rows for code, found in fresh.assignees.items()}
    saved = save_plan(session=session, parsed=preview.plan, assignments=assignments,
                      coordinator_unit_id=coordinator_id, now=now)
    plan = session.get(Plan, saved.plan_id)
    assert plan is not None
    ensure_periods(session=session, plan=plan, years=sorted({plan.year, local(now).year}), now=now)
    from bot.directory.check import check_plan  # the directory package builds on the importer: import late

    checked = check_plan(session=session, plan_id=saved.plan_id)
    return ImportResult(save=saved, created_units=created, preview=fresh, not_created=skipped, check=checked)


def register_units(*, session: Session, names: list[str], now: datetime) -> tuple[list[str], list[str]]:
    """Register the names that look like one organization (`--create-units`); group names, crowds ("doanh
    nghiệp", "người dân") and descriptions are left as written on their tasks. Returns (created, not created).

    Spellings of one organization are registered once: a name whose words all stand, with the same first word,
    in a longer name ("Ngân hàng nước khu vực 3" in "Ngân hàng Nhà nước Chi nhánh khu vực 3") becomes an alias
    of it, said in the result so that a wrong guess is undone with `units alias --remove`; a name that is a
    shorter one with words added at its end is an alias of the shorter one."""
    created: list[str] = []
    skipped: list[str] = []
    made: list[tuple[Unit, list[str]]] = []
    plausible: list[str] = []
    keys: set[str] = set()
    for name in dict.fromkeys(names):
        if not is_plausible_unit(name):
            skipped.append(name)
        elif name_key(name) not in keys:
            keys.add(name_key(name))
            plausible.append(name)
    words_of = {name: name_key(name).split() for name in plausible}
    # A name that is another one with words added at its end ("Sở Tư pháp tỉnh Hoa Sen", or a sentence's
    # verb kept by the reader: "Sở Khoa học và Công nghệ tiến hành") is an alias of the shorter one, which
    # stays the unit's name.
    tails = {name: base for name in plausible
             if (base := next((b for b in sorted(plausible, key=lambda n: len(words_of[n]))
                               if b != name and len(words_of[b]) >= 4
                               and words_of[name][:len(words_of[b])] == words_of[b]), None))}
    owner: dict[str, Unit] = {}
    for name in sorted((n for n in plausible if n not in tails), key=lambda n: -len(words_of[n])):
        words = words_of[name]
        twin = next((unit for unit, longer in made if len(words) >= 4 and words[0] == longer[0]
                     and set(words) <= set(longer)), None)
        if twin is not None:
            add_alias(session=session, unit=twin, alias=name)
            created.append(f"{name} (tên gọi khác của «{twin.name}»)")
            owner[name] = twin
            continue
        unit = add_unit(session=session, name=name, now=now)
        made.append((unit, words))
        owner[name] = unit
        created.append(name)
    for name, base in tails.items():
        add_alias(session=session, unit=owner[base], alias=name)
        created.append(f"{name} (tên gọi khác của «{owner[base].name}»)")
    return created, skipped
