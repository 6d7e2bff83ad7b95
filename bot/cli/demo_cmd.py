"""`nhacviec demo`: one quarter of the product, offline, in under a minute."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import click

from bot.base.errors import UserError


@click.command("demo")
@click.option("--plan", "plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp kế hoạch thật (.docx, .xlsx, .csv, .txt) thay cho kế hoạch mẫu.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-output"),
              show_default=True, help="Thư mục ghi cơ sở dữ liệu demo, hội thoại và các tệp tổng hợp.")
@click.option("--max-units", type=click.IntRange(1, 200), default=8, show_default=True,
              help="Số đơn vị chủ trì được mô phỏng (kế hoạch lớn có thể có hàng chục đơn vị).")
@click.option("--platform", type=click.Choice(["telegram", "zalo"]), default="telegram", show_default=True,
              help="Chạy trên Telegram (nút bấm) hay Zalo (trả lời bằng số và mã nhiệm vụ).")
def command(plan_file: Path | None, out_dir: Path, max_units: int, platform: str) -> None:
    """Chạy thử trọn một kỳ báo cáo: nhập kế hoạch, mời cán bộ, nhắc việc, trả lời, báo cáo tổng hợp.

    Không cần token hay Internet: bot thật chạy với sandbox Bot API cục bộ (Telegram, hoặc Zalo với --platform zalo),
    đồng hồ được tua nhanh.
    """
    from bot.demo.play import Demo
    from bot.demo.play_zalo import ZaloDemo

    started = time.monotonic()
    demo = (ZaloDemo if platform == "zalo" else Demo)(out_dir, click.echo, plan_file=plan_file, max_units=max_units)
    try:
        result = asyncio.run(demo.run())
    except UserError:
        raise
    click.echo("")
    click.echo(f"Xong trong {time.monotonic() - started:.1f} giây: {result.units} đơn vị, {result.bot_messages} tin "
               f"của bot, {result.reports} báo cáo được ghi ({result.late} sau hạn).")
    click.echo(f"Các tệp tổng hợp kỳ {result.period} trong {out_dir}/:")
    for path in result.files:
        click.echo(f"  {path}")
    click.echo(f"  {out_dir / 'hoi-thoai.txt'} (toàn bộ hội thoại)")
