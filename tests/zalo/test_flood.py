"""Flood control on Zalo's typed text, Telegram's rule (bot/chat/flood.py): a member typing text that is not a
report is answered up to the burst, warned once, then ignored until the bucket refills; a typed report is never
refused; another member is not affected."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.base import messages as msg
from bot.chat.flood import FloodGuard
from storage.models import InboundMessage
from tests.zalo.conftest import ZaloWorld

BURST = 12  # FloodGuard's default capacity


async def _handled(world: ZaloWorld, chat_id: str, message_id: str) -> None:
    """Wait until the bot has handled (journalled) one message; a silent answer leaves nothing else to see."""
    key = f"msg:{chat_id}:{message_id}"
    async with asyncio.timeout(10):
        while not world.db.call(
            lambda session: session.exec(select(InboundMessage.id).where(InboundMessage.update_key == key)).first()
        ):
            await asyncio.sleep(0.02)


async def test_a_member_spamming_text_is_warned_once_then_ignored(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    now = [0.0]  # the guard's clock stands still: no token comes back during the burst, however slow the run
    world.connector.chat.deps.flood = FloodGuard(monotonic=lambda: now[0])
    lan = await people.create_user("Lan")
    binh = await people.create_user("Bình")
    (welcome,) = await world.after(lan, people.say(lan, world.invite("kt", "staff", "KT-FLOOD-1")))  # 1 token
    assert "Phòng Kinh tế" in welcome["text"]
    await world.after(binh, people.say(binh, world.invite("kt", "staff", "KT-FLOOD-2")))

    for i in range(BURST - 1):  # chatter with no card to answer: each one answered ("which task?")
        (answer,) = await world.after(lan, people.say(lan, f"chào {i}"))
        assert answer["text"] != msg.FLOOD
    (warned,) = await world.after(lan, people.say(lan, "chào nữa"))
    assert warned["text"] == msg.FLOOD
    before = len(await people.messages(lan))
    ignored = await people.say(lan, "chào nữa đây")  # ignored: no answer at all
    await _handled(world, lan, ignored["message_id"])  # before the clock moves on
    now[0] += 2.0  # a while later one token is back (0.5 a second)
    (again,) = await world.after(lan, people.say(lan, "chào lại"))  # after the ignored text, in the chat's order
    assert again["text"] != msg.FLOOD
    assert len(await people.messages(lan)) == before + 1  # nothing in between: the ignored text got no answer
    (warned_again,) = await world.after(lan, people.say(lan, "chào lại nữa"))
    assert warned_again["text"] == msg.FLOOD

    # a typed report is never refused, even now
    (confirmed,) = await world.after(lan, people.say(lan, "NV1 hoàn thành"))
    assert "Đã ghi nhiệm vụ 1" in confirmed["text"]

    (other,) = await world.after(binh, people.say(binh, "chào"))  # another member: unaffected
    assert other["text"] != msg.FLOOD
