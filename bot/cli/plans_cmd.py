"""`nhacviec plans list`: the imported plans with their task counts."""

from __future__ import annotations

import click

from bot.cli.context import CliContext, echo_json, pass_cli
from storage.plans import list_plans


@click.group("plans")
def command() -> None:
    """Kế hoạch đã nhập."""


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def list_cmd(ctx: CliContext, as_json: bool) -> None:
    """Danh sách kế hoạch: số, năm, số nhiệm vụ và chỉ tiêu."""
    plans = ctx.database().call(list_plans)
    if as_json:
        echo_json([p.to_json() for p in plans])
        return
    if not plans:
        click.echo("Chưa có kế hoạch nào. Nhập bằng: nhacviec import TỆP")
        return
    for p in plans:
        extra = f", {p.inactive} ngừng theo dõi" if p.inactive else ""
        click.echo(f"{p.id:>4}  {p.number or '(chưa số)':<16} {p.year}  {p.tasks} nhiệm vụ, {p.targets} chỉ tiêu"
                   f"{extra}  {p.title[:80]}")


@command.command("check")
@click.option("--plan", help="Kế hoạch: mã (id), số hoặc một phần tên; mặc định mọi kế hoạch đang theo dõi.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON (một đối tượng với --plan, nếu không là danh sách).")
@pass_cli
def check_cmd(ctx: CliContext, plan: str | None, as_json: bool) -> None:
    """Ai sẽ không được nhắc, vì sao: nhiệm vụ chưa có đơn vị chủ trì, nhóm chưa có thành viên, đơn vị chưa có
    người nhận tin hoặc chưa có lãnh đạo tham gia."""
    from sqlmodel import Session

    from bot.directory.check import PlanCheck, check_plan
    from storage.plans import resolve_plan

    def run(*, session: Session) -> list[PlanCheck]:
        if plan:
            return [check_plan(session=session, plan_id=resolve_plan(session=session, plan=plan).id or 0)]
        return [check_plan(session=session, plan_id=p.id) for p in list_plans(session=session) if p.active]

    checks = ctx.database().call(run)
    if as_json:
        echo_json(checks[0].to_json() if plan else [c.to_json() for c in checks])
        return
    if not checks:
        click.echo("Chưa có kế hoạch nào. Nhập bằng: nhacviec import TỆP")
    for index, found in enumerate(checks):
        if index:
            click.echo("")
        click.echo("\n".join(found.lines_vi()))
