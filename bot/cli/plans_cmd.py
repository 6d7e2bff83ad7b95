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
