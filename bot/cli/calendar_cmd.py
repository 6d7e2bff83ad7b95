"""`nhacviec calendar`: the reporting periods of a year under the default regime."""

from __future__ import annotations

import click

from bot.calendar import periods_for_year, working_days_before
from bot.cli.context import CliContext, echo_json, pass_cli

NUDGE_OFFSETS = (7, 3, 1)


@click.command("calendar")
@click.option("--year", type=click.IntRange(1900, 2200), help="Năm cần xem (mặc định: năm nay).")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON thay vì bảng.")
@pass_cli
def command(ctx: CliContext, year: int | None, as_json: bool) -> None:
    """Lịch kỳ báo cáo của một năm: quý, 6 tháng, năm, với hạn chót ("trước ngày 05 của tháng cuối quý").

    The cutoff is the first day on which a report is late; the nudge days are working days
    (weekends and Vietnamese public holidays skipped).
    """
    year = year or ctx.now().year
    periods = periods_for_year(year)
    if as_json:
        echo_json([p.to_json() for p in periods])
        return
    click.echo(f"Lịch báo cáo năm {year} (hạn: báo cáo trước ngày này; nhắc trước 7, 3, 1 ngày làm việc)")
    click.echo(f"{'Kỳ':<9} {'Tên kỳ':<22} {'Từ':<11} {'Đến':<11} {'Hạn':<11} Ngày nhắc")
    for p in periods:
        nudges = ", ".join(working_days_before(p.cutoff, n).strftime("%d/%m") for n in NUDGE_OFFSETS)
        click.echo(
            f"{p.key:<9} {p.label_vi():<22} {p.start:%d/%m/%Y} {p.end:%d/%m/%Y} "
            f"{p.cutoff:%d/%m/%Y} {nudges}"
        )
