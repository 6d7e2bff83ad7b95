"""`nhacviec units add-communes` and `nhacviec units starter`: reference lists offered to the coordinator.

Subcommands of the `units` group (`units_cmd.py` adds them), kept apart from the directory's own commands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from bot.cli.context import CliContext, echo_json, pass_cli

if TYPE_CHECKING:  # the offer writes through storage (SQLAlchemy): loaded when a command runs, not for `--help`
    from bot.datasets.offer import OfferResult


@click.command("add-communes")
@click.option("--province", required=True, help='Tỉnh, thành phố (34 đơn vị từ 01/7/2025), ví dụ "Sơn La".')
@click.option("--group", default="UBND cấp xã", show_default=True, help="Nhóm đơn vị để thêm các xã, phường vào.")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def add_communes_cmd(ctx: CliContext, province: str, group: str, dry_run: bool, as_json: bool) -> None:
    """Đăng ký «UBND xã/phường …» của một tỉnh từ dữ liệu đơn vị hành chính 2025 (chạy lại không tạo trùng)."""
    from bot.datasets.communes import communes, find_province, source
    from bot.datasets.offer import offer_units

    found = find_province(province)
    listed = communes(found)
    offered = [replace(c.offered(), groups=(group,)) for c in listed]
    result = ctx.database().call(offer_units, units=offered, now=ctx.now(), dry_run=dry_run)
    kinds = Counter(c.kind for c in listed)
    if as_json:
        echo_json({"province": found.short, "group": group, "source": source(), "communes": len(listed),
                   "kinds": dict(kinds), **result.to_json()})
        return
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    where = found.title[:1].upper() + found.title[1:]
    click.echo(f"{where} có {len(listed)} đơn vị cấp xã ({counted}); nguồn: {source()}.")
    click.echo(_outcome(result, group))


@click.command("starter")
@click.option("--province", required=True, help='Tỉnh, thành phố, ví dụ "Sơn La" (tên «… tỉnh» đổi theo).')
@click.option("--group", default="Các sở, ban, ngành", show_default=True, help="Nhóm đơn vị để thêm các sở vào.")
@click.option("--with-optional", is_flag=True, help="Thêm cả các sở chỉ có ở một số tỉnh (Sở Dân tộc và Tôn giáo...).")
@click.option("--with-centre", is_flag=True,
              help="Thêm cả cơ quan trung ương, đơn vị khác trên địa bàn (Công an tỉnh, BHXH tỉnh, Thuế tỉnh...), "
                   "vào nhóm riêng «Cơ quan trung ương, đơn vị khác trên địa bàn».")
@click.option("--skip", multiple=True, help="Bỏ một sở trong danh sách (tên hoặc tên viết tắt); lặp lại được.")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def starter_cmd(ctx: CliContext, province: str, group: str, with_optional: bool, with_centre: bool,
                skip: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Gợi ý các sở, ngành thường có của một tỉnh sau sắp xếp 2025, với tên viết tắt; đơn vị đã có giữ nguyên."""
    from bot.datasets.departments import choose, departments
    from bot.datasets.offer import offer_units

    name, city = _province(province)
    chosen = [d.for_province(name=name, city=city)
              for d in choose(departments(), with_optional=with_optional, with_centre=with_centre, skip=skip)]
    result = ctx.database().call(offer_units, units=[d.offered(group) for d in chosen], now=ctx.now(),
                                 dry_run=dry_run)
    if as_json:
        echo_json({"province": province, "group": group, "offered": [
            {"name": d.name, "aliases": list(d.aliases), "kind": d.kind, "note": d.note} for d in chosen],
            **result.to_json()})
        return
    for d in chosen:
        mark = "+" if d.name in result.added else "="
        click.echo(f" {mark} {d.name}" + (f" ({'; '.join(d.aliases)})" if d.aliases else "")
                   + (f" — {d.note}" if d.note else ""))
    groups = sorted({g for d in chosen for g in d.offered(group).groups})
    click.echo(_outcome(result, " và ".join(f"«{g}»" for g in groups), quoted=True))


def _province(written: str) -> tuple[str, bool]:
    """(short name, a centrally-run city?) by the dataset when installed, else by how the name is written."""
    from bot.base.errors import UserError
    from bot.base.text import fold
    from bot.datasets.communes import INSTALL_HINT, find_province, strip_prefix

    try:
        found = find_province(written)
    except UserError as exc:
        if INSTALL_HINT not in str(exc):
            raise
        return strip_prefix(written), fold(written).startswith(("thanh pho ", "tp "))
    return found.short, found.city


def _outcome(result: OfferResult, group: str, *, quoted: bool = False) -> str:
    head = "Chạy thử, chưa ghi gì: sẽ thêm" if result.dry_run else "Đã thêm"
    line = f"{head} {len(result.added)} đơn vị vào nhóm {group if quoted else f'«{group}»'}"
    if result.joined:
        line += f"; {len(result.joined)} đơn vị đã có {'sẽ được' if result.dry_run else 'được'} đưa vào nhóm"
    if result.existing:
        line += f"; {len(result.existing)} đơn vị đã có sẵn, giữ nguyên"
    return line + "."
