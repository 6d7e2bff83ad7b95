"""`nhacviec nudges plan|send-due|status`: what would be sent, an admin's catch-up, and the outbox's state."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import click
from sqlmodel import Session

from bot.base.errors import UserError
from bot.cli.context import CliContext, echo_json, pass_cli
from scheduler.pacer import Limits, SharedPacer, budget_bucket
from storage import outbox


class StartingAt:
    """A clock that starts at a given instant and then runs at real speed (`send-due --now`)."""

    def __init__(self, start: datetime) -> None:
        self.start, self._t0 = start, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


@click.group("nudges")
def command() -> None:
    """Nhắc việc: xem lịch nhắc, gửi các tin đến hạn, xem trạng thái hàng đợi."""


@command.command("plan")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Từ ngày (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Đến ngày (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def plan_cmd(ctx: CliContext, start: datetime, end: datetime, as_json: bool) -> None:
    """Các tin sẽ gửi trong khoảng ngày (không gửi gì, không ghi gì)."""
    from scheduler.planning import preview

    if end < start:
        raise UserError("--to phải sau --from.")
    db = ctx.database()
    with Session(db.engine, expire_on_commit=False) as session:
        try:
            entries = preview(session=session, start=start.date(), end=end.date(), now=ctx.now(), tz=ctx.settings.tz)
        finally:
            session.rollback()  # the periods it had to create are not kept
    if as_json:
        echo_json(entries)
        return
    if not entries:
        click.echo("Không có tin nhắc nào trong khoảng này.")
    for e in entries:
        subject = e["period"] or f"nhiệm vụ {e['task']} (hạn {e['deadline']})"
        if e["kind"] == "upward":  # a level's own deadline to report upward (the first: the coordinator's)
            subject = f"{e['period']} → {e['recipient']} (hạn {e['deadline']})"
        chats = ", ".join(str(c) for c in e["chats"]) or "chưa có chat"  # type: ignore[attr-defined]
        click.echo(f"{e['at']}  {e['kind']:<10} {e['step']:<16} {subject:<24} {e['unit']}  → {chats}")


@command.command("send-due")
@click.option("--now", "now_text", default=None, help="Coi thời điểm này là hiện tại (ISO, có múi giờ).")
@click.option("--days", default=3, show_default=True, type=click.IntRange(0, 60), help="Lập lịch trước bao nhiêu ngày.")
@click.option("--rate", default=30.0, show_default=True, type=click.FloatRange(0.1, 10000),
              help="Số tin tối đa mỗi giây (giới hạn của Telegram: 30).")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Số yêu cầu gửi đồng thời.")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@pass_cli
def send_due_cmd(ctx: CliContext, now_text: str | None, days: int, rate: float, concurrency: int,
                 as_json: bool) -> None:
    """Lập lịch rồi gửi mọi tin đã đến hạn, qua mọi nền tảng đã đặt token (TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN)."""
    if now_text is not None:
        try:
            start = datetime.fromisoformat(now_text)
        except ValueError:
            raise UserError(f"--now không đọc được: {now_text!r}. Ví dụ: 2026-06-02T08:00:00+07:00") from None
        if start.tzinfo is None:
            start = start.replace(tzinfo=ctx.settings.tz)
        ctx.clock = StartingAt(start)
    settings = ctx.settings
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    zalo_token = settings.zalo_bot_token.get_secret_value() if settings.zalo_bot_token else None
    if token is None and zalo_token is None:
        raise UserError("Cần TELEGRAM_BOT_TOKEN (và TELEGRAM_API_BASE_URL nếu dùng sandbox) hoặc ZALO_BOT_TOKEN "
                        "(và ZALO_API_BASE_URL) để gửi tin.")
    report = asyncio.run(_send_due(ctx, token, zalo_token, days, rate, concurrency))
    if as_json:
        echo_json(report.to_json())
        return
    d = report.dispatch
    click.echo(f"Lập lịch mới: {report.planned} tin. Đã gửi: {d.sent}, bỏ qua: {d.dropped}, lỗi: {d.failed}, "
               f"hoãn (ngoài giờ): {d.deferred}, thử lại: {d.retried}, hẹn gửi lại (Bot API lỗi): {d.postponed}, "
               f"bị giới hạn (429): {d.rate_limited}, "
               f"lấy lại từ lần chạy bị dừng: {d.reclaimed}.")
    if d.left_sending:
        click.echo(f"Còn {len(d.left_sending)} tin đang gửi dở (chưa gửi lại lần này):")
        for left in d.left_sending[:10]:
            click.echo(f"  - {left['key']}: {left['why']}")
        if len(d.left_sending) > 10:
            click.echo(f"  ... và {len(d.left_sending) - 10} tin khác (xem: nhacviec nudges status).")


async def _send_due(ctx: CliContext, token: str | None, zalo_token: str | None, days: int, rate: float,  # type: ignore[no-untyped-def]
                    concurrency: int):
    """Every platform whose token is set, on one outbox: Telegram paced by --rate, Zalo by its own settings."""
    from contextlib import AsyncExitStack

    from bot.adapters.telegram_notifier import open_notifier
    from bot.adapters.zalo_notifier import open_zalo_notifier, zalo_limits
    from bot.chat.capabilities import signed_file_links
    from bot.logs import REDACTOR
    from scheduler.dispatcher import Dispatcher
    from scheduler.notifier import Notifier
    from scheduler.pacer import Pacer
    from scheduler.service import NudgeService

    settings = ctx.settings
    db = ctx.database()
    async with AsyncExitStack() as stack:
        notifiers: list[Notifier] = []
        pacers: dict[str, Pacer] = {}
        if token is not None:
            REDACTOR.add_secret(token)
            notifiers.append(await stack.enter_async_context(
                open_notifier(token, settings.telegram_api_base_url, connections=concurrency + 2)))
            # the bot's budget is shared with `nhacviec run` and any other sender on the token (storage.budget)
            pacers["telegram"] = SharedPacer(db, budget_bucket("telegram", token), Limits(per_second=rate))
        if zalo_token is not None:
            REDACTOR.add_secret(zalo_token)
            zalo = await stack.enter_async_context(
                open_zalo_notifier(zalo_token, settings.zalo_api_base_url, connections=concurrency + 2,
                                   file_link=signed_file_links(base_url=settings.web_base_url, clock=ctx.clock, secret=(
                                       settings.web_secret.get_secret_value() if settings.web_secret else None))))
            notifiers.append(zalo)
            limits = zalo_limits(per_second=settings.zalo_send_per_second, chat_interval=settings.zalo_chat_interval,
                                 group_interval=settings.zalo_group_interval)
            pacers[zalo.platform] = SharedPacer(db, budget_bucket("zalo", zalo_token), limits)
        dispatcher = Dispatcher(db, notifiers, ctx.clock, limits=Limits(per_second=rate), pacers=pacers,
                                concurrency=concurrency, tz=settings.tz)
        service = NudgeService(db, dispatcher, ctx.clock, horizon_days=days, tz=settings.tz)
        return await service.tick()


@command.command("status")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Số lỗi gần nhất.")
@pass_cli
def status_cmd(ctx: CliContext, as_json: bool, limit: int) -> None:
    """Số tin theo trạng thái, và các tin lỗi hoặc bị bỏ qua kèm lý do."""
    db = ctx.database()
    counts = db.call(outbox.counts_by_state)
    failed = db.call(outbox.problems, states=(outbox.FAILED,), limit=limit)
    dropped = db.call(outbox.problems, states=(outbox.DROPPED,), limit=limit)
    tz = ctx.settings.tz

    def row(n):  # type: ignore[no-untyped-def]
        return {"key": n.key, "kind": n.kind, "chat_id": n.chat_id, "state": n.state, "attempts": n.attempts,
                "due_at": n.due_at.astimezone(tz).isoformat(), "reason": n.last_error}

    if as_json:
        echo_json({"counts": counts, "failed": [row(n) for n in failed], "dropped": [row(n) for n in dropped]})
        return
    if not counts:
        click.echo("Hàng đợi nhắc việc trống.")
        return
    states = ("pending", "sending", "sent", "failed", "dropped")
    click.echo(f"{'loại':<12}" + "".join(f"{s:>9}" for s in states))
    for kind, by_state in sorted(counts.items()):
        click.echo(f"{kind:<12}" + "".join(f"{by_state.get(s, 0):>9}" for s in states))
    for title, rows in (("Lỗi", failed), ("Bỏ qua", dropped)):
        if rows:
            click.echo(f"\n{title} (mới nhất trước):")
            for n in rows:
                click.echo(f"  {n.due_at.astimezone(tz):%d/%m %H:%M}  {n.kind:<10} chat {n.chat_id or '-'}: "
                           f"{n.last_error}")

