"""`plans check`: who will not be nudged for a plan, and why (a task with no lead, a group with no member, a
unit with no chat or no head), with each task's names as the plan wrote them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot.base.text import and_more
from bot.directory.resolve import load_unit_directory
from storage.plans import plan_roster

REASONS = {"unknown": "chưa có trong danh mục", "vague": "không phải một cơ quan, đơn vị cụ thể",
           "empty_group": "nhóm chưa có thành viên"}


@dataclass
class PlanCheck:
    plan: dict[str, Any]
    tasks: int
    unassigned: list[dict[str, Any]] = field(default_factory=list)
    empty_groups: list[str] = field(default_factory=list)
    units_without_chat: list[str] = field(default_factory=list)
    units_without_head: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def headline(self, *, detail: bool = True) -> str:
        """One line: how many tasks reach someone, and the first thing to fix (`detail`: where to see more)."""
        missing = len(self.unassigned)
        parts = [f"Kiểm tra kế hoạch mã {self.plan['id']}: {self.tasks - missing}/{self.tasks} nhiệm vụ có đơn vị "
                 f"chủ trì để nhắc", f"{missing} nhiệm vụ chưa có đơn vị chủ trì"]
        if self.empty_groups:
            parts.append(f"{len(self.empty_groups)} nhóm chưa có thành viên")
        parts.append(f"{len(self.units_without_chat)} đơn vị chưa có người nhận tin")
        more = f". Chi tiết: nhacviec plans check --plan {self.plan['id']}" if detail else "."
        return "; ".join(parts) + more

    def lines_vi(self, *, limit: int = 20, chat: bool = False) -> list[str]:
        """The report as plain lines, headline first; `chat`: for the coordinator in chat (/kiemtra), where
        people are invited with /moi and the full list is on the server."""
        plan_id = self.plan["id"]
        lines = [self.headline(detail=not chat)]
        if self.unassigned:
            lines.append(f"Nhiệm vụ chưa có đơn vị chủ trì ({len(self.unassigned)}):")
            for task in self.unassigned[:limit]:
                why = "; ".join(f"«{n['written']}» ({REASONS.get(n['status'], n['status'])})" for n in task["why"])
                lines.append(f"  - {task['code']}: {task['title'][:70]} — {why or 'kế hoạch không ghi đơn vị'}")
            if more := and_more(len(self.unassigned), limit, "nhiệm vụ"):
                where = f"nhacviec plans check --plan {plan_id} --json" if chat else "--json"
                lines.append(f"  ... {more} (xem đủ: {where}).")
            statuses = {n["status"] for task in self.unassigned for n in task["why"]}
            if statuses - {"vague"}:
                lines.append(f"  Bổ sung danh mục{' trên máy chủ' if chat else ''} (nhacviec units import, units "
                             "alias, units group add): các nhiệm vụ này tự được giao, không cần nhập lại kế hoạch.")
            if "vague" in statuses or any(not task["why"] for task in self.unassigned):
                lines.append("  Tên không chỉ một đơn vị cụ thể (hoặc để trống): ghi rõ đơn vị chủ trì trong tệp kế "
                             "hoạch rồi nhập lại; nhiệm vụ và báo cáo đã có được giữ nguyên.")
        for title, names, hint in (
            ("Nhóm chưa có thành viên", self.empty_groups,
             ("trên máy chủ: " if chat else "") + "nhacviec units group add \"NHÓM\" \"ĐƠN VỊ\""),
            ("Đơn vị chưa có người nhận tin (chưa ai tham gia)", self.units_without_chat,
             "/moi cán bộ ĐƠN VỊ" if chat else "nhacviec invite --unit \"ĐƠN VỊ\" --role staff"),
            ("Đơn vị chưa có lãnh đạo tham gia (không nhắc lên cấp trên được)", self.units_without_head,
             "/moi lãnh đạo ĐƠN VỊ" if chat else "nhacviec invite --unit \"ĐƠN VỊ\" --role head"),
        ):
            if names:
                shown = "; ".join(names[:limit])
                if more := and_more(len(names), limit, "đơn vị" if "Đơn vị" in title else "nhóm"):
                    shown += f" {more}"
                lines.append(f"{title} ({len(names)}): {shown}. Cách sửa: {hint}")
        return lines


def check_plan(*, session: Session, plan_id: int) -> PlanCheck:
    roster = plan_roster(session=session, plan_id=plan_id)
    directory = load_unit_directory(session=session)
    plan = roster.plan
    result = PlanCheck(plan={"id": plan.id, "number": plan.number, "title": plan.title, "year": plan.year},
                       tasks=len(roster.tasks))
    empty: dict[str, None] = {}
    for task_id, code, title, lead, support in roster.tasks:
        for written in (*(lead or ()), *(support or ())):
            found = directory.resolve(written)
            if found.status == "empty_group" and found.matched:
                empty[found.matched] = None
        if roster.leads.get(task_id):
            continue
        why = [{"written": n, "status": directory.resolve(n).status} for n in lead or ()]
        result.unassigned.append({"code": code, "title": title, "names": list(lead or ()),
                                  "why": [w for w in why if w["status"] not in ("unit", "group")]})
    result.empty_groups = list(empty)
    leading = {unit for units in roster.leads.values() for unit in units}
    result.units_without_chat = sorted(name for uid, name in roster.units.items() if uid not in roster.with_chat)
    result.units_without_head = sorted(roster.units[uid] for uid in leading if uid not in roster.with_head)
    return result
