"""`nhacviec sandbox`: run the local fake Telegram Bot API (bot/sandbox/__init__.py), or with `--platform zalo` the
Zalo Bot Platform twin (bot/sandbox/zalo.py)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from bot.sandbox import FaultConfig, RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.botapi import loopback_only
from bot.sandbox.world import TOKEN_SHAPE

if TYPE_CHECKING:
    from bot.sandbox.zalo import ZaloTwinConfig

_rate = click.FloatRange(0.0, 1.0)


@click.command("sandbox")
@click.option("--platform", type=click.Choice(["telegram", "zalo"]), default="telegram", show_default=True,
              help="Giả lập Telegram Bot API hay Zalo Bot Platform.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe.")
@click.option("--port", default=8081, show_default=True, type=click.IntRange(0, 65535), help="Cổng (0 = tự chọn).")
@click.option("--token", help="Token duy nhất được chấp nhận (mặc định: token hợp lệ đầu tiên gọi tới).")
@click.option("--bot-username", default="NhacViecSandboxBot", show_default=True, help="Username của bot giả.")
@click.option("--no-privacy", is_flag=True, help="Tắt chế độ riêng tư: bot thấy mọi tin nhắn trong nhóm.")
@click.option("--no-limits", is_flag=True,
              help="Tắt giới hạn tốc độ gửi (30 tin/giây, 1 tin/giây/chat, 20 tin/phút/nhóm).")
@click.option("--chat-burst", default=3, show_default=True, type=click.IntRange(1),
              help="Số tin gửi liền được trong một chat.")
@click.option("--fault-rate", default=0.0, type=_rate, help="Tỉ lệ trả lỗi 500/502 (0..1).")
@click.option("--drop-rate", default=0.0, type=_rate, help="Tỉ lệ đóng kết nối không trả lời (0..1).")
@click.option("--lost-reply-rate", default=0.0, type=_rate, help="Tỉ lệ đã thực hiện nhưng mất câu trả lời (0..1).")
@click.option("--delay-rate", default=0.0, type=_rate, help="Tỉ lệ trả lời chậm (0..1).")
@click.option("--delay", "delay_seconds", default=0.5, show_default=True, type=click.FloatRange(0, 60),
              help="Độ trễ của câu trả lời chậm, giây.")
@click.option("--seed", type=int, help="Hạt giống ngẫu nhiên cho lỗi giả (lặp lại được).")
@click.option("--redeliver-rate", default=0.0, type=_rate,
              help="Zalo: tỉ lệ một tin người dùng được gửi tới bot hai lần (0..1).")
@click.option("--webhook-host", "webhook_hosts", multiple=True,
              help="Cho phép webhook tới máy này (mặc định chỉ 127.0.0.1/localhost); lặp lại được.")
def command(platform: str, host: str, port: int, token: str | None, bot_username: str, no_privacy: bool,
            no_limits: bool, chat_burst: int, fault_rate: float, drop_rate: float, lost_reply_rate: float,
            delay_rate: float, delay_seconds: float, seed: int | None, redeliver_rate: float,
            webhook_hosts: tuple[str, ...]) -> None:
    """Máy chủ Telegram Bot API (hoặc Zalo Bot API, --platform zalo) giả, chạy cục bộ, giữ mọi thứ trong bộ nhớ
    (cho thử nghiệm và demo)."""
    if token is not None and not TOKEN_SHAPE.match(token):
        raise click.BadParameter("token phải có dạng số:chữ (ít nhất 20 ký tự sau dấu hai chấm)", param_hint="--token")
    try:
        faults = FaultConfig(error_rate=fault_rate, drop_rate=drop_rate, lost_reply_rate=lost_reply_rate,
                             delay_rate=delay_rate, delay_seconds=delay_seconds, seed=seed)
    except ValueError:
        raise click.BadParameter("tổng --fault-rate, --drop-rate, --lost-reply-rate không được vượt quá 1") from None
    if platform == "zalo":
        from bot.sandbox.zalo import ZaloTwinConfig, zalo_rate_limits

        limits = zalo_rate_limits(enabled=not no_limits)
        twin = ZaloTwinConfig(token=token, limits=replace(limits, chat_burst=chat_burst), faults=faults,
                              redeliver_rate=redeliver_rate, seed=seed)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve_zalo(twin, host, port))
        click.echo("Đã dừng sandbox.")
        return
    allowed = {h.lower() for h in webhook_hosts}
    config = SandboxConfig(
        token=token, bot_username=bot_username, privacy_mode=not no_privacy,
        limits=RateLimits(enabled=not no_limits, chat_burst=chat_burst), faults=faults,
        webhook_host_allowed=lambda h: loopback_only(h) or h.lower() in allowed)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(config, host, port))
    click.echo("Đã dừng sandbox.")


async def _serve_zalo(config: ZaloTwinConfig, host: str, port: int) -> None:
    from bot.sandbox.zalo import ZaloTwin

    twin = ZaloTwin(config)
    base = await twin.start(host, port)
    click.echo(f"Sandbox Zalo Bot API đang chạy tại {base}")
    click.echo(f"  ZALO_API_BASE_URL={base}")
    click.echo(f"  Phía người dùng: {base}/zalo-sandbox/stats (users, groups, send, messages, redeliver)")
    click.echo("Nhấn Ctrl+C để dừng.")
    await _until_sigterm()
    await twin.stop()


async def _until_sigterm() -> None:
    stopped = asyncio.Event()
    with contextlib.suppress(NotImplementedError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    await stopped.wait()


async def _serve(config: SandboxConfig, host: str, port: int) -> None:
    server = SandboxServer(config)
    base = await server.start(host, port)
    click.echo(f"Sandbox Telegram Bot API đang chạy tại {base}")
    click.echo(f"  TELEGRAM_API_BASE_URL={server.bot_api_url}")
    click.echo(f"  Tệp: {server.file_url}   Phía người dùng: {base}/sandbox/state")
    click.echo("Nhấn Ctrl+C để dừng.")
    try:
        await _until_sigterm()
    finally:
        await server.stop()
