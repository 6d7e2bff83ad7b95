"""`nhacviec tasks list`: tasks of a plan or of a unit."""

from __future__ import annotations

import click
from sqlmodel import Session

from bot.cli.context import CliContext, echo_json, pass_cli
from storage.plans import TaskView, list_tasks


@click.group("tasks")
def command() -> None:
    """Nhiệm vụ đã nhập."""


@command.command("list")
@click.option("--plan", help="Kế hoạch: mã (id), số hoặc một phần tên.")
@click.option("--unit", help="Đơn vị: tên, tên viết tắt hoặc tên nhóm.")
@click.option("--all", "include_inactive", is_flag=True, help="Gồm cả nhiệm vụ đã ngừng theo dõi.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def list_cmd(ctx: CliContext, plan: str | None, unit: str | None, include_inactive: bool, as_json: bool) -> None:
    """Danh sách nhiệm vụ, lọc theo kế hoạch hoặc đơn vị."""
    from bot.directory.service import unit_ids_for

    def run(*, session: Session) -> list[TaskView]:
        unit_ids = unit_ids_for(session=session, name=unit) if unit else None
        return list_tasks(session=session, plan=plan, unit_ids=unit_ids, include_inactive=include_inactive)

    tasks = ctx.database().call(run)
    if as_json:
        echo_json([t.to_json() for t in tasks])
        return
    if not tasks:
        click.echo("Không có nhiệm vụ nào khớp.")
        return
    for t in tasks:
        mark = " ✓" if t.completed else ""
        lead = "; ".join(t.lead) or "(chưa có đơn vị chủ trì)"
        click.echo(f"[{t.plan_id}] {t.code:<10} {t.title[:70]}{mark}")
        click.echo(f"      chủ trì: {lead} · thời hạn: {t.timeframe or '-'}")
