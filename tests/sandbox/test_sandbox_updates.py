"""Updates: a real telegram.ext.Application long-polling the sandbox, and getUpdates' own rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Conflict
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.sandbox import SandboxClient, SandboxServer

from .conftest import TOKEN


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    code = context.args[0] if context.args else "-"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xác nhận", callback_data=f"ok:{code}")]])
    await update.effective_message.reply_text(f"Mã: {code}", reply_markup=keyboard)


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Đã xác nhận")
    await query.edit_message_text(f"Đã xác nhận {query.data}")


async def _edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.edited_message.reply_text(f"Đã sửa thành: {update.edited_message.text}")


async def _text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"Nhận: {update.message.text}")


@pytest.fixture
async def polling_app(sandbox: SandboxServer) -> AsyncIterator[Application]:
    app = Application.builder().token(TOKEN).base_url(sandbox.bot_api_url).base_file_url(sandbox.file_url).build()
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_pressed))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, _edited))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, _text))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_application_receives_message_callback_and_edit(polling_app: Application,
                                                              people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await people.start(lan, "KH2026")
    [reply] = await people.wait_for_messages(lan, 1)
    assert reply.text == "Mã: KH2026" and reply.reply_to_message_id is None  # PTB quotes only in groups

    pressed = await people.press_button(lan, reply, lan, data="ok:KH2026")
    answer = await people.callback_answer(pressed["id"])
    assert answer["answer"]["text"] == "Đã xác nhận"
    [edited] = await people.messages(lan, sender="bot")
    assert (edited.text, edited.buttons, edited.edited) == ("Đã xác nhận ok:KH2026", [], True)

    said = await people.send_text(lan, lan, "xong 80%")
    await people.edit_text(lan, lan, said, "xong 90%")
    replies = await people.wait_for_messages(lan, 3)
    assert [m.text for m in replies[1:]] == ["Nhận: xong 80%", "Đã sửa thành: xong 90%"]


async def test_group_start_with_bot_name_and_privacy_mode(polling_app: Application, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    minh = await people.create_user("Minh")
    group = await people.create_group("Văn phòng UBND", creator=lan, members=[minh])
    await people.send_text(group, minh, "chào cả nhà")  # privacy mode: the bot does not see this
    start = await people.start_in_group(group, minh, "NHOM7")
    assert start.text == "/start@NhacViecSandboxBot NHOM7"
    [reply] = await people.wait_for_messages(group, 1)
    assert reply.text == "Mã: NHOM7" and reply.reply_to_message_id == start.message_id
    await people.reply(group, minh, reply, "đã xem")  # a reply to the bot: seen
    replies = await people.wait_for_messages(group, 2)
    assert replies[1].text == "Nhận: đã xem"
    assert len(await people.messages(group, sender="bot")) == 2


async def test_offset_confirms_and_limit_caps(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    for word in ("một", "hai", "ba"):
        await people.send_text(lan.id, lan, word)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["một", "hai"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["ba"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_long_poll_returns_as_soon_as_an_update_arrives(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await people.send_text(lan.id, lan, "có ai không")
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates] == ["có ai không"]


async def test_a_second_poll_ends_the_first_with_409(bot: telegram.Bot, sandbox: SandboxServer) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_url) as another_instance:
        assert await another_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)


async def test_allowed_updates_filters_new_updates(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await bot.get_updates(allowed_updates=["callback_query"])
    await people.send_text(lan.id, lan, "không được giao")
    sent = await bot.send_message(lan.id, "Chọn", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("A", callback_data="a")]]))
    await people.press_button(lan, sent, lan, data="a")
    updates = await bot.get_updates()
    assert [(u.message, u.callback_query.data) for u in updates] == [(None, "a")]


async def test_messages_typed_at_once_arrive_as_typed_one_by_one(bot: telegram.Bot, people: SandboxClient,
                                                                  sandbox: SandboxServer) -> None:
    lan, minh = await people.create_user("Lan"), await people.create_user("Minh")
    cards = {}
    for user in (lan, minh):
        await people.private_chat(user)
        cards[user.id] = await bot.send_message(user.id, "Nhiệm vụ 1: báo cáo tiến độ")
    typed = await people.reply(lan.id, lan, cards[lan.id].message_id, "xong")
    written = sandbox.world.user_messages([(lan.id, lan.id, "đang làm 50%", cards[lan.id].message_id),
                                           (minh.id, minh.id, "/baocao", None)])
    assert [m.message_id for m, _ in written] == [typed.message_id + 1, cards[minh.id].message_id + 1]
    assert all(at > 0 for _, at in written)

    updates = await bot.get_updates()
    one_by_one, at_once, command = (u.to_dict() for u in updates)

    def shape(update: dict) -> dict:
        message = dict(update["message"], message_id=0, date=0, text="")
        return {**update, "update_id": 0, "message": message}

    assert shape(at_once) == shape(one_by_one)  # the documented Update/Message, the replied card quoted
    assert at_once["message"]["reply_to_message"]["message_id"] == cards[lan.id].message_id
    assert command["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 7}]
