"""The sandbox's own speed: how fast the real python-telegram-bot client can drive it.

Figures: sendMessage round trips per second (limits off), getUpdates drain rate, and the latency from a
person's message to the bot's reply through a long-polling telegram.ext.Application.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bench.result import Result
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer

TOKEN = "123456789:AAHsandboxBenchmarkToken0123456789abc"


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"Nhận: {update.message.text}")


async def _measure(quick: bool) -> list[Result]:
    sends, drained, round_trips = (50, 200, 10) if quick else (500, 2000, 50)
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        app = Application.builder().token(TOKEN).base_url(sandbox.bot_api_url).build()
        app.add_handler(MessageHandler(filters.TEXT, _echo))
        async with sandbox.client() as people, app:
            lan = await people.create_user("Lan")
            await people.private_chat(lan)
            start = time.perf_counter()
            for n in range(sends):
                await app.bot.send_message(lan.id, f"tin {n}")
            send_rate = sends / (time.perf_counter() - start)

            for n in range(drained):
                sandbox.world.user_message(lan.id, lan.id, f"cập nhật {n}")
            start, got, offset = time.perf_counter(), 0, None
            while got < drained:
                batch = await app.bot.get_updates(offset=offset, limit=100)
                got += len(batch)
                offset = batch[-1].update_id + 1
            await app.bot.get_updates(offset=offset)
            drain_rate = drained / (time.perf_counter() - start)

            await app.start()
            await app.updater.start_polling(poll_interval=0, timeout=5)
            latencies = []
            for n in range(round_trips):
                before = len(await people.messages(lan, sender="bot"))
                start = time.perf_counter()
                await people.send_text(lan, lan, f"vòng {n}")
                await people.wait_for_messages(lan, before + 1, timeout=5)
                latencies.append((time.perf_counter() - start) * 1000)
            await app.updater.stop()
            await app.stop()
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return [
        Result("sandbox", "sendMessage via PTB", round(send_rate), "req/s", "> 100 req/s", send_rate > 100),
        Result("sandbox", "getUpdates drain", round(drain_rate), "updates/s", "> 1000 updates/s", drain_rate > 1000),
        Result("sandbox", "message -> bot reply, median", round(statistics.median(latencies), 1), "ms"),
        Result("sandbox", "message -> bot reply, p95", round(p95, 1), "ms", "< 100 ms", p95 < 100),
    ]


def run(quick: bool) -> list[Result]:
    return asyncio.run(_measure(quick))
