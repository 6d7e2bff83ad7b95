"""`nhacviec units ...`: the unit directory: add, list, import and export a file, alias, rename, merge, remove,
and group membership. Every change re-resolves the tasks whose plans' unit names now mean something else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.base.errors import UserError
from bot.cli.context import CliContext, echo_json, pass_cli

if TYPE_CHECKING:  # storage (SQLAlchemy) loads in the commands that use it: `units --help` needs no database
    from sqlmodel import Session


@click.group("units")
def command() -> None:
    """Đơn vị (sở, phòng, xã, ...): danh mục, tên gọi khác, nhóm; nhập và xuất tệp danh mục."""


def _say(outcome: object, as_json: bool) -> None:
    from bot.directory.service import Outcome

    assert isinstance(outcome, Outcome)
    if as_json:
        echo_json(outcome.to_json())
    else:
        click.echo(outcome.message)


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
    from bot.directory.service import reresolve
    from storage.units import add_unit

    def run(*, session: Session) -> tuple[str, int | None, int]:
        unit = add_unit(session=session, name=name, kind=kind, parent=parent, aliases=aliases, groups=groups,
                        now=ctx.now())
        return unit.name, unit.id, reresolve(session=session)

    added, unit_id, changed = ctx.database().call(run)
    click.echo(f"Đã thêm đơn vị «{added}» (mã {unit_id})" + (f"; {changed} nhiệm vụ được gán lại đơn vị." if changed
                                                             else "."))


@command.command("list")
@click.option("--all", "include_archived", is_flag=True, help="Gồm cả đơn vị đã lưu trữ.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def list_cmd(ctx: CliContext, include_archived: bool, as_json: bool) -> None:
    """Danh sách đơn vị, tên viết tắt và nhóm."""
    from storage.units import list_units

    units = ctx.database().call(list_units, include_archived=include_archived)
    if as_json:
        echo_json([u.to_json() for u in units])
        return
    if not units:
        click.echo("Chưa có đơn vị nào. Thêm bằng: nhacviec units add \"Tên đơn vị\" --alias VIETTAT, "
                   "hoặc nhập cả danh mục: nhacviec units import DANH_MUC.csv")
        return
    for u in units:
        extra = []
        if u.aliases:
            extra.append("viết tắt: " + ", ".join(u.aliases))
        if u.groups:
            extra.append("nhóm: " + "; ".join(u.groups))
        if u.archived:
            extra.append("đã lưu trữ")
        click.echo(f"{u.id:>4}  {u.name}" + (f"  ({' | '.join(extra)})" if extra else ""))


@command.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def import_cmd(ctx: CliContext, file: Path, dry_run: bool, as_json: bool) -> None:
    """Nhập danh mục đơn vị từ tệp .csv (UTF-8) hoặc .xlsx: cột «Tên đơn vị» (bắt buộc), «Tên gọi khác» /
    «Tên viết tắt», «Nhóm» (nhiều giá trị cách nhau bởi «;»), «Loại», «Đơn vị cấp trên», «Lãnh đạo».

    Nhập lại cùng tệp chỉ cập nhật, không nhân đôi; sai một dòng thì không ghi gì.
    """
    from bot.cli.import_cmd import read_file
    from bot.directory.file import read_directory
    from bot.directory.service import import_directory

    rows = read_directory(read_file(file, ctx.settings.max_upload_mb), file.name)
    with ctx.database().session() as session:
        result = import_directory(session=session, rows=rows, now=ctx.now())
        if dry_run:
            session.rollback()
    if as_json:
        echo_json({"dry_run": dry_run, "rows": len(rows), **result.to_json()})
    else:
        click.echo(result.summary_vi(dry_run=dry_run))


@command.command("export")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp ghi ra (.csv hoặc .xlsx); mặc định in CSV ra màn hình.")
@pass_cli
def export_cmd(ctx: CliContext, out: Path | None) -> None:
    """Xuất danh mục đơn vị đúng mẫu của «units import» (nhập lại không thay đổi gì)."""
    from bot.directory.file import write_directory
    from bot.directory.service import export_rows

    rows = ctx.database().call(export_rows)
    if out is None:
        click.echo(write_directory(rows).decode("utf-8").lstrip("\ufeff"), nl=False)
        return
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(f"Tệp «{out.name}» phải có đuôi .csv hoặc .xlsx.")
    out.write_bytes(write_directory(rows, xlsx=out.suffix.lower() == ".xlsx"))
    click.echo(f"Đã xuất {len(rows)} đơn vị ra «{out}».")


@command.command("alias")
@click.argument("unit")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Bỏ các tên gọi khác này thay vì thêm.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def alias_cmd(ctx: CliContext, unit: str, aliases: tuple[str, ...], remove: bool, as_json: bool) -> None:
    """Thêm (hoặc bỏ, với --remove) tên gọi khác, tên viết tắt của một đơn vị."""
    from bot.directory.service import change_aliases

    _say(ctx.database().call(change_aliases, unit=unit, aliases=aliases, remove=remove), as_json)


@command.command("rename")
@click.argument("unit")
@click.argument("new_name")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def rename_cmd(ctx: CliContext, unit: str, new_name: str, as_json: bool) -> None:
    """Đổi tên một đơn vị; tên cũ được giữ làm tên gọi khác."""
    from bot.directory.service import rename

    _say(ctx.database().call(rename, unit=unit, new_name=new_name), as_json)


@command.command("merge")
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def merge_cmd(ctx: CliContext, keep: str, others: tuple[str, ...], as_json: bool) -> None:
    """Gộp các đơn vị OTHERS vào KEEP: nhiệm vụ, báo cáo, người, nhóm chat và tên đều chuyển sang KEEP."""
    from bot.directory.service import merge

    _say(ctx.database().call(merge, keep=keep, others=others), as_json)


@command.command("remove")
@click.argument("unit")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def remove_cmd(ctx: CliContext, unit: str, as_json: bool) -> None:
    """Xóa một đơn vị; đơn vị đã có báo cáo, người hoặc nhóm chat thì được lưu trữ (giữ lịch sử)."""
    from bot.directory.service import remove

    _say(ctx.database().call(remove, unit=unit, now=ctx.now()), as_json)


@command.group("group")
def group_cmd() -> None:
    """Nhóm đơn vị ("Các sở, ban, ngành", "UBND cấp xã"): thêm, bỏ thành viên, xem danh sách."""


@group_cmd.command("add")
@click.argument("group")
@click.argument("units", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def group_add_cmd(ctx: CliContext, group: str, units: tuple[str, ...], as_json: bool) -> None:
    """Thêm các đơn vị vào một nhóm (tạo nhóm nếu chưa có)."""
    from bot.directory.service import group_members

    _say(ctx.database().call(group_members, group=group, units=units), as_json)


@group_cmd.command("remove")
@click.argument("group")
@click.argument("units", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def group_remove_cmd(ctx: CliContext, group: str, units: tuple[str, ...], as_json: bool) -> None:
    """Bỏ các đơn vị khỏi một nhóm."""
    from bot.directory.service import group_members

    _say(ctx.database().call(group_members, group=group, units=units, leave=True), as_json)


@group_cmd.command("list")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def group_list_cmd(ctx: CliContext, as_json: bool) -> None:
    """Các nhóm và đơn vị thành viên."""
    from storage.units import list_groups

    groups = ctx.database().call(list_groups)
    if as_json:
        echo_json([g.to_json() for g in groups])
        return
    if not groups:
        click.echo("Chưa có nhóm nào. Thêm bằng: nhacviec units group add \"Các sở, ban, ngành\" \"Sở Y tế\" ...")
    for g in groups:
        members = "; ".join(g.members) if g.members else "(chưa có thành viên)"
        click.echo(f"{g.name} ({len(g.members)}): {members}")


def _datasets() -> None:
    """The reference lists (communes from the 2025 dataset, the usual departments): see `units_datasets.py`."""
    from bot.cli.units_datasets import add_communes_cmd, starter_cmd

    command.add_command(add_communes_cmd)
    command.add_command(starter_cmd)


_datasets()
