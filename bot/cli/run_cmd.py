"""`nhacviec run`: start the bot."""

from __future__ import annotations

import asyncio
import contextlib

import click

from bot.cli.context import CliContext, pass_cli
from bot.logs import configure_logging


@click.command("run")
@click.option("--sandbox-port", default=8081, show_default=True, type=click.IntRange(0, 65535),
              help="Cổng của sandbox Bot API cục bộ (chỉ dùng khi chưa đặt TELEGRAM_BOT_TOKEN).")
@pass_cli
def command(ctx: CliContext, sandbox_port: int) -> None:
    """Chạy bot: long polling mặc định, webhook khi đặt WEBHOOK_URL. Không có token thì chạy với sandbox cục bộ."""
    from bot.runner import serve

    settings = ctx.settings
    configure_logging(settings.log_level)
    # serve() creates or upgrades the schema, waiting while the database is unreachable or locked
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings, clock=ctx.clock, sandbox_port=sandbox_port))
