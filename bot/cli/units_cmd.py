"""`nhacviec units ...`: register and list units."""

from __future__ import annotations

import click

from bot.cli.context import CliContext, echo_json, pass_cli
from storage.units import add_unit, list_units


@click.group("units")
def command() -> None:
    """Đơn vị (sở, phòng, xã, ...): thêm và xem danh sách."""


@command.command("add")
@click.argument("name")
@click.option("--kind", help="Loại đơn vị: sở, phòng, xã, ban, ...")
@click.option("--parent", help="Đơn vị cấp trên (tên hoặc tên viết tắt).")
@click.option("--alias", "aliases", multiple=True, help="Tên viết tắt hoặc tên khác; lặp lại được.")
@click.option("--group", "groups", multiple=True, help='Nhóm đơn vị, ví dụ "Các sở, ban, ngành"; lặp lại được.')
@pass_cli
def add_cmd(ctx: CliContext, name: str, kind: str | None, parent: str | None,
            aliases: tuple[str, ...], groups: tuple[str, ...]) -> None:
    """Thêm một đơn vị, với tên viết tắt và nhóm của nó."""
    unit = ctx.database().call(
        add_unit, name=name, kind=kind, parent=parent, aliases=aliases, groups=groups, now=ctx.now()
    )
    click.echo(f"Đã thêm đơn vị «{unit.name}» (mã {unit.id}).")


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def list_cmd(ctx: CliContext, as_json: bool) -> None:
    """Danh sách đơn vị, tên viết tắt và nhóm."""
    units = ctx.database().call(list_units)
    if as_json:
        echo_json([u.to_json() for u in units])
        return
    if not units:
        click.echo("Chưa có đơn vị nào. Thêm bằng: nhacviec units add \"Tên đơn vị\" --alias VIETTAT")
        return
    for u in units:
        extra = []
        if u.aliases:
            extra.append("viết tắt: " + ", ".join(u.aliases))
        if u.groups:
            extra.append("nhóm: " + "; ".join(u.groups))
        click.echo(f"{u.id:>4}  {u.name}" + (f"  ({' | '.join(extra)})" if extra else ""))


def _datasets() -> None:
    """The reference lists (communes from the 2025 dataset, the usual departments): see `units_datasets.py`."""
    from bot.cli.units_datasets import add_communes_cmd, starter_cmd

    command.add_command(add_communes_cmd)
    command.add_command(starter_cmd)


_datasets()
