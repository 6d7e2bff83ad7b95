"""Every bot-side method, called by the real python-telegram-bot client: proves the JSON shapes fit."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.error import BadRequest, Forbidden, InvalidToken

from bot.sandbox import SandboxClient, SandboxServer

from .conftest import TOKEN, tiny_png

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Xong", callback_data="done:1"),
                                  InlineKeyboardButton("Xem", url="https://example.org/plan")]])


async def test_get_me_describes_the_sandbox_bot(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "NhacViecSandboxBot")
    assert me.can_join_groups is True and me.can_read_all_group_messages is False


async def test_send_message_returns_a_full_message_and_the_chat_sees_it(
        bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan", last_name="Nguyễn", username="lan_vp")
    asked = await people.start(lan)
    sent = await bot.send_message(lan.id, "<b>Báo cáo</b> quý II &amp; tiến độ", parse_mode="HTML",
                                  reply_parameters=ReplyParameters(asked.message_id), reply_markup=KEYBOARD,
                                  link_preview_options=LinkPreviewOptions(is_disabled=True),
                                  disable_notification=True)
    second = await bot.send_message(lan.id, "Tin thứ hai")

    assert sent.message_id == asked.message_id + 1 and second.message_id == sent.message_id + 1
    assert sent.text == "Báo cáo quý II & tiến độ"
    assert sent.entities[0].type == "bold" and (sent.entities[0].offset, sent.entities[0].length) == (0, 7)
    assert sent.from_user.id == 123456789 and sent.chat.type == "private" and sent.chat.first_name == "Lan"
    assert sent.reply_to_message.message_id == asked.message_id and sent.reply_to_message.text == "/start"
    assert sent.reply_markup == KEYBOARD
    assert sent.link_preview_options.is_disabled is True
    seen = await people.wait_for_messages(lan, 2)
    assert [m.text for m in seen] == ["Báo cáo quý II & tiến độ", "Tin thứ hai"]
    assert seen[0].reply_to_message_id == asked.message_id
    assert seen[0].buttons[0]["callback_data"] == "done:1" and seen[0].raw["disable_notification"] is True


async def test_legacy_reply_to_message_id_and_force_reply(bot: telegram.Bot, people: SandboxClient) -> None:
    an = await people.create_user("An")
    asked = await people.start(an)
    sent = await bot.send_message(an.id, "Nhập tiến độ:", reply_to_message_id=asked.message_id,
                                  reply_markup=telegram.ForceReply(input_field_placeholder="50%"))
    assert sent.reply_to_message.message_id == asked.message_id
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    [seen] = await people.wait_for_messages(an, 1)
    assert seen.reply_markup == {"force_reply": True, "input_field_placeholder": "50%"}


async def test_edit_text_and_markup_apply_and_reject_a_no_op(bot: telegram.Bot, people: SandboxClient) -> None:
    binh = await people.create_user("Bình")
    await people.private_chat(binh)
    sent = await bot.send_message(binh.id, "Chưa xong", reply_markup=KEYBOARD)

    edited = await bot.edit_message_text("Đã xong", chat_id=binh.id, message_id=sent.message_id,
                                         reply_markup=KEYBOARD)
    assert edited.text == "Đã xong" and edited.edit_date is not None and edited.reply_markup == KEYBOARD
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Đã xong", chat_id=binh.id, message_id=sent.message_id, reply_markup=KEYBOARD)
    plain = await bot.edit_message_reply_markup(chat_id=binh.id, message_id=sent.message_id, reply_markup=None)
    assert plain.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id=binh.id, message_id=sent.message_id)

    [seen] = await people.messages(binh, sender="bot")
    assert (seen.text, seen.edited, seen.history, seen.buttons) == ("Đã xong", True, ["Chưa xong"], [])


async def test_edit_text_without_markup_drops_the_keyboard_as_telegram_does(
        bot: telegram.Bot, people: SandboxClient) -> None:
    chi = await people.create_user("Chi")
    await people.private_chat(chi)
    sent = await bot.send_message(chi.id, "Chọn", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Đã chọn", chat_id=chi.id, message_id=sent.message_id)
    assert edited.reply_markup is None


async def test_delete_message_flags_it_and_a_second_delete_fails(bot: telegram.Bot, people: SandboxClient) -> None:
    dung = await people.create_user("Dũng")
    await people.private_chat(dung)
    sent = await bot.send_message(dung.id, "Nhầm")
    assert await bot.delete_message(dung.id, sent.message_id) is True
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(dung.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=dung.id, message_id=sent.message_id)
    [seen] = await people.messages(dung, sender="bot")
    assert seen.deleted is True
    assert await people.messages(dung, sender="bot", include_deleted=False) == []


async def test_answer_callback_query_is_recorded_once(bot: telegram.Bot, people: SandboxClient) -> None:
    em = await people.create_user("Em")
    await people.private_chat(em)
    sent = await bot.send_message(em.id, "Xác nhận?", reply_markup=KEYBOARD)
    pressed = await people.press_button(em, sent.message_id, em, text="Xong")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert (query.id, query.data, query.from_user.id) == (pressed["id"], "done:1", em.id)
    assert query.message.message_id == sent.message_id and query.message.reply_markup == KEYBOARD

    assert await query.answer("Đã ghi nhận", show_alert=True) is True
    answer = await people.callback_answer(pressed["id"])
    assert answer["answer"]["text"] == "Đã ghi nhận" and answer["answer"]["show_alert"] is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_document_upload_get_file_and_download(bot: telegram.Bot, people: SandboxClient) -> None:
    giang = await people.create_user("Giang")
    await people.private_chat(giang)
    content = "Đơn vị,Tiến độ\nSở Tư pháp,80%\n".encode()
    sent = await bot.send_document(giang.id, content, filename="tong_hop.csv", caption="<i>Tổng hợp</i>",
                                   parse_mode="HTML")
    document = sent.document
    assert (document.file_name, document.mime_type, document.file_size) == ("tong_hop.csv", "text/csv", len(content))
    assert sent.caption == "Tổng hợp" and sent.caption_entities[0].type == "italic"

    file = await bot.get_file(document.file_id)
    assert file.file_size == len(content) and file.file_path.endswith("/documents/file_1.csv")
    assert bytes(await file.download_as_bytearray()) == content

    again = await bot.send_document(giang.id, document.file_id)  # by file_id, no upload
    assert again.document.file_id == document.file_id
    [seen, _] = await people.messages(giang, sender="bot")
    assert seen.document["file_name"] == "tong_hop.csv" and await people.download(document.file_id) == content


async def test_send_photo_measures_the_image(bot: telegram.Bot, people: SandboxClient) -> None:
    hoa = await people.create_user("Hoa")
    await people.private_chat(hoa)
    sent = await bot.send_photo(hoa.id, tiny_png(5, 4), caption="Biểu đồ")
    [size] = sent.photo
    assert (size.width, size.height) == (5, 4)
    assert bytes(await (await bot.get_file(size.file_id)).download_as_bytearray()) == tiny_png(5, 4)
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(hoa.id, b"not an image", filename="x.jpg")


async def test_user_document_reaches_the_bot_and_downloads(bot: telegram.Bot, people: SandboxClient) -> None:
    khanh = await people.create_user("Khánh")
    await people.private_chat(khanh)
    xlsx = b"PK\x03\x04 fake workbook"
    await people.send_document(khanh, khanh, "ke_hoach_2026.xlsx", xlsx, caption="Kế hoạch")
    [update] = await bot.get_updates()
    document = update.message.document
    assert document.file_name == "ke_hoach_2026.xlsx" and document.file_size == len(xlsx)
    assert document.mime_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert update.message.caption == "Kế hoạch"
    assert bytes(await (await bot.get_file(document.file_id)).download_as_bytearray()) == xlsx


async def test_commands_by_scope(bot: telegram.Bot) -> None:
    commands = [telegram.BotCommand("start", "Bắt đầu"), telegram.BotCommand("baocao", "Báo cáo tiến độ")]
    assert await bot.set_my_commands(commands) is True
    assert await bot.set_my_commands(commands[:1], scope=telegram.BotCommandScopeAllGroupChats()) is True
    assert list(await bot.get_my_commands()) == commands
    assert list(await bot.get_my_commands(scope=telegram.BotCommandScopeAllGroupChats())) == commands[:1]
    assert await bot.delete_my_commands() is True
    assert list(await bot.get_my_commands()) == []
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([telegram.BotCommand("Bao Cao", "x")])


async def test_get_chat_member_and_chat_action(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    minh = await people.create_user("Minh")
    group = await people.create_group("Phòng Kế hoạch", creator=lan, members=[minh], supergroup=True)
    chat = await bot.get_chat(group.id)
    assert (chat.id, chat.type, chat.title) == (group.id, "supergroup", "Phòng Kế hoạch")
    assert (await bot.get_chat_member(group.id, lan.id)).status == "creator"
    assert (await bot.get_chat_member(group.id, minh.id)).status == "member"
    assert (await bot.get_chat_member(group.id, bot.id)).status == "member"
    assert await bot.get_chat_member_count(group.id) == 3
    assert [m.user.id for m in await bot.get_chat_administrators(group.id)] == [lan.id]
    assert await bot.send_chat_action(group.id, "upload_document") is True
    assert (await people.chat_info(group))["actions"] == ["upload_document"]


async def test_bad_requests_use_telegram_descriptions(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    cases = [
        (lambda: bot.send_message(999, "x"), "chat not found"),
        (lambda: bot.send_message(lan.id, "   "), "message text is empty"),
        (lambda: bot.send_message(lan.id, "x", reply_parameters=ReplyParameters(42)),
         "message to be replied not found"),
        (lambda: bot.send_message(lan.id, "<b>x", parse_mode="HTML"), "can't parse entities"),
        (lambda: bot.send_message(lan.id, "a <c> b", parse_mode="HTML"), "Unsupported start tag \"c\""),
        (lambda: bot.send_message(lan.id, "x" * 4097), "message is too long"),
        (lambda: bot.get_file("no-such-file"), "wrong file identifier"),
        (lambda: bot.edit_message_text("x", chat_id=lan.id, message_id=77), "message to edit not found"),
    ]
    for call, description in cases:
        with pytest.raises(BadRequest, match=r"(?i)" + description):
            await call()
    ok = await bot.send_message(lan.id, "x", reply_parameters=ReplyParameters(42, allow_sending_without_reply=True))
    assert ok.reply_to_message is None


async def test_blocked_and_kicked_answer_403(bot: telegram.Bot, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    await people.block_bot(lan)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(lan.id, "Nhắc việc")
    await people.unblock_bot(lan)
    stranger = await people.create_user("Người lạ")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation"):
        await bot.send_message(stranger.id, "Chào")
    assert (await bot.send_message(lan.id, "Nhắc việc")).text == "Nhắc việc"

    group = await people.create_group("Tổ công tác", creator=lan)
    await people.remove_bot(group, by=lan)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the group chat"):
        await bot.send_message(group.id, "Nhắc việc")
    updates = await bot.get_updates()
    kinds = [(u.my_chat_member.chat.id, u.my_chat_member.new_chat_member.status) for u in updates if u.my_chat_member]
    assert kinds == [(lan.id, "kicked"), (lan.id, "member"), (group.id, "member"), (group.id, "kicked")]


async def test_wrong_token_is_unauthorized(sandbox: SandboxServer) -> None:
    other = telegram.Bot("987654321:" + "B" * 35, base_url=sandbox.bot_api_url)
    with pytest.raises(InvalidToken):
        await other.get_me()
    malformed = telegram.Bot("123:short", base_url=sandbox.bot_api_url)
    with pytest.raises(InvalidToken, match=r"(?i)Not Found"):
        await malformed.get_me()
    mine = telegram.Bot(TOKEN, base_url=sandbox.bot_api_url)
    assert (await mine.get_me()).id == 123456789
