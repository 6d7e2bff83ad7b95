"""`nhacviec explain status TEXT`: how the bot reads a staff reply ("dang lam 50% du kien xong 20/6")."""

from __future__ import annotations

from datetime import datetime

import click

from bot.cli.context import CliContext, echo_json, pass_cli
from bot.readers.status import LABELS_VI, read_reply


@click.command("status")
@click.argument("text", nargs=-1, required=True)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Ngày gửi tin nhắn, dạng 2026-06-01 (mặc định: hôm nay).")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def command(ctx: CliContext, text: tuple[str, ...], today: datetime | None, as_json: bool) -> None:
    """Đọc một câu trả lời của cán bộ: tình trạng, tỷ lệ %, ngày dự kiến xong, khó khăn vướng mắc.

    Ví dụ: nhacviec explain status "dang lam 50% du kien xong 20/6" --today 2026-06-01 --json
    """
    day = today.date() if today else ctx.now().date()
    reading = read_reply(" ".join(text), today=day)
    if as_json:
        echo_json(reading.to_json())
        return
    click.echo(reading.describe_vi())
    details = [
        ("Tình trạng", f"{LABELS_VI[reading.status]} ({reading.status})"),
        ("Tỷ lệ", f"{reading.percent}%" if reading.percent is not None else None),
        ("Ngày", f"{reading.expected_date:%d/%m/%Y}" if reading.expected_date else None),
        ("Vướng mắc", reading.blocker),
        ("Số liệu", ", ".join(q.describe_vi() for q in reading.quantities) or None),
        ("Văn bản", reading.document_ref),
        ("Cần hỏi lại", reading.reason),
        ("Lưu ý", reading.caveat),
        ("Ghi chú", reading.note),
    ]
    for label, value in details:
        if value:
            click.echo(f"  {label}: {value}")
    click.echo(f"  (Ngày gửi: {day:%d/%m/%Y})")
