"""Rate limits (429 with retry_after, driven by a fake monotonic clock) and seeded fault injection."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import NetworkError, RetryAfter

from bot.sandbox import FaultConfig, RateLimits, SandboxClient, SandboxServer
from bot.sandbox.faults import FaultInjector
from bot.sandbox.limits import RateLimiter

from .conftest import FakeMonotonic

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after. will be of type:DeprecationWarning")


def _seconds(retry_after: object) -> float:
    """RetryAfter.retry_after is an int or a timedelta, depending on python-telegram-bot's settings."""
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else float(retry_after)


async def test_per_chat_burst_then_429_with_retry_after(bot: telegram.Bot, people: SandboxClient,
                                                        sandbox: SandboxServer, monotonic: FakeMonotonic) -> None:
    sandbox.configure(limits=RateLimits(chat_burst=3))
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    for n in range(3):
        await bot.send_message(lan.id, f"tin {n}")
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(lan.id, "tin thừa")
    assert _seconds(refused.value.retry_after) == 1
    assert (await bot.get_chat(lan.id)).id == lan.id  # reading methods are not counted

    monotonic.advance(1.0)
    assert (await bot.send_message(lan.id, "sau một giây")).text == "sau một giây"
    stats = await people.stats()
    assert stats["rate_limited"] == {"sendMessage": 1} and stats["calls"]["sendMessage"] == 5
    assert [m.text for m in await people.messages(lan, sender="bot")] == ["tin 0", "tin 1", "tin 2", "sau một giây"]


async def test_no_429_when_sending_at_one_message_per_second(bot: telegram.Bot, people: SandboxClient,
                                                             sandbox: SandboxServer, monotonic: FakeMonotonic) -> None:
    sandbox.configure(limits=RateLimits(chat_burst=1))
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    for n in range(10):
        await bot.send_message(lan.id, f"tin {n}")
        monotonic.advance(1.0)
    assert (await people.stats())["rate_limited_total"] == 0


async def test_group_limit_is_20_per_minute(bot: telegram.Bot, people: SandboxClient, sandbox: SandboxServer,
                                            monotonic: FakeMonotonic) -> None:
    sandbox.configure(limits=RateLimits(chat_burst=100))
    lan = await people.create_user("Lan")
    group = await people.create_group("Phòng Tổng hợp", creator=lan)
    sent = []
    for n in range(20):
        sent.append(await bot.send_message(group.id, f"nhắc {n}"))
    with pytest.raises(RetryAfter) as refused:
        await bot.edit_message_text("sửa cũng tính", chat_id=group.id, message_id=sent[0].message_id)
    assert _seconds(refused.value.retry_after) == 3  # 3 s until one of 20/min is back
    monotonic.advance(3)
    assert (await bot.send_message(group.id, "sau 3 giây")).text == "sau 3 giây"


def test_global_limit_spans_chats_and_refused_calls_cost_nothing() -> None:
    clock = FakeMonotonic()
    limiter = RateLimiter(RateLimits(global_per_second=30, global_burst=30, chat_burst=30), clock)
    assert all(limiter.acquire(chat, is_group=False) is None for chat in range(30))
    assert limiter.acquire(31, is_group=False) == 1
    clock.advance(1 / 30)
    assert limiter.acquire(31, is_group=False) is None
    limiter.configure(RateLimits(enabled=False))
    assert all(limiter.acquire(7, is_group=True) is None for _ in range(1000))


def test_fault_sequence_is_reproducible_from_the_seed() -> None:
    config = FaultConfig(error_rate=0.2, drop_rate=0.1, lost_reply_rate=0.1, delay_rate=0.3, seed=42)
    one, two = FaultInjector(config), FaultInjector(config)
    runs = [[one.decide("sendmessage") for _ in range(200)], [two.decide("sendmessage") for _ in range(200)]]
    assert runs[0] == runs[1]
    outcomes = [d.outcome for d in runs[0]]
    assert {"ok", "error", "drop", "lost_reply"} <= set(outcomes)
    assert {d.status for d in runs[0] if d.outcome == "error"} == {500, 502}
    assert 0.1 < outcomes.count("error") / 200 < 0.3
    assert any(d.delay == 0.5 for d in runs[0]) and any(d.delay == 0 for d in runs[0])
    reseeded = FaultInjector(FaultConfig(error_rate=0.2, drop_rate=0.1, lost_reply_rate=0.1, seed=43))
    assert [reseeded.decide("sendmessage").outcome for _ in range(200)] != outcomes


async def test_faults_reach_the_client_and_are_counted(bot: telegram.Bot, people: SandboxClient,
                                                       sandbox: SandboxServer) -> None:
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    await people.configure(faults={"error_rate": 1.0, "seed": 1, "methods": ["sendMessage"]})
    with pytest.raises(NetworkError):
        await bot.send_message(lan.id, "không tới")
    assert (await bot.get_me()).id == bot.id  # other methods untouched

    await people.configure(faults={"error_rate": 0.0, "drop_rate": 1.0})
    with pytest.raises(NetworkError, match="disconnected"):
        await bot.send_message(lan.id, "mất kết nối")
    await people.configure(faults={"drop_rate": 0.0, "lost_reply_rate": 1.0})
    with pytest.raises(NetworkError):
        await bot.send_message(lan.id, "đã gửi mà không biết")

    [delivered] = await people.messages(lan, sender="bot")
    assert delivered.text == "đã gửi mà không biết"  # the lost reply's message exists: retries duplicate it
    stats = await people.stats()
    assert sum(v for k, v in stats["faults"].items() if k.startswith("error_")) == 1
    assert (stats["faults"]["drop"], stats["faults"]["lost_reply"], stats["faults_total"]) == (1, 1, 3)


async def test_same_seed_same_faults_through_http(bot: telegram.Bot, people: SandboxClient) -> None:
    async def run() -> list[bool]:
        await people.configure(faults={"error_rate": 0.5, "seed": 7, "methods": None})
        outcomes = []
        for _ in range(12):
            try:
                await bot.get_me()
                outcomes.append(True)
            except NetworkError:
                outcomes.append(False)
        return outcomes

    first, second = await run(), await run()
    assert first == second and True in first and False in first
