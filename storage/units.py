"""Queries about units, their aliases and their groups (keyword-only, a session passed in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlalchemy import insert as insert_statement
from sqlmodel import Session, col, select

from bot.base.errors import UserError
from bot.base.text import normalize_name
from storage import tally
from storage.models import (
    ChatBinding,
    Invite,
    Member,
    MessageLink,
    Nudge,
    Plan,
    StatusReport,
    TaskAssignment,
    Unit,
    UnitAlias,
    UnitGroup,
    UnitGroupMember,
)


@dataclass
class UnitView:
    id: int
    name: str
    kind: str | None
    parent: str | None
    aliases: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    head: str | None = None
    archived: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "parent": self.parent,
            "aliases": self.aliases, "groups": self.groups, "head": self.head, "archived": self.archived,
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
    existing = find_unit(session=session, name=name)
    if existing is not None:
        if existing.archived_at is not None:
            raise UserError(f"Đơn vị «{existing.name}» đã có và đang lưu trữ; để dùng lại, ghi đơn vị đó trong danh "
                            "mục rồi nhập: nhacviec units import DANH_MUC.csv")
        raise UserError(f"Đơn vị «{name}» đã có (trùng tên hoặc tên viết tắt). Thêm tên khác: nhacviec units alias; "
                        "thêm vào nhóm: nhacviec units group add.")
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


def list_units(*, session: Session, include_archived: bool = False) -> list[UnitView]:
    """Every unit with its aliases and groups, in three queries whatever the count."""
    query = select(Unit).order_by(Unit.name)
    if not include_archived:
        query = query.where(col(Unit.archived_at).is_(None))
    units = list(session.exec(query))
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
            head=u.head, archived=u.archived_at is not None,
        )
        for u in units
    ]



def require_unit(*, session: Session, name: str) -> Unit:
    """A unit by name or alias, or a message saying how to see the registered names."""
    unit = find_unit(session=session, name=name)
    if unit is None:
        raise UserError(f"Không tìm thấy đơn vị «{name}». Xem danh sách: nhacviec units list")
    return unit


def require_group(*, session: Session, name: str) -> UnitGroup:
    group = session.exec(select(UnitGroup).where(UnitGroup.normalized_name == normalize_name(name))).first()
    if group is None:
        raise UserError(f"Không tìm thấy nhóm «{name}». Xem danh sách nhóm: nhacviec units group list")
    return group


def remove_alias(*, session: Session, unit: Unit, alias: str) -> bool:
    """Drop one of a unit's aliases; False when the unit had no such alias."""
    rows = session.exec(select(UnitAlias).where(UnitAlias.unit_id == unit.id,
                                                UnitAlias.normalized_alias == normalize_name(alias))).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return bool(rows)


def rename_unit(*, session: Session, unit: Unit, new_name: str, keep_old_as_alias: bool = True) -> str:
    """Give a unit a new name; the old one stays as an alias (plans already written with it still resolve)."""
    new_name = " ".join(new_name.split())
    if not new_name:
        raise UserError("Tên mới không được để trống.")
    owner = find_unit(session=session, name=new_name)
    if owner is not None and owner.id != unit.id:
        raise UserError(f"Tên «{new_name}» đã là tên hoặc tên viết tắt của đơn vị «{owner.name}». "
                        "Muốn gộp hai đơn vị: nhacviec units merge.")
    old = unit.name
    for row in session.exec(select(UnitAlias).where(UnitAlias.unit_id == unit.id,
                                                    UnitAlias.normalized_alias == normalize_name(new_name))):
        session.delete(row)
    unit.name = new_name
    unit.normalized_name = normalize_name(new_name)
    session.add(unit)
    session.flush()
    if keep_old_as_alias:
        add_alias(session=session, unit=unit, alias=old)
    return old


def set_unit_details(*, session: Session, unit: Unit, kind: str | None = None, head: str | None = None,
                     parent: Unit | None = None) -> bool:
    """Set what is given (None leaves a field as it is); True when something changed."""
    changed = False
    for attr, value in (("kind", kind), ("head", head), ("parent_id", parent.id if parent else None)):
        if value is not None and getattr(unit, attr) != value:
            setattr(unit, attr, value)
            changed = True
    if parent is not None and parent.id == unit.id:
        raise UserError(f"Đơn vị «{unit.name}» không thể là cấp trên của chính nó.")
    if unit.archived_at is not None:
        unit.archived_at = None  # listed again: it is back in the directory
        changed = True
    if changed:
        session.add(unit)
        session.flush()
    return changed


def leave_group(*, session: Session, unit: Unit, group: UnitGroup) -> bool:
    row = session.get(UnitGroupMember, (group.id, unit.id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


@dataclass
class GroupView:
    name: str
    members: list[str]

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "members": self.members}


def list_groups(*, session: Session) -> list[GroupView]:
    members: dict[int, list[str]] = {}
    rows = session.exec(select(UnitGroupMember.group_id, Unit.name).join(Unit, Unit.id == UnitGroupMember.unit_id)
                        .where(col(Unit.archived_at).is_(None)).order_by(Unit.name))
    for group_id, name in rows:
        members.setdefault(group_id, []).append(name)
    return [GroupView(g.name, members.get(g.id or 0, []))
            for g in session.exec(select(UnitGroup).order_by(UnitGroup.name))]


@dataclass
class History:
    """What hangs on a unit besides its names: what a merge moves and what makes a removal an archive."""

    reports: int
    members: int
    chats: int
    tasks: int

    @property
    def any(self) -> bool:
        return bool(self.reports or self.members or self.chats)


def unit_history(*, session: Session, unit_id: int) -> History:
    def count(model: type, column: object) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(column == unit_id)).one())

    return History(
        reports=count(StatusReport, StatusReport.unit_id), members=count(Member, Member.unit_id),
        chats=count(ChatBinding, ChatBinding.unit_id),
        tasks=int(session.exec(select(func.count(func.distinct(TaskAssignment.task_id)))
                               .where(TaskAssignment.unit_id == unit_id)).one()),
    )


def merge_units(*, session: Session, keep: Unit, other: Unit) -> History:
    """Move everything of `other` to `keep` (reports, members, chats, invites, tasks, groups, names), then delete
    `other`. Reports both units gave for one task and period keep every version, renumbered in time order."""
    if keep.id == other.id:
        raise UserError(f"«{keep.name}» và «{other.name}» là cùng một đơn vị.")
    assert keep.id is not None and other.id is not None
    moved = unit_history(session=session, unit_id=other.id)
    _merge_reports(session, keep.id, other.id)
    session.execute(update(Member).where(col(Member.unit_id) == other.id).values(unit_id=keep.id))
    kept_chats = {(b.platform, b.chat_id, b.role) for b in session.exec(
        select(ChatBinding).where(ChatBinding.unit_id == keep.id))}
    for binding in session.exec(select(ChatBinding).where(ChatBinding.unit_id == other.id)).all():
        if (binding.platform, binding.chat_id, binding.role) in kept_chats:
            session.delete(binding)  # the same chat was bound to both: one binding is enough
        else:
            binding.unit_id = keep.id
            session.add(binding)
    kept_roles = set(session.exec(select(TaskAssignment.task_id, TaskAssignment.role)
                                  .where(TaskAssignment.unit_id == keep.id)))
    for row in session.exec(select(TaskAssignment).where(TaskAssignment.unit_id == other.id)).all():
        if (row.task_id, row.role) in kept_roles or (row.task_id, "lead") in kept_roles:
            session.delete(row)
        else:
            row.unit_id = keep.id
            session.add(row)
    for model in (Invite, MessageLink, Nudge):
        session.execute(update(model).where(col(model.unit_id) == other.id).values(unit_id=keep.id))
    session.execute(update(Plan).where(col(Plan.coordinator_unit_id) == other.id).values(coordinator_unit_id=keep.id))
    session.execute(update(Unit).where(col(Unit.parent_id) == other.id).values(parent_id=keep.id))
    groups = set(session.exec(select(UnitGroupMember.group_id).where(UnitGroupMember.unit_id == keep.id)))
    for member in session.exec(select(UnitGroupMember).where(UnitGroupMember.unit_id == other.id)).all():
        group_id = member.group_id
        session.delete(member)
        if group_id not in groups:
            session.flush()
            session.add(UnitGroupMember(group_id=group_id, unit_id=keep.id))
    aliases = [a.alias for a in session.exec(select(UnitAlias).where(UnitAlias.unit_id == other.id))]
    session.execute(delete(UnitAlias).where(col(UnitAlias.unit_id) == other.id))
    keep.head = keep.head or other.head
    keep.kind = keep.kind or other.kind
    session.add(keep)
    session.flush()
    tally.forget_unit(session, unit_id=other.id)
    session.delete(other)
    session.flush()
    tally.refresh_everywhere(session, unit_ids=[keep.id])
    for alias in (other.name, *aliases):
        add_alias(session=session, unit=keep, alias=alias)
    return moved


def _merge_reports(session: Session, keep_id: int, other_id: int) -> None:
    """Move the reports; where both units reported one (task, period), interleave the versions by time."""
    keys = {(r.task_id, r.period_id) for r in session.exec(select(StatusReport).where(StatusReport.unit_id == keep_id))}
    clashes: set[tuple[int, int | None]] = set()
    for report in session.exec(select(StatusReport).where(StatusReport.unit_id == other_id)).all():
        if (report.task_id, report.period_id) in keys:
            clashes.add((report.task_id, report.period_id))
    offset = 1_000_000  # moved versions first step aside, so the unique (task, unit, period, version) never clashes
    session.execute(update(StatusReport).where(col(StatusReport.unit_id) == other_id)
                    .values(unit_id=keep_id, version=StatusReport.version + offset))
    session.flush()
    for task_id, period_id in clashes:
        rows = sorted(session.exec(select(StatusReport).where(
            StatusReport.task_id == task_id, StatusReport.unit_id == keep_id,
            StatusReport.period_id == period_id)).all(), key=lambda r: (r.created_at, r.id))
        for index, row in enumerate(rows, start=1):
            row.version = -index  # two passes: negative first, so no intermediate state clashes
            session.add(row)
        session.flush()
        standing = rows[-1].id
        for index, row in enumerate(rows, start=1):
            row.version = index
            row.current = row.id == standing
            session.add(row)
        session.flush()
    session.execute(update(StatusReport).where(col(StatusReport.unit_id) == keep_id,
                                               col(StatusReport.version) > offset)
                    .values(version=StatusReport.version - offset))
    session.flush()


def remove_unit(*, session: Session, unit: Unit, now: datetime) -> tuple[str, History]:
    """Delete a unit that has no history; archive one that has (reports, members, chats stay for the record):
    it leaves its tasks, its groups and its chats, and no longer resolves, lists or gets nudged."""
    assert unit.id is not None
    history = unit_history(session=session, unit_id=unit.id)
    session.execute(delete(TaskAssignment).where(col(TaskAssignment.unit_id) == unit.id))
    session.execute(delete(UnitGroupMember).where(col(UnitGroupMember.unit_id) == unit.id))
    tally.refresh_everywhere(session, unit_ids=[unit.id])
    if not history.any:
        session.execute(delete(UnitAlias).where(col(UnitAlias.unit_id) == unit.id))
        for model in (Invite, Nudge):
            session.execute(delete(model).where(col(model.unit_id) == unit.id))
        session.execute(update(Plan).where(col(Plan.coordinator_unit_id) == unit.id).values(coordinator_unit_id=None))
        session.execute(update(Unit).where(col(Unit.parent_id) == unit.id).values(parent_id=None))
        session.delete(unit)
        session.flush()
        return "deleted", history
    session.execute(update(ChatBinding).where(col(ChatBinding.unit_id) == unit.id, col(ChatBinding.active))
                    .values(active=False, inactive_reason="đơn vị đã lưu trữ"))
    unit.archived_at = now
    session.add(unit)
    session.flush()
    return "archived", history


def directory_rows(*, session: Session) -> tuple[list[tuple[int, str, list[str]]], list[tuple[str, list[int]]]]:
    """What name resolution needs, in three queries: (id, name, aliases) of every unit not archived, and
    (name, member ids) of every group."""
    aliases: dict[int, list[str]] = {}
    for alias in session.exec(select(UnitAlias)):
        aliases.setdefault(alias.unit_id, []).append(alias.alias)
    units = [(u.id or 0, u.name, aliases.get(u.id or 0, [])) for u in session.exec(
        select(Unit).where(col(Unit.archived_at).is_(None)).order_by(Unit.id))]
    live = {unit_id for unit_id, _, _ in units}
    members: dict[int, list[int]] = {}
    for group_id, unit_id in session.exec(select(UnitGroupMember.group_id, UnitGroupMember.unit_id)):
        if unit_id in live:
            members.setdefault(group_id, []).append(unit_id)
    groups = [(g.name, sorted(members.get(g.id or 0, [])))
              for g in session.exec(select(UnitGroup).order_by(UnitGroup.id))]
    return units, groups


@dataclass
class DirectoryEntry:
    """One row of a directory file, already checked: what to create or update (the caller matched names)."""

    name: str
    unit_id: int | None  # the registered unit this row updates; None creates one
    aliases: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    kind: str | None = None
    head: str | None = None
    parent_entry: int | None = None  # the parent is another row of the file (its index) ...
    parent_id: int | None = None  # ... or a registered unit


def apply_directory(*, session: Session, entries: Sequence[DirectoryEntry], now: datetime
                    ) -> tuple[list[str], list[str], list[str]]:
    """Create and update units, aliases, groups and memberships in a few bulk statements whatever the count;
    an archived unit listed again comes back. Returns the names (created, updated, unchanged)."""
    new = [{"name": " ".join(e.name.split()), "normalized_name": normalize_name(e.name), "kind": e.kind,
            "head": e.head, "created_at": now} for e in entries if e.unit_id is None]
    if new:  # one executemany (the ORM would flush a thousand objects one by one), then read back by name
        session.execute(insert_statement(Unit), new)
    units = {u.id: u for u in session.exec(select(Unit))}
    by_name = {u.name: u for u in units.values()}
    fresh = [by_name[row["name"]] for row in new]
    made = iter(fresh)
    rows = [units[e.unit_id] if e.unit_id is not None else next(made) for e in entries]
    created = {id(u) for u in fresh}
    changed: set[int] = set()
    for entry, unit in zip(entries, rows, strict=True):
        parent = rows[entry.parent_entry].id if entry.parent_entry is not None else entry.parent_id
        for attr, value in (("kind", entry.kind), ("head", entry.head), ("parent_id", parent)):
            if value is not None and getattr(unit, attr) != value:
                setattr(unit, attr, value)
                changed.add(id(unit))
        if unit.archived_at is not None:
            unit.archived_at = None
            changed.add(id(unit))
    taken = {a.normalized_alias: a.unit_id for a in session.exec(select(UnitAlias))}
    aliases: list[dict[str, object]] = []
    for entry, unit in zip(entries, rows, strict=True):
        for alias in entry.aliases:
            alias = " ".join(alias.split())
            key = normalize_name(alias)
            if not key or key == unit.normalized_name or taken.get(key) == unit.id:
                continue
            if key in taken:
                raise UserError(f"Tên viết tắt «{alias}» đã thuộc về một đơn vị khác.")
            taken[key] = unit.id or 0
            aliases.append({"unit_id": unit.id, "alias": alias, "normalized_alias": key})
            changed.add(id(unit))
    if aliases:
        session.execute(insert_statement(UnitAlias), aliases)
    groups = {g.normalized_name: g.id for g in session.exec(select(UnitGroup))}
    missing = {normalize_name(g): " ".join(g.split()) for e in entries for g in e.groups}.items()
    new_groups = [UnitGroup(name=name, normalized_name=key) for key, name in missing if key not in groups]
    session.add_all(new_groups)
    session.flush()
    groups.update({g.normalized_name: g.id for g in new_groups})
    members = set(session.exec(select(UnitGroupMember.group_id, UnitGroupMember.unit_id)))
    joins: list[dict[str, object]] = []
    for entry, unit in zip(entries, rows, strict=True):
        for group in entry.groups:
            pair = (groups[normalize_name(group)], unit.id)
            if pair not in members:
                members.add(pair)
                joins.append({"group_id": pair[0], "unit_id": pair[1]})
                changed.add(id(unit))
    if joins:
        session.execute(insert_statement(UnitGroupMember), joins)
    session.add_all(rows)
    session.flush()
    return ([u.name for u in rows if id(u) in created], [u.name for u in rows if id(u) in changed - created],
            [u.name for u in rows if id(u) not in changed and id(u) not in created])
