"""`nhacviec web`: the web pages; `nhacviec web link`: a one-time sign-in link (15 minutes)."""

from __future__ import annotations

import click

from bot.base import messages as msg
from bot.base.errors import UserError
from bot.cli.context import CliContext, echo_json, pass_cli


def base_url(ctx: CliContext) -> str:
    """WEB_BASE_URL, else the local address the server listens on (for a first try on one machine)."""
    settings = ctx.settings
    return settings.web_base_url or f"http://{settings.web_host}:{settings.web_port}"


@click.group("web", invoke_without_command=True)
@click.option("--host", default=None, help="Địa chỉ nghe (mặc định WEB_HOST, 127.0.0.1: đặt sau nginx).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Cổng (mặc định WEB_PORT, 8080).")
@click.pass_context
def command(click_ctx: click.Context, host: str | None, port: int | None) -> None:
    """Trang web cho đầu mối tổng hợp và các đơn vị: tiến độ, quá hạn, vướng mắc, tệp tổng hợp.

    Example: nhacviec web --port 8080;  nhacviec web link --admin
    """
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.ensure_object(CliContext)
    settings = ctx.settings
    if settings.web_secret is None:
        raise UserError(msg.WEB_SECRET_MISSING)
    if host is not None or port is not None:
        ctx._settings = settings.model_copy(update={"web_host": host or settings.web_host,
                                                    "web_port": port or settings.web_port})
    from bot.web.server import serve

    serve(settings=ctx.settings, database=ctx.database(), clock=ctx.clock, base_url=base_url(ctx))


@command.command("link")
@click.option("--admin", "as_admin", is_flag=True, help="Đường dẫn cho quản trị (xem mọi kế hoạch).")
@click.option("--unit", "unit_name", help="Đơn vị (tên hoặc tên viết tắt): đường dẫn xem với vai trò --role.")
@click.option("--role", type=click.Choice(["staff", "head", "coordinator"]), default="staff", show_default=True,
              help="Vai trò khi dùng --unit: staff (cán bộ), head (lãnh đạo), coordinator (đầu mối).")
@click.option("--member", "member_id", type=int, help="Mã thành viên (đã tham gia qua mã mời).")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def link_command(ctx: CliContext, as_admin: bool, unit_name: str | None, role: str, member_id: int | None,
                 as_json: bool) -> None:
    """In một đường dẫn đăng nhập dùng một lần, hiệu lực 15 phút."""
    if sum((as_admin, unit_name is not None, member_id is not None)) != 1:
        raise UserError("Chọn đúng một trong: --admin, --unit ĐƠN_VỊ [--role ...], --member MÃ. "
                        "Ví dụ: nhacviec web link --admin")
    from bot.web.links import SIGN_IN_TTL, sign_in_url
    from storage.units import find_unit
    from storage.web_sessions import create_link

    now = ctx.now()

    def create(*, session):  # type: ignore[no-untyped-def]
        if as_admin:
            return create_link(session=session, now=now, ttl=SIGN_IN_TTL, role="admin", created_by="cli"), "admin"
        if member_id is not None:
            return create_link(session=session, now=now, ttl=SIGN_IN_TTL, member_id=member_id,
                               created_by="cli"), f"thành viên {member_id}"
        unit = find_unit(session=session, name=unit_name or "")
        if unit is None or unit.id is None:
            raise UserError(f"Không tìm thấy đơn vị «{unit_name}». Xem danh sách: nhacviec units list")
        token = create_link(session=session, now=now, ttl=SIGN_IN_TTL, role=role, unit_id=unit.id, created_by="cli")
        return token, f"{unit.name} ({role})"

    token, who = ctx.database().call(create)
    url = sign_in_url(base_url=base_url(ctx), token=token)
    expires = now + SIGN_IN_TTL
    if as_json:
        echo_json({"url": url, "for": who, "expires_at": expires.isoformat()})
        return
    click.echo(url)
    click.echo(f"Đăng nhập cho {who}; hết hạn lúc {expires:%H:%M %d/%m/%Y}, chỉ dùng một lần.", err=True)
    if not ctx.settings.web_base_url:
        click.echo("Chưa đặt WEB_BASE_URL: đường dẫn dùng địa chỉ cục bộ của máy này.", err=True)
