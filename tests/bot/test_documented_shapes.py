"""`nhacviec run` (bot.runner.serve, DurablePoller) against updates in the Bot API's DOCUMENTED shapes, which a
real Bot API server (or a local telegram-bot-api, or a proxy) sends and our sandbox's own users never do.

The raw updates are put into the sandbox's update queue as they are, so getUpdates hands them to the bot byte for
byte. Sources: core.telegram.org/bots/api, the sections named in each test.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlmodel import select

from bot.base import messages as msg
from bot.base.clock import VN_TZ, FixedClock
from bot.runner import serve
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.client import SandboxClient
from bot.sandbox.models import CallbackQuery
from bot.settings import Settings
from storage.database import Database
from storage.members import create_invite
from storage.models import ChatBinding
from tests.factories import seed_two_units_and_an_office

TOKEN = "300000005:SHAPES-test-token-for-sandbox-q"
HELP_MARK = "/baocao"  # in the /help answer


@dataclass
class Bot:
    sandbox: SandboxServer
    people: SandboxClient
    db: Database
    clock: FixedClock
    units: dict[str, int]
    _dates = itertools.count(1_780_000_000)

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """One update as the Bot API documents it, delivered by getUpdates exactly as written."""
        world = self.sandbox.world
        update_id = next(world._update_ids)
        world.updates.append({"update_id": update_id, kind: payload})
        world.changed.notify()
        return update_id

    def message(self, chat: dict[str, Any], sender: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
        """A Message object: message_id, date and chat are its only required fields ("Message" section)."""
        world = self.sandbox.world
        data: dict[str, Any] = {"message_id": 10_000 + next(world._update_ids), "date": next(self._dates),
                                "chat": chat, **fields}
        if sender is not None:
            data["from"] = sender
        return data

    def invite(self, unit: str, role: str, code: str) -> str:
        now = self.clock.now()
        self.db.call(create_invite, unit_id=self.units[unit], role=role, code=code, now=now,
                     expires_at=now + timedelta(days=7))
        return code

    def bindings(self, chat_id: int) -> list[tuple[str, bool]]:
        return self.db.call(lambda session: [(b.chat_id, b.active) for b in session.exec(
            select(ChatBinding).where(ChatBinding.unit_id == self.units["kt"]).order_by(ChatBinding.id))
            if b.chat_type != "private" or b.chat_id == str(chat_id)])

    def person(self, user_id: int) -> dict[str, Any]:
        return self.sandbox.world.user(user_id).to_api()

    def private(self, user_id: int) -> dict[str, Any]:
        return self.sandbox.world.private_chat(user_id).to_api()

    async def bot_texts(self, chat_id: int) -> list[str]:
        return [m.text or "" for m in await self.people.messages(chat_id, sender="bot")]

    async def drained(self, timeout: float = 10.0) -> None:
        """Until every queued update was handled and confirmed (the next getUpdates' offset moved past it)."""
        for _ in range(int(timeout / 0.05)):
            if not self.sandbox.world.updates:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"updates left unconfirmed: {list(self.sandbox.world.updates)}")

    def push_help(self, user_id: int) -> int:
        """A /help typed in the person's private chat."""
        return self.push("message", self.message(self.private(user_id), self.person(user_id), text="/help",
                                                 entities=[{"type": "bot_command", "offset": 0, "length": 5}]))

    async def help_answered(self, user_id: int) -> None:
        """A /help after the odd updates: still answered, once (nothing before it blocked the queue)."""
        before = len(await self.bot_texts(user_id))
        self.push_help(user_id)
        got = await self.people.wait_for_messages(user_id, before + 1, timeout=10)
        assert HELP_MARK in (got[before].text or "")
        await self.drained()
        await asyncio.sleep(0.3)
        assert len(await self.bot_texts(user_id)) == before + 1


@pytest.fixture
async def bot(db: Database) -> AsyncIterator[Bot]:
    async with running_bot(db) as opened:
        yield opened


class HtmlProxy:
    """A reverse proxy in front of the sandbox (nginx, a load balancer) that answers some calls with its own
    HTML page instead of the Bot API's JSON, as proxies do on 502/504, or a captive page with 200."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.pages: dict[str, list[int]] = {}  # method -> the statuses of the next calls it answers itself
        self._http = httpx.AsyncClient(timeout=30)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        await self._http.aclose()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        waiting = self.pages.get(method)
        if waiting:
            status = waiting.pop(0)
            return web.Response(status=status, content_type="text/html",
                                text=f"<html><head><title>{status}</title></head><body><center><h1>{status}</h1>"
                                     "</center><hr><center>nginx</center></body></html>")
        answer = await self._http.request(request.method, self.target + request.path_qs,
                                          content=await request.read(),
                                          headers={"Content-Type": request.headers.get("Content-Type", "")})
        return web.Response(status=answer.status_code, body=answer.content,
                            content_type=answer.headers.get("content-type", "application/json").split(";")[0])


@asynccontextmanager
async def running_bot(db: Database, *, proxy: HtmlProxy | None = None) -> AsyncIterator[Bot]:
    """`serve()` (the code of `nhacviec run`) against the sandbox, through `proxy` when given."""
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))
    with db.session() as session:
        units, _, _ = seed_two_units_and_an_office(session, now=clock.now())
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    base_url = sandbox.bot_api_url
    if proxy is not None:
        proxy.target = sandbox.bot_api_url.rsplit("/", 1)[0]
        await proxy.start()
        base_url = f"{proxy.url}/{sandbox.bot_api_url.rsplit('/', 1)[1]}"
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=base_url,  # type: ignore[arg-type]
                        database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    stop = asyncio.Event()
    runner = asyncio.create_task(serve(settings, clock=clock, stop=stop, announce=False))
    try:
        async with sandbox.client() as people:
            for _ in range(200):  # until the poller asked for updates
                if sandbox.world.allowed_updates is not None:
                    break
                await asyncio.sleep(0.05)
            yield Bot(sandbox, people, db, clock, units)
    finally:
        stop.set()
        await asyncio.wait_for(runner, 20)
        if proxy is not None:
            await proxy.stop()
        await sandbox.stop()


async def test_unknown_fields_and_absent_optional_fields_are_read(bot: Bot) -> None:
    """"Making requests" / "Recent changes": new fields are added to objects in every Bot API version, so an
    update carries fields this code never heard of; "User": last_name, username, language_code optional; "Chat":
    title only for groups, channels and supergroups (absent here, in a private chat)."""
    lan = await bot.people.create_user("Lan")
    bot.private(lan.id)  # the chat the answer goes to
    chat = {"id": lan.id, "type": "private", "first_name": "Lan", "is_forum": False, "future_chat_field": {"x": 1}}
    sender = {"id": lan.id, "is_bot": False, "first_name": "Lan", "is_premium": True,
              "added_to_attachment_menu": True, "future_user_field": [1, 2]}
    bot.push("message", bot.message(chat, sender, text="/help", entities=[
        {"type": "bot_command", "offset": 0, "length": 5}], future_message_field={"nested": True},
        link_preview_options={"is_disabled": True}, via_bot=None))
    (answer,) = await bot.people.wait_for_messages(lan.id, 1, timeout=10)
    assert HELP_MARK in (answer.text or "")
    await bot.help_answered(lan.id)


@pytest.mark.parametrize("fields", [
    {"sticker": {"file_id": "CAACAgI", "file_unique_id": "AgAD", "type": "regular", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False, "emoji": "👍"}},
    {"photo": [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 90, "height": 60}]},
    {"contact": {"phone_number": "+84900000000", "first_name": "Lan"}},
    {"voice": {"file_id": "AwAC", "file_unique_id": "AgAE", "duration": 2}},
    {"location": {"latitude": 21.0, "longitude": 105.8}},
], ids=["sticker", "photo", "contact", "voice", "location"])
async def test_a_private_message_without_text_gets_one_clear_answer(bot: Bot, fields: dict[str, Any]) -> None:
    """"Message": `text` is optional ("for text messages"); a sticker, a photo without a caption, a contact, a
    voice note, a location carry none. In a private chat the person expects an answer: one, in Vietnamese,
    saying what the bot reads (before: silence, no handler took it)."""
    lan = await bot.people.create_user("Lan")
    bot.push("message", bot.message(bot.private(lan.id), bot.person(lan.id), **fields))
    (answer,) = await bot.people.wait_for_messages(lan.id, 1, timeout=10)
    assert answer.text == msg.NOT_TEXT
    await bot.help_answered(lan.id)


async def test_other_update_kinds_and_messages_without_a_sender_are_skipped(bot: Bot) -> None:
    """"Update": at most one of its optional fields is present; a server may send kinds the bot did not ask for
    in allowed_updates (channel_post, my_chat_member, chat_member, message_reaction). "Message": `from` is empty
    for messages sent to channels; "ChatMemberUpdated" has chat, from, date, old/new_chat_member; a later Bot
    API version adds update kinds this python-telegram-bot does not know ("Recent changes"). None of these
    may stop the poller, and none is answered; a group's sticker is not answered either (people talk there)."""
    lan = await bot.people.create_user("Lan")
    group = bot.sandbox.world.create_group("Phòng Kinh tế", creator_id=lan.id)
    channel = {"id": -1001234567890, "type": "channel", "title": "Tin tức"}
    member = {"user": bot.person(lan.id), "status": "member"}
    bot.push("channel_post", bot.message(channel, None, text="/help", sender_chat=channel))
    bot.push("edited_channel_post", bot.message(channel, None, text="sửa", edit_date=1_780_000_500))
    bot.push("my_chat_member", {"chat": group.to_api(), "from": bot.person(lan.id), "date": 1_780_000_001,
                                "old_chat_member": {"user": {"id": 1, "is_bot": True, "first_name": "b"},
                                                    "status": "left"},
                                "new_chat_member": {"user": {"id": 1, "is_bot": True, "first_name": "b"},
                                                    "status": "member"}})
    bot.push("chat_member", {"chat": group.to_api(), "from": bot.person(lan.id), "date": 1_780_000_002,
                             "old_chat_member": {**member, "status": "left"}, "new_chat_member": member})
    bot.push("message_reaction", {"chat": group.to_api(), "message_id": 1, "date": 1_780_000_003,
                                  "user": bot.person(lan.id), "old_reaction": [],
                                  "new_reaction": [{"type": "emoji", "emoji": "👍"}]})
    bot.push("business_connection_of_a_later_version", {"id": "x", "user": bot.person(lan.id), "date": 1})
    bot.push("message", bot.message(group.to_api(), bot.person(lan.id), sticker={
        "file_id": "CAAC", "file_unique_id": "AgAD", "type": "regular", "width": 1, "height": 1,
        "is_animated": False, "is_video": False}))
    bot.push("edited_message", bot.message(bot.private(lan.id), bot.person(lan.id), edit_date=1_780_000_600,
                                           caption="ảnh đã sửa",
                                           photo=[{"file_id": "A", "file_unique_id": "B", "width": 1, "height": 1}]))
    await bot.drained()
    await bot.help_answered(lan.id)
    assert await bot.bot_texts(lan.id) == [m for m in await bot.bot_texts(lan.id) if HELP_MARK in m]
    assert msg.NOT_TEXT not in await bot.bot_texts(group.id)  # the sticker is not answered in the group


@pytest.mark.parametrize("shape", ["no_message", "inline", "inaccessible"])
async def test_a_press_on_a_message_the_bot_can_no_longer_see_is_answered(bot: Bot, shape: str) -> None:
    """"CallbackQuery": `message` is optional ("will not be available if the message is too old"), an
    inline_message_id comes instead for inline messages, and since Bot API 7.0 the message may be an
    InaccessibleMessage (chat, message_id, date 0). "answerCallbackQuery": the client shows a progress bar until
    the bot calls it, so every press is answered, once (before: a press without a message was never answered)."""
    lan = await bot.people.create_user("Lan")
    world = bot.sandbox.world
    bot.private(lan.id)
    query = CallbackQuery(id=str(next(world._callback_ids)), user=world.user(lan.id), chat_id=lan.id,
                          message_id=1, data="s|1|1|done")
    world.callbacks[query.id] = query
    payload: dict[str, Any] = {"id": query.id, "from": bot.person(lan.id), "chat_instance": "-5", "data": query.data}
    if shape == "inline":
        payload["inline_message_id"] = "AQAAAAIAAAB"
    elif shape == "inaccessible":
        payload["message"] = {"chat": bot.private(lan.id), "message_id": 1, "date": 0}
    bot.push("callback_query", payload)
    answered = await bot.people.callback_answer(query.id, timeout=10)
    assert answered["answered"]
    await bot.help_answered(lan.id)
    if shape != "inaccessible":
        assert answered["answer"]["text"] == msg.BUTTON_STALE
        assert len(await bot.bot_texts(lan.id)) == 1  # the help only: nothing sent for the press itself


async def _group_of_kt_and_a_coordinator(bot: Bot) -> tuple[Any, Any, Any]:
    """Kinh tế's group bound by its head's code, and the office's coordinator in a private chat."""
    people = bot.people
    nam, chief = await people.create_user("Trưởng Nam"), await people.create_user("Hà")
    group = await people.create_group("Phòng Kinh tế", creator=nam)
    before = len(await bot.bot_texts(group.id))
    await people.start_in_group(group.id, nam, bot.invite("kt", "head", "KT-HEAD-1"))
    await people.wait_for_messages(group.id, before + 1, timeout=10)
    await people.start(chief, bot.invite("vp", "coordinator", "VP-COORD-1"))
    await people.wait_for_messages(chief.id, 1, timeout=10)
    assert bot.bindings(group.id) == [(str(group.id), True)]
    return nam, chief, group


async def _nudge_reaches(bot: Bot, chief: Any, chat_id: int) -> None:
    before = len(await bot.bot_texts(chat_id))
    await bot.people.send_command(chief.id, chief, "nhacnho")
    got = await bot.people.wait_for_messages(chat_id, before + 1, timeout=15)
    assert any("Nhắc báo cáo" in (m.text or "") for m in got[before:]), [m.text for m in got[before:]]


@pytest.mark.parametrize("announced", [True, False], ids=["service_messages", "only_the_refusal"])
async def test_a_group_upgraded_to_a_supergroup_keeps_its_nudges(bot: Bot, announced: bool) -> None:
    """"Message": migrate_to_chat_id / migrate_from_chat_id ("the group has been migrated to a supergroup with
    the specified identifier"); "ResponseParameters": migrate_to_chat_id ("the group has been migrated ... "),
    the 400 a send to the old id gets. Either way the unit's binding follows the new id and the nudge arrives
    there (before: the 400 was taken for a chat gone, the binding was retired and the coordinator told the
    chat was lost)."""
    nam, chief, group = await _group_of_kt_and_a_coordinator(bot)
    super_group = bot.sandbox.world.upgrade_to_supergroup(group.id, by_user_id=nam.id, announce=announced)
    if announced:
        for _ in range(200):
            if bot.bindings(group.id) == [(str(super_group.id), True)]:
                break
            await asyncio.sleep(0.05)
    await _nudge_reaches(bot, chief, super_group.id)
    assert bot.bindings(group.id) == [(str(super_group.id), True)]
    assert not any("không nhận" in text or "ngừng" in text for text in await bot.bot_texts(chief.id))


async def test_an_answer_to_a_group_that_became_a_supergroup_goes_to_the_new_chat(bot: Bot) -> None:
    """"ResponseParameters": migrate_to_chat_id on the answer to an update read from the group just before it
    was upgraded: the answer is sent again to the supergroup, once, and the group's binding follows."""
    nam, _chief, group = await _group_of_kt_and_a_coordinator(bot)
    old_chat = bot.sandbox.world.chat(group.id).to_api()
    super_group = bot.sandbox.world.upgrade_to_supergroup(group.id, by_user_id=nam.id, announce=False)
    bot.push("message", bot.message(old_chat, bot.person(nam.id), text="/help",
                                    entities=[{"type": "bot_command", "offset": 0, "length": 5}]))
    (answer,) = await bot.people.wait_for_messages(super_group.id, 1, timeout=10)
    assert HELP_MARK in (answer.text or "")
    await bot.drained()
    await asyncio.sleep(0.3)
    assert len(await bot.bot_texts(super_group.id)) == 1
    assert bot.bindings(group.id) == [(str(super_group.id), True)]


def test_moving_a_chat_keeps_one_binding_and_moves_only_unsent_rows(db: Database) -> None:
    """storage.members.move_chat when the new supergroup was bound already (a head sent the code there first):
    the new binding stays, the old one is retired, not duplicated; waiting rows follow, sent ones stay."""
    from storage import outbox
    from storage.members import bind_chat, move_chat

    now = datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ)
    with db.session() as session:
        units, _, _ = seed_two_units_and_an_office(session, now=now)
        for chat_id, chat_type in (("-5", "group"), ("-1005", "supergroup")):
            bind_chat(session=session, platform="telegram", chat_id=chat_id, chat_type=chat_type,
                      unit_id=units["kt"], role="head", now=now)
        outbox.add_rows(session=session, now=now, rows=[
            outbox.PlannedRow(key=f"k{state}", kind="escalation", chat_id="-5", due_at=now, payload={},
                              state=state) for state in (outbox.PENDING, outbox.SENT)])
    assert db.call(move_chat, platform="telegram", chat_id="-5", new_chat_id="-1005",
                   chat_type="supergroup") == [units["kt"]]
    assert db.call(move_chat, platform="telegram", chat_id="-5", new_chat_id="-1005",
                   chat_type="supergroup") == []  # the second service message: nothing left to move
    with db.session() as session:
        bindings = [(b.chat_id, b.active) for b in session.exec(select(ChatBinding).order_by(ChatBinding.id))]
        rows = {n.key: n.chat_id for n in session.exec(select(outbox.Nudge))}
    assert bindings == [("-5", False), ("-1005", True)]
    assert rows == {"kpending": "-1005", "ksent": "-5"}


@pytest.mark.parametrize("statuses", [[502, 504], [200]], ids=["bad_gateway_pages", "a_page_with_200"])
async def test_html_pages_from_a_proxy_are_tried_again_and_answered_once(db: Database,
                                                                          statuses: list[int]) -> None:
    """"Making requests": every answer is a JSON object with `ok`; a proxy in front of the Bot API answers a
    gateway error (502, 504) or a captive page with its own HTML. Neither is the Bot API's refusal: the answer
    to /help and the nudge are sent again and arrive once (before, a 200 page was an error the bot never tried
    again: the person got the apology instead of the answer, and the nudge round gave up the row)."""
    proxy = HtmlProxy("")
    async with running_bot(db, proxy=proxy) as bot:
        _nam, chief, group = await _group_of_kt_and_a_coordinator(bot)
        lan = await bot.people.create_user("Lan")
        bot.private(lan.id)
        proxy.pages["sendMessage"] = list(statuses)
        bot.push_help(lan.id)
        (answer,) = await bot.people.wait_for_messages(lan.id, 1, timeout=15)
        assert HELP_MARK in (answer.text or "")
        proxy.pages["sendMessage"] = list(statuses)
        await _nudge_reaches(bot, chief, group.id)
        await asyncio.sleep(0.5)
        assert await bot.bot_texts(lan.id) == [answer.text]
        nudges = [t for t in await bot.bot_texts(group.id) if "Nhắc báo cáo" in t]
        assert len(nudges) == 1, nudges


@pytest.mark.parametrize("header", ["x-telegram-bot-api-secret-token", "X-TELEGRAM-BOT-API-SECRET-TOKEN"])
async def test_the_webhook_secret_header_is_read_in_any_letter_case(sqlite_db: Database, header: str) -> None:
    """"setWebhook": the secret arrives in the header "X-Telegram-Bot-Api-Secret-Token"; HTTP header names are
    case-insensitive (RFC 9110 5.1) and proxies and HTTP/2 hops send them in lower case. The update is handled,
    once, even when delivered again ("Getting updates": Telegram repeats an update until it gets a 2XX; before,
    a read-only command delivered twice was answered twice); a wrong secret in the same letters is refused."""
    from tests.bot.test_webhook_mode import SECRET, webhook_bot

    async with webhook_bot(sqlite_db) as (sandbox, port), sandbox.client() as people:
        lan = await people.create_user("Lan")
        world = sandbox.world
        chat, sender = world.private_chat(lan.id).to_api(), world.user(lan.id).to_api()
        update = {"update_id": 77, "message": {"message_id": 5, "date": 1_780_000_000, "chat": chat, "from": sender,
                                               "text": "/help", "entities": [
                                                   {"type": "bot_command", "offset": 0, "length": 5}]}}
        async with httpx.AsyncClient() as http:
            url = f"http://127.0.0.1:{port}/telegram"
            assert (await http.post(url, json=update, headers={header: "wrong"})).status_code == 403
            assert (await http.post(url, json=update, headers={header: SECRET})).status_code == 200
            assert (await http.post(url, json=update, headers={header: SECRET})).status_code == 200  # sent again
        texts = [m.text or "" for m in await people.messages(lan.id, sender="bot")]
        assert len(texts) == 1 and HELP_MARK in texts[0]


async def test_a_photo_replying_to_a_card_is_read_by_its_caption(bot: Bot) -> None:
    """"Message": a photo carries `caption` (0-1024 characters) instead of `text`, and `reply_to_message`; a
    staff member answers a task card with a photo of the work captioned with its state. The caption is the reply
    (before: no route took it, the report was lost); a photo with no caption still gets the one answer."""
    people = bot.people
    lan = await people.create_user("Lan")
    await people.start(lan, bot.invite("kt", "staff", "KT-STAFF-PH"))
    await people.wait_for_messages(lan.id, 1, timeout=10)
    before = len(await bot.bot_texts(lan.id))
    await people.send_command(lan.id, lan, "baocao")
    (card,) = (await people.wait_for_messages(lan.id, before + 1, timeout=10))[before:]
    assert "Nhiệm vụ 1" in (card.text or "")
    world = bot.sandbox.world
    shown = world.message_json(world.chat(lan.id).messages[card.id], with_reply=False)
    photo = [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 1280, "height": 960}]
    before = len(await bot.bot_texts(lan.id))
    bot.push("message", bot.message(bot.private(lan.id), bot.person(lan.id), photo=photo,
                                    caption="dang lam 50% du kien xong 20/6", reply_to_message=shown))
    (confirm,) = (await people.wait_for_messages(lan.id, before + 1, timeout=10))[before:]
    assert "Đã ghi nhiệm vụ 1" in (confirm.text or "") and "50%" in (confirm.text or "")
    bot.push("message", bot.message(bot.private(lan.id), bot.person(lan.id), photo=photo, reply_to_message=shown))
    (plain,) = (await people.wait_for_messages(lan.id, before + 2, timeout=10))[before + 1:]
    assert plain.text == msg.NOT_TEXT
    await bot.drained()
    await asyncio.sleep(0.3)
    assert len(await bot.bot_texts(lan.id)) == before + 2


async def test_a_slow_bot_api_answer_is_waited_for_not_sent_again(db: Database) -> None:
    """"Making requests" sets no answer time, and a local Bot API server or a proxy under load may take seconds
    to answer sendMessage. python-telegram-bot gives up reading after 5 s by default, and a send given up on was
    sent again: the person got the answer twice (before). The bot now waits long enough for a slow answer."""
    from bot.sandbox.faults import FaultConfig

    async with running_bot(db) as bot:
        lan = await bot.people.create_user("Lan")
        bot.sandbox.configure(faults=FaultConfig(delay_rate=1.0, delay_seconds=6.0, seed=1,
                                                 methods=frozenset({"sendmessage"})))
        bot.push_help(lan.id)
        (answer,) = await bot.people.wait_for_messages(lan.id, 1, timeout=20)
        assert HELP_MARK in (answer.text or "")
        await asyncio.sleep(7)  # a second send, if one was made, lands by now
        assert len(await bot.bot_texts(lan.id)) == 1


async def test_a_long_retry_after_on_a_direct_answer_queues_it_for_the_answer_lane(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """"ResponseParameters": retry_after is how long to wait before the request can be repeated. A wait above what
    a handler may hold the update for (MAX_RETRY_AFTER, lowered here to keep the test short) on the answer to
    /help ended in the error handler: the answer was lost and the apology got a 429 too (before). The answer is
    now an outbox row due after the wait, stored before the update is confirmed, sent once by the answer lane."""
    from bot.adapters import telegram as adapter
    from bot.sandbox.faults import FaultConfig
    from storage.answers import KIND
    from storage.models import Nudge

    monkeypatch.setattr(adapter, "MAX_RETRY_AFTER", 1.0)
    async with running_bot(db) as bot:
        lan = await bot.people.create_user("Lan")
        bot.sandbox.configure(faults=FaultConfig(rate_limited_rate=1.0, retry_after=2, seed=1,
                                                 methods=frozenset({"sendmessage"})))
        bot.push_help(lan.id)
        await bot.drained()  # confirmed: by then the answer is in the outbox
        rows = db.call(lambda session: [(r.state, r.due_at) for r in session.exec(
            select(Nudge).where(Nudge.kind == KIND, Nudge.chat_id == str(lan.id)))])
        assert len(rows) == 1 and rows[0][0] == "pending"
        due = rows[0][1] if rows[0][1].tzinfo else rows[0][1].replace(tzinfo=UTC)
        assert due - bot.clock.now() == timedelta(seconds=2)  # not before the wait asked for
        assert bot.sandbox.stats.faults["rate_limited"] == 1  # one refused send: no apology tried into the 429
        bot.sandbox.configure(faults=FaultConfig())  # the wait is over for the Bot API too
        (answer,) = await bot.people.wait_for_messages(lan.id, 1, timeout=15)
        assert HELP_MARK in (answer.text or "")
        await asyncio.sleep(0.5)
        assert await bot.bot_texts(lan.id) == [answer.text]
        assert db.call(lambda session: [r.state for r in session.exec(
            select(Nudge).where(Nudge.kind == KIND, Nudge.chat_id == str(lan.id)))]) == ["sent"]
