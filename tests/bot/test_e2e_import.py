"""A coordinator imports a plan by sending the file in chat: preview, then one-button commit."""

from __future__ import annotations

from sqlmodel import select

from bot.base import messages as msg
from storage.models import Plan, Task, Unit
from tests.bot.conftest import World

PLAN = (
    "TT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n"
    "1\tXây dựng kho dữ liệu dùng chung\tPhòng Kinh tế\tPhòng Tư pháp\tQuý III/2026\n"
    "2\tĐào tạo kỹ năng số cho cán bộ\tPhòng Văn hóa - Xã hội\t\tTrước 30/11/2026\n"
).encode()


async def test_coordinator_imports_a_plan_file_in_chat(world: World) -> None:
    people = world.people
    coord = await people.create_user("Hà")
    lan = await people.create_user("Lan")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-1")))
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-1")))

    (refused,) = await world.after(lan.id, people.send_document(lan.id, lan, "ke-hoach.tsv", PLAN))
    assert "Chỉ đầu mối" in refused.text

    (preview,) = await world.after(coord.id, people.send_document(coord.id, coord, "ke-hoach.tsv", PLAN),
                                   timeout=30)  # read in a worker process: the first one starts the fork server
    assert "Xem trước" in preview.text and "2 nhiệm vụ" in preview.text
    assert "Phòng Văn hóa - Xã hội" in preview.text  # an unknown lead unit is named, never dropped
    labels = [b["text"] for b in preview.buttons]
    # importing never needs units
    assert labels == ["✅ Nhập kế hoạch", "✅ Nhập và đăng ký đơn vị mới", "✂️ Bỏ bớt mục", "Huỷ"]
    assert world.db.call(lambda session: session.exec(select(Plan)).all()).__len__() == 1  # nothing written yet

    press = await people.press_button(coord.id, preview, coord, data=preview.buttons[1]["callback_data"])
    await people.callback_answer(press["id"], timeout=10)
    (done,) = [m for m in await people.messages(coord.id, sender="bot") if m.id == preview.id]
    assert done.edited and "Đã nhập" in done.text

    titles = world.db.call(lambda session: sorted(t.title for t in session.exec(select(Task)).all()))
    assert "Xây dựng kho dữ liệu dùng chung" in titles and "Đào tạo kỹ năng số cho cán bộ" in titles
    assert world.db.call(lambda session: session.exec(
        select(Unit).where(Unit.name == "Phòng Văn hóa - Xã hội")).first()) is not None

    # the same button again (a double tap) imports nothing twice
    again = await people.press_button(coord.id, done, coord, data=preview.buttons[1]["callback_data"]) \
        if done.buttons else None
    assert again is None
    assert world.db.call(lambda session: len(session.exec(select(Task)).all())) == 5


async def test_bad_file_gets_a_clear_message_and_nothing_is_written(world: World) -> None:
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-2")))
    (answer,) = await world.after(coord.id, people.send_document(coord.id, coord, "rac.docx", b"\x00\x01 not a docx"),
                                  timeout=30)
    assert "Không nhập được" in answer.text and "Không có gì được ghi" in answer.text
    assert world.db.call(lambda session: len(session.exec(select(Task)).all())) == 3


async def test_coordinator_imports_a_plan_written_in_prose(world: World) -> None:
    """No task table: the duties are read from the plan's sentences, previewed with their lines, then committed."""
    from pathlib import Path

    text = (Path(__file__).parents[1] / "importer" / "fixtures" / "prose_plan.txt").read_bytes()
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-3")))
    (preview,) = await world.after(coord.id, people.send_document(coord.id, coord, "ke-hoach.txt", text),
                                   timeout=30)
    assert "Đọc từ văn bản" in preview.text and "dòng 17" in preview.text
    press = await people.press_button(coord.id, preview, coord, data=preview.buttons[1]["callback_data"])
    await people.callback_answer(press["id"], timeout=10)
    (done,) = [m for m in await people.messages(coord.id, sender="bot") if m.id == preview.id]
    assert "Đã nhập" in done.text
    titles = world.db.call(lambda session: [t.title for t in session.exec(select(Task)).all()])
    assert any(t.startswith("Hỗ trợ chuyển hồ sơ") for t in titles)


THREE = PLAN + "3\tMua sắm máy chủ dự phòng\tPhòng Kinh tế\t\tQuý IV/2026\n".encode()


async def _edited(world: World, chat_id: int, message_id: int):  # type: ignore[no-untyped-def]
    (found,) = [m for m in await world.people.messages(chat_id, sender="bot") if m.id == message_id]
    return found


async def _press(world: World, coord, message, label_start: str):  # type: ignore[no-untyped-def]
    data = next(b["callback_data"] for b in message.buttons if b["text"].startswith(label_start))
    press = await world.people.press_button(coord.id, message, coord, data=data)
    answer = await world.people.callback_answer(press["id"], timeout=10)
    return await _edited(world, coord.id, message.id), answer


async def test_coordinator_leaves_items_out_at_the_preview_with_buttons(world: World) -> None:
    """"Bỏ bớt mục" lists the items as toggle buttons; the preview then says what is left out, and "Nhập"
    imports without it. The choice is kept beside the stashed file, so a restart in between loses nothing."""
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-4")))
    (preview,) = await world.after(coord.id, people.send_document(coord.id, coord, "ke-hoach.tsv", THREE),
                                   timeout=30)
    listing, _ = await _press(world, coord, preview, "✂️")
    assert listing.edited and "Bỏ bớt mục" in listing.text and "Chưa bỏ mục nào" in listing.text
    assert [b["text"][:4] for b in listing.buttons[:3]] == ["☑️ 1", "☑️ 2", "☑️ 3"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in listing.buttons)

    listing, _ = await _press(world, coord, listing, "☑️ 2")
    assert listing.buttons[1]["text"].startswith("❌ 2") and "Sẽ bỏ 1 mục khi nhập: 2" in listing.text
    listing, _ = await _press(world, coord, listing, "☑️ 3")
    listing, _ = await _press(world, coord, listing, "❌ 3")  # pressed again: kept
    assert listing.buttons[2]["text"].startswith("☑️ 3")

    token = listing.buttons[0]["callback_data"].split("|")[1]
    forged = world.press_raw(coord.id, listing.id, coord.id, f"imp|{token}|t|99")  # no item 99
    assert (await people.callback_answer(forged, timeout=10))["answer"]["text"] == msg.BUTTON_GONE
    assert "Sẽ bỏ 1 mục" in (await _edited(world, coord.id, listing.id)).text  # the forged press changed nothing

    back, _ = await _press(world, coord, listing, "↩️")
    assert "Xem trước" in back.text and "Sẽ bỏ 1 mục khi nhập: 2." in back.text
    done, _ = await _press(world, coord, back, "✅ Nhập và đăng ký")
    assert "Đã nhập" in done.text and "Đã bỏ theo yêu cầu 1 mục: 2." in done.text
    titles = world.db.call(lambda session: [t.title for t in session.exec(select(Task)).all()])
    assert "Mua sắm máy chủ dự phòng" in titles and "Xây dựng kho dữ liệu dùng chung" in titles
    assert "Đào tạo kỹ năng số cho cán bộ" not in titles


async def test_coordinator_leaves_items_out_by_typing_their_codes(world: World) -> None:
    """"bỏ 2 3" typed while the preview waits (as a chat without buttons would): the same skip set as the buttons;
    an unknown code is said, "giữ 3" takes one back."""
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-5")))
    (preview,) = await world.after(coord.id, people.send_document(coord.id, coord, "ke-hoach.tsv", THREE),
                                   timeout=30)
    (unknown,) = await world.after(coord.id, people.send_text(coord.id, coord, "bỏ 9"))
    assert "không có mục mã 9" in unknown.text
    (typed,) = await world.after(coord.id, people.send_text(coord.id, coord, "bỏ 2, 3"))
    assert "Sẽ bỏ 2 mục khi nhập: 2, 3." in typed.text
    (kept,) = await world.after(coord.id, people.reply(coord.id, coord, preview, "giữ 3"))  # a reply to it too
    assert "Sẽ bỏ 1 mục khi nhập: 2." in kept.text
    done, _ = await _press(world, coord, preview, "✅ Nhập và đăng ký")
    assert "Đã bỏ theo yêu cầu 1 mục: 2." in done.text
    titles = world.db.call(lambda session: [t.title for t in session.exec(select(Task)).all()])
    assert "Mua sắm máy chủ dự phòng" in titles and "Đào tạo kỹ năng số cho cán bộ" not in titles
    (after,) = await world.after(coord.id, people.send_text(coord.id, coord, "bỏ 2"))  # no preview waits now
    assert "bỏ" not in after.text.lower()[:20]
