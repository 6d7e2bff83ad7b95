"""`nhacviec request --plan P --deadline DATE TEXT`: an ad hoc ("đột xuất") report request."""

from __future__ import annotations

import click

from bot.base.errors import UserError
from bot.base.messages import fmt_date
from bot.cli.context import CliContext, echo_json, pass_cli


@click.command("request")
@click.option("--plan", "plan_ref", default=None, help="Mã hoặc số kế hoạch (bỏ trống nếu chỉ có một).")
@click.option("--deadline", required=True, help="Hạn báo cáo, ví dụ 30/11/2026 hoặc 2026-11-30.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@click.argument("text", nargs=-1, required=True)
@pass_cli
def command(ctx: CliContext, plan_ref: str | None, deadline: str, as_json: bool, text: tuple[str, ...]) -> None:
    """Tạo yêu cầu báo cáo đột xuất: các đơn vị chủ trì còn nhiệm vụ mở được nhắc ngay và trước hạn."""
    from bot.summary.build import resolve_plan
    from scheduler.requests import create_request, read_deadline

    now = ctx.now()
    try:
        days = [read_deadline(deadline, now.astimezone(ctx.settings.tz).date())]
    except UserError:
        raise UserError(f"Không hiểu hạn «{deadline}». Ví dụ: --deadline 30/11/2026") from None

    def create(*, session):  # type: ignore[no-untyped-def]
        plan_id = resolve_plan(session=session, ref=plan_ref)
        return create_request(session=session, plan_id=plan_id, deadline=days[0], text=" ".join(text), now=now,
                              tz=ctx.settings.tz)

    queued = ctx.database().call(create)
    if as_json:
        echo_json({"period": queued.period_key, "deadline": days[0].isoformat(), "units": queued.units,
                   "later": queued.later.isoformat() if queued.later else None})
        return
    click.echo(f"Đã tạo yêu cầu {queued.period_key}, hạn {fmt_date(days[0])}; {queued.units} đơn vị sẽ được nhắc "
               "(tin gửi khi chạy bot hoặc `nhacviec nudges send-due`).")
