"""Keep the unit directory right, then re-resolve: every change ends by recomputing the assignments of the tasks
whose plans' unit names now mean something else (an alias added, two units merged, a group filled).

Each operation returns an `Outcome`: one Vietnamese line for people, and the same facts as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from bot.base.errors import UserError
from bot.directory.file import DirectoryRow, raise_problems
from bot.directory.resolve import assign, load_unit_directory
from bot.directory.unitnames import name_key
from storage.models import Unit, UnitGroupMember
from storage.plans import sync_assignments, task_unit_names
from storage.units import (
    DirectoryEntry,
    add_alias,
    apply_directory,
    get_or_create_group,
    join_group,
    leave_group,
    list_units,
    merge_units,
    remove_alias,
    remove_unit,
    rename_unit,
    require_group,
    require_unit,
)


@dataclass
class Outcome:
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, **self.data}


def reresolve(*, session: Session, plan_id: int | None = None) -> int:
    """Recompute the assignments of every active task from the names its plan wrote; how many tasks changed."""
    directory = load_unit_directory(session=session, suggesting=False)
    answers: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[int, str, str | None]]] = {}
    wanted = {}
    for task_id, lead, support in task_unit_names(session=session, plan_id=plan_id):
        key = (tuple(lead), tuple(support))  # plans repeat the same cells: each is resolved once
        found = answers.get(key)
        if found is None:
            found = answers[key] = assign(lead, support, directory).rows
        wanted[task_id] = found
    return sync_assignments(session=session, wanted=wanted)


def _with_tasks(message: str, changed: int) -> str:
    return f"{message}; {changed} nhiệm vụ được gán lại đơn vị." if changed else f"{message}."


# --- the directory file -------------------------------------------------------------------------------------


@dataclass
class DirectoryImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    tasks_reassigned: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": len(self.unchanged),
                "tasks_reassigned": self.tasks_reassigned}

    def summary_vi(self, *, dry_run: bool = False) -> str:
        verb = "Sẽ thêm" if dry_run else "Đã thêm"
        line = (f"{verb} {len(self.created)} đơn vị, cập nhật {len(self.updated)}, giữ nguyên {len(self.unchanged)}"
                f"; {self.tasks_reassigned} nhiệm vụ {'sẽ được' if dry_run else 'được'} gán lại đơn vị.")
        return line + (" Xem trước xong, chưa ghi gì. Chạy lại không có --dry-run để nhập." if dry_run else "")


def _known_keys(session: Session) -> dict[str, tuple[int, str]]:
    """Every registered name and alias (archived units too) by matching key -> (unit id, unit name)."""
    keys: dict[str, tuple[int, str]] = {}
    for unit in list_units(session=session, include_archived=True):
        for written in (unit.name, *unit.aliases):
            keys.setdefault(name_key(written), (unit.id, unit.name))
    return keys


def check_rows(rows: Sequence[DirectoryRow], known: dict[str, tuple[int, str]]) -> list[str]:
    """Everything wrong with a directory file, each problem naming its row (nothing is written if any)."""
    problems: list[str] = []
    names: dict[str, DirectoryRow] = {}
    aliases: dict[str, DirectoryRow] = {}
    for row in rows:
        key = name_key(row.name)
        first = names.get(key)
        if first is not None:
            if {name_key(a) for a in first.aliases} != {name_key(a) for a in row.aliases}:
                problems.append(f"Dòng {row.line}: «{row.name}» đã có ở dòng {first.line} với tên gọi khác khác "
                                f"(«{'; '.join(first.aliases)}» / «{'; '.join(row.aliases)}»); "
                                "mỗi đơn vị ghi một dòng.")
            else:
                problems.append(f"Dòng {row.line}: «{row.name}» trùng với dòng {first.line}; hãy xóa một dòng.")
            continue
        names[key] = row
    file_units = {key: (row.line, row.name) for key, row in names.items()}
    for key, row in names.items():
        mine = known.get(key, (None, ""))[0]
        for alias in row.aliases:
            akey = name_key(alias)
            if akey == key:
                continue
            if akey in names:
                problems.append(f"Dòng {row.line}: tên gọi khác «{alias}» là tên của đơn vị ở dòng "
                                f"{names[akey].line} («{names[akey].name}»).")
            elif akey in aliases and aliases[akey] is not row:
                other = aliases[akey]
                problems.append(f"Dòng {row.line}: tên gọi khác «{alias}» đã dùng cho «{other.name}» "
                                f"(dòng {other.line}).")
            elif akey in known and known[akey][0] != mine:
                problems.append(f"Dòng {row.line}: tên gọi khác «{alias}» đã thuộc về đơn vị «{known[akey][1]}» "
                                "trong danh mục; hãy bỏ tên đó hoặc gộp hai đơn vị (nhacviec units merge).")
            aliases.setdefault(akey, row)
        own = {key, *(name_key(a) for a in row.aliases)}
        for group in row.groups:
            gkey = name_key(group)
            if gkey in own:
                problems.append(f"Dòng {row.line}: nhóm «{group}» là chính đơn vị «{row.name}»; một đơn vị không thể "
                                "là thành viên của chính nó.")
            elif gkey in file_units or gkey in known:
                problems.append(f"Dòng {row.line}: nhóm «{group}» trùng tên một đơn vị; hãy đặt tên nhóm khác.")
        if row.parent:
            pkey = name_key(row.parent)
            if pkey in own:
                problems.append(f"Dòng {row.line}: «{row.name}» không thể là cấp trên của chính nó.")
            elif pkey not in file_units and pkey not in known and pkey not in aliases:
                problems.append(f"Dòng {row.line}: không tìm thấy đơn vị cấp trên «{row.parent}»; hãy thêm một dòng "
                                "cho đơn vị đó.")
    return problems


def import_directory(*, session: Session, rows: Sequence[DirectoryRow], now: datetime) -> DirectoryImport:
    """Create or update every unit of the file (never duplicating), then re-resolve the tasks; all or nothing."""
    known = _known_keys(session)
    raise_problems(check_rows(rows, known))
    index = {name_key(row.name): i for i, row in enumerate(rows)}
    for i, row in enumerate(rows):  # a row may name its parent by an alias written on another row
        for alias in row.aliases:
            index.setdefault(name_key(alias), i)
    entries = []
    for row in rows:
        parent_key = name_key(row.parent) if row.parent else None
        entries.append(DirectoryEntry(
            name=row.name, unit_id=known[name_key(row.name)][0] if name_key(row.name) in known else None,
            aliases=row.aliases, groups=row.groups, kind=row.kind, head=row.head,
            parent_entry=index.get(parent_key) if parent_key else None,
            parent_id=known[parent_key][0] if parent_key and parent_key not in index else None))
    created, updated, unchanged = apply_directory(session=session, entries=entries, now=now)
    result = DirectoryImport(created=created, updated=updated, unchanged=unchanged)
    result.tasks_reassigned = reresolve(session=session)
    return result


def export_rows(*, session: Session) -> list[DirectoryRow]:
    return [DirectoryRow(line=0, name=u.name, aliases=u.aliases, groups=u.groups, kind=u.kind, parent=u.parent,
                         head=u.head) for u in list_units(session=session)]


# --- one change at a time -------------------------------------------------------------------------------------


def _owner(session: Session, written: str) -> Unit | None:
    found = load_unit_directory(session=session).resolve(written)
    return session.get(Unit, found.unit_ids[0]) if found.status == "unit" else None


def change_aliases(*, session: Session, unit: str, aliases: Sequence[str], remove: bool = False) -> Outcome:
    target = require_unit(session=session, name=unit)
    done: list[str] = []
    for alias in aliases:
        if remove:
            if remove_alias(session=session, unit=target, alias=alias):
                done.append(alias)
            continue
        owner = _owner(session, alias)
        if owner is not None and owner.id != target.id:
            raise UserError(f"«{alias}» đã là tên hoặc tên gọi khác của «{owner.name}». Nếu là cùng một đơn vị, "
                            f"hãy gộp: nhacviec units merge \"{target.name}\" \"{owner.name}\"")
        if owner is None:
            add_alias(session=session, unit=target, alias=alias)
            done.append(alias)
    changed = reresolve(session=session)
    names = ", ".join(f"«{a}»" for a in done) or "(không có gì thay đổi)"
    verb = "Đã bỏ tên gọi khác" if remove else "Đã thêm tên gọi khác"
    return Outcome(_with_tasks(f"{verb} {names} của «{target.name}»", changed),
                   {"unit": target.name, "aliases": done, "removed": remove, "tasks_reassigned": changed})


def rename(*, session: Session, unit: str, new_name: str) -> Outcome:
    target = require_unit(session=session, name=unit)
    old = rename_unit(session=session, unit=target, new_name=new_name)
    changed = reresolve(session=session)
    return Outcome(_with_tasks(f"Đã đổi tên «{old}» thành «{target.name}» (tên cũ giữ làm tên gọi khác)", changed),
                   {"unit": target.name, "old_name": old, "tasks_reassigned": changed})


def merge(*, session: Session, keep: str, others: Sequence[str]) -> Outcome:
    target = require_unit(session=session, name=keep)
    merged: list[dict[str, Any]] = []
    for name in others:
        other = require_unit(session=session, name=name)
        other_name = other.name
        moved = merge_units(session=session, keep=target, other=other)
        merged.append({"unit": other_name, "reports": moved.reports, "members": moved.members,
                       "chats": moved.chats, "tasks": moved.tasks})
    changed = reresolve(session=session)
    totals = {k: sum(m[k] for m in merged) for k in ("reports", "members", "chats", "tasks")}
    names = ", ".join(f"«{m['unit']}»" for m in merged)
    line = (f"Đã gộp {names} vào «{target.name}»: chuyển {totals['tasks']} nhiệm vụ, {totals['reports']} báo cáo, "
            f"{totals['members']} người, {totals['chats']} nhóm chat")
    return Outcome(_with_tasks(line, changed), {"unit": target.name, "merged": merged, "tasks_reassigned": changed})


def remove(*, session: Session, unit: str, now: datetime) -> Outcome:
    target = require_unit(session=session, name=unit)
    name = target.name
    how, history = remove_unit(session=session, unit=target, now=now)
    changed = reresolve(session=session)
    if how == "deleted":
        line = f"Đã xóa đơn vị «{name}»"
    else:
        line = (f"Đã lưu trữ đơn vị «{name}» (có {history.reports} báo cáo, {history.members} người, "
                f"{history.chats} nhóm chat: giữ nguyên lịch sử, không nhắc việc nữa)")
    return Outcome(_with_tasks(line, changed), {"unit": name, "result": how, "reports": history.reports,
                                                "members": history.members, "chats": history.chats,
                                                "tasks_reassigned": changed})


def group_members(*, session: Session, group: str, units: Sequence[str], leave: bool = False) -> Outcome:
    if leave:
        found = require_group(session=session, name=group)
    else:
        owner = _owner(session, group)
        if owner is not None:
            raise UserError(f"«{group}» là tên một đơn vị («{owner.name}»); hãy đặt tên nhóm khác.")
        found = get_or_create_group(session=session, name=group)
    done: list[str] = []
    for name in units:
        member = require_unit(session=session, name=name)
        if leave:
            if leave_group(session=session, unit=member, group=found):
                done.append(member.name)
        elif session.get(UnitGroupMember, (found.id, member.id)) is None:
            join_group(session=session, unit=member, group=found.name)
            done.append(member.name)
    changed = reresolve(session=session)
    total = len(session.exec(select(UnitGroupMember).where(UnitGroupMember.group_id == found.id)).all())
    verb = "Đã bỏ khỏi" if leave else "Đã thêm vào"
    line = f"{verb} nhóm «{found.name}» {len(done)} đơn vị (nhóm có {total} đơn vị)"
    return Outcome(_with_tasks(line, changed), {"group": found.name, "units": done, "members": total,
                                                "removed": leave, "tasks_reassigned": changed})


def unit_ids_for(*, session: Session, name: str) -> list[int]:
    """The units a name means (a unit, or every member of a group), or a message with the closest names."""
    found = load_unit_directory(session=session).resolve(name)
    if found.unit_ids:
        return list(found.unit_ids)
    if found.status == "empty_group":
        raise UserError(f"Nhóm «{found.matched}» chưa có đơn vị nào. Thêm bằng: nhacviec units group add "
                        f"\"{found.matched}\" \"Tên đơn vị\"")
    hint = f" Có phải: {', '.join(found.suggestions)}?" if found.suggestions else ""
    raise UserError(f"Không tìm thấy đơn vị «{name}».{hint} Xem danh sách: nhacviec units list")
