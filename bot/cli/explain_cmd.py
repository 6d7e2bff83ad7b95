"""`nhacviec explain`: show how the bot reads what people write (a timeframe cell, ...).

The group is `command`; each subcommand is a plain click command. To add one (for example `explain
status`), write it in its own module and register it with one line in `SUBCOMMANDS` below: its module is
imported only when that subcommand runs or shows its help (`explain timeframe` does not load the reply
reader), like the top-level commands:

    # bot/cli/explain_status_cmd.py
    @click.command("status")
    @click.argument("text")
    @pass_cli
    def command(ctx: CliContext, text: str) -> None: ...

    # here
    SUBCOMMANDS = {"status": ("bot.cli.explain_status_cmd", "Đọc một câu trả lời của cán bộ: ...")}

The group itself is registered in bot/cli/__init__.py like every other command module.
"""

from __future__ import annotations

import click

from bot.cli import LazyGroup
from bot.cli.context import CliContext, echo_json, pass_cli

# name -> (module holding `command`, the line `nhacviec explain --help` shows)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "status": (
        "bot.cli.explain_status_cmd",
        "Đọc một câu trả lời của cán bộ: tình trạng, tỷ lệ %, ngày dự kiến xong, khó khăn vướng mắc.",
    ),
}


@click.group("explain", cls=LazyGroup, lazy=SUBCOMMANDS, shorten=True)
def command() -> None:
    """Giải thích cách bot hiểu nội dung người dùng viết (thời hạn, ...)."""


@command.command("timeframe")
@click.argument("text", nargs=-1, required=True)
@click.option("--plan-year", type=click.IntRange(1900, 2199), help="Năm của kế hoạch (mặc định: năm nay).")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def timeframe(ctx: CliContext, text: tuple[str, ...], plan_year: int | None, as_json: bool) -> None:
    """Đọc một ô "Thời gian thực hiện": hạn chót, tính lặp lại, đã hoàn thành hay chưa.

    Ví dụ: nhacviec explain timeframe "Quý II/2026" --json
    Nội dung bắt đầu bằng dấu "-": đặt tuỳ chọn trước, rồi "--", rồi nội dung:
    nhacviec explain timeframe --json -- "- (1): 31/5/2026"
    """
    from bot.readers.timeframe import parse_timeframe  # here: `explain status` and `explain --help` need not load it

    year = plan_year or ctx.now().year
    result = parse_timeframe(" ".join(text), year)
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(result.describe_vi())
    click.echo(f"(Năm kế hoạch: {year})")
