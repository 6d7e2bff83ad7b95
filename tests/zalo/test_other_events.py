"""Zalo events other than text, in the shapes the platform documents, through the running poller and connector
(the code path of `nhacviec run` with ZALO_BOT_TOKEN).

Sources: the Zalo Bot Platform's event names (message.text.received, message.image.received,
message.sticker.received, message.unsupported.received) and message fields (`photo`/`photo_url`, `caption`,
`sticker`) as public clients of bot.zaloplatforms.com/docs type them (openclaw extensions/zalo/src/api.ts
ZaloMessage/ZaloUpdate; zalobot-python types/entities.py); "Subscribe to the message events you need
(message.text.received, message.image.received, ...)" (chat-adapter-zalo's setup).
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
import pytest
from sqlmodel import select

from bot.adapters.zalo import ZaloConnector
from bot.adapters.zalo_api import ZaloClient
from bot.adapters.zalo_webhook import ZaloWebhook
from bot.app import build_chat_deps
from bot.base import messages as msg
from bot.base.clock import FixedClock
from bot.chat.service import ChatService
from bot.sandbox.limits import RateLimits
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from bot.settings import Settings
from storage.database import Database
from storage.models import StatusReport
from tests.zalo.conftest import NUDGE_TIME, ZaloWorld, seed_world

_ids = itertools.count(1)


def _event(world: ZaloWorld, name: str, user: str, chat: str | None = None, **fields: Any) -> None:
    chat_id = chat or user
    kind = world.twin.chats[chat_id]["type"]
    world.twin._queue({"event_name": name, "unknown_top_field": {"a": 1}, "message": {
        "message_id": f"ev{next(_ids):08d}", "date": 1_780_000_000_000, "chat": {"id": chat_id, "chat_type": kind},
        "from": {"id": user, "display_name": world.twin.users[user], "is_bot": False, "avatar": "https://x.test/a"},
        **fields}})


async def _silent(world: ZaloWorld, chat: str, count: int) -> None:
    await asyncio.sleep(0.5)
    assert len(world.twin.bot_messages(chat)) == count, [m.text for m in world.twin.bot_messages(chat)]


@pytest.mark.parametrize(("name", "fields"), [
    ("message.image.received", {"photo_url": "https://x.test/p.jpg"}),
    ("message.sticker.received", {"sticker": "bfe4f1a2", "url": "https://x.test/s.png"}),
    ("message.unsupported.received", {}),
], ids=["image", "sticker", "unsupported"])
async def test_what_the_bot_cannot_read_is_said_once_in_private_and_not_at_all_in_a_group(
        zalo_world: ZaloWorld, name: str, fields: dict[str, Any]) -> None:
    """An image without a caption, a sticker, an unsupported message (a voice note, a file): one answer in a
    private chat saying the bot reads text; silence in a group; a text right after is still answered."""
    world = zalo_world
    lan, minh = world.twin.create_user("Lan"), world.twin.create_user("Minh")
    group = world.twin.create_group("Phòng Kinh tế", [lan, minh])
    _event(world, name, lan, **fields)
    (answer,) = await world.people.wait_for(lan, 1, timeout=10)
    assert answer["text"] == msg.TYPED_TEXT_ONLY
    _event(world, name, minh, group, **fields)
    await _silent(world, group, 0)
    world.twin.say(lan, "/help")
    got = await world.people.wait_for(lan, 2, timeout=10)
    assert "Hướng dẫn" in got[1]["text"]
    await _silent(world, lan, 2)


async def test_an_image_with_a_caption_is_read_as_its_caption(zalo_world: ZaloWorld) -> None:
    """message.image.received carries `caption` (openclaw's ZaloMessage; Zalo's sendPhoto takes one too): a
    staff member's photo of the finished work captioned "NV1 xong" is the report it says (before: answered
    "the bot reads only text", the report lost)."""
    world = zalo_world
    lan = world.twin.create_user("Lan")
    await world.after(lan, world.people.say(lan, world.invite("kt", "staff", "KT-STAFF-EV")))
    before = len(world.twin.bot_messages(lan))
    _event(world, "message.image.received", lan, photo_url="https://x.test/p.jpg", caption="NV1 xong")
    got = await world.people.wait_for(lan, before + 1, timeout=10)
    assert got[before]["text"] != msg.TYPED_TEXT_ONLY
    reports = world.db.call(lambda session: [(r.task_id, r.status) for r in session.exec(
        select(StatusReport).where(StatusReport.unit_id == world.units["kt"]))])
    assert reports == [(world.tasks["1"], "done")]
    await _silent(world, lan, before + 1)


@pytest.mark.parametrize("header", ["x-bot-api-secret-token", "X-BOT-API-SECRET-TOKEN"])
async def test_the_zalo_webhook_reads_its_secret_header_in_any_letter_case(db: Database, header: str) -> None:
    """setWebhook's `secret_token` comes back in "X-Bot-Api-Secret-Token" (the documentation's webhook section);
    header names are case-insensitive (RFC 9110 5.1) and a proxy may lower them. An image event delivered so is
    answered once, a wrong secret refused, and a body with no message (an event about the chat) is taken
    silently."""
    from tests.zalo.test_documented_shapes import SECRET, TOKEN, _free_port

    clock = FixedClock(NUDGE_TIME)
    seed_world(db, clock)
    port = _free_port()
    settings = Settings(database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    url = f"http://127.0.0.1:{port}/zalo"
    async with ZaloTwin(ZaloTwinConfig(token=TOKEN, limits=RateLimits(enabled=False))) as twin, \
            ZaloClient(TOKEN, twin.base_url) as client:
        hook = ZaloWebhook(ZaloConnector(client, ChatService(build_chat_deps(settings, db, clock))), url=url,
                           listen="127.0.0.1", port=port, secret=SECRET)
        await hook.start()
        try:
            ted = twin.create_user("Ted")
            body = {"event_name": "message.sticker.received", "message": {
                "message_id": "st0001", "date": 1_780_000_000_000, "sticker": "bfe4",
                "chat": {"id": ted, "chat_type": "PRIVATE"}, "from": {"id": ted, "display_name": "Ted"}}}
            async with httpx.AsyncClient() as raw:
                assert (await raw.post(url, json=body, headers={header: "wrong-secret"})).status_code == 403
                assert (await raw.post(url, json=body, headers={header: SECRET})).status_code == 200
                assert (await raw.post(url, json=body, headers={header: SECRET})).status_code == 200  # again
                chat_event = {"event_name": "group.member.joined", "chat": {"id": "g1", "chat_type": "GROUP"}}
                assert (await raw.post(url, json=chat_event, headers={header: SECRET})).status_code == 200
            assert [m.text for m in twin.bot_messages(ted)] == [msg.TYPED_TEXT_ONLY]
        finally:
            await hook.stop()
