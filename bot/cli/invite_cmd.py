"""`nhacviec invite`: a single-use, expiring invite code for a unit and role."""

from __future__ import annotations

import secrets
from datetime import timedelta

import click

from bot.base.errors import UserError
from bot.chat.units import match_unit
from bot.cli.context import CliContext, echo_json, pass_cli
from storage.members import create_invite
from storage.models import Role


@click.command("invite")
@click.option("--unit", "unit_name", required=True, help="Tên đơn vị hoặc tên viết tắt.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="staff", show_default=True,
              help="Vai trò: staff (cán bộ), head (lãnh đạo), coordinator (đầu mối), admin (quản trị).")
@click.option("--days", type=click.IntRange(1, 90), default=7, show_default=True, help="Số ngày còn hiệu lực.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def command(ctx: CliContext, unit_name: str, role: str, days: int, as_json: bool) -> None:
    """Tạo mã mời dùng một lần; người được mời gửi /start MÃ cho bot (trong chat riêng hoặc trong nhóm)."""
    now = ctx.now()
    code = secrets.token_urlsafe(9)

    def create(*, session):  # type: ignore[no-untyped-def]
        found = match_unit(session=session, written=unit_name, limit=3)
        if found.unit_id is None:
            close = "; ".join(name for _, name in found.suggested)
            hint = f" Có phải: {close}?" if close else ""
            if found.resolution.status in ("group", "empty_group"):
                hint = " Đó là một nhóm đơn vị; mã mời dành cho từng đơn vị."
            raise UserError(f"Không tìm thấy đơn vị «{unit_name}».{hint} Xem danh sách: nhacviec units list")
        invite = create_invite(session=session, unit_id=found.unit_id, role=role, code=code, now=now,
                               expires_at=now + timedelta(days=days), created_by="cli")
        return found.members[0][1], invite.expires_at

    unit, expires = ctx.database().call(create)
    username = ctx.settings.telegram_bot_username
    link = f"https://t.me/{username}?start={code}" if username else None
    if as_json:
        echo_json({"code": code, "unit": unit, "role": role, "expires_at": expires.isoformat(),
                   "start_command": f"/start {code}", "deep_link": link})
        return
    click.echo(f"Mã mời cho {unit} ({role}): {code}")
    click.echo(f"Hết hạn: {expires.astimezone(ctx.settings.tz):%d/%m/%Y %H:%M}. Chỉ dùng một lần.")
    click.echo(f"Gửi cho bot: /start {code}" + (f"  hoặc mở: {link}" if link else ""))
