"""`nhacviec db ...`: schema upgrades."""

from __future__ import annotations

import click

from bot.cli.context import CliContext, pass_cli
from storage.database import safe_url
from storage.migrate import upgrade


@click.group("db")
def command() -> None:
    """Cơ sở dữ liệu: tạo mới hoặc nâng cấp lược đồ (database schema)."""


@command.command("upgrade")
@pass_cli
def upgrade_cmd(ctx: CliContext) -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu lên phiên bản mới nhất (an toàn khi chạy lại)."""
    db = ctx.database(migrate=False)
    before, after = upgrade(db)
    where = safe_url(db.url)
    if before == after:
        click.echo(f"Cơ sở dữ liệu {where} đã ở phiên bản mới nhất ({after}).")
    else:
        click.echo(f"Đã nâng cấp cơ sở dữ liệu {where}: {before or 'trống'} -> {after}.")


@command.command("revision", hidden=True)
@click.option("-m", "--message", required=True, help="What the migration changes.")
@pass_cli
def revision_cmd(ctx: CliContext, message: str) -> None:
    """For developers: generate a migration from the model changes (review it before committing)."""
    from storage.migrate import make_revision

    make_revision(ctx.database(migrate=False), message)
