"""The people's walk through the bot, end to end over HTTP: invite -> join -> /tasks -> report by buttons ->
report by a free-text reply -> edit that reply -> /summary as coordinator; and the refusals."""

from __future__ import annotations

from sqlmodel import select

from storage.models import ChatBinding, InboundMessage, Member, StatusReport
from tests.bot.conftest import World


def _button(message, label: str) -> str:  # type: ignore[no-untyped-def]
    return next(b["callback_data"] for b in message.buttons if b["text"] == label)


async def test_staff_walk_from_invite_to_summary(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    coord = await people.create_user("Hà")
    stranger = await people.create_user("Khách")

    # a stranger gets the polite explanation, and nothing else
    (hello,) = await world.after(stranger.id, people.start(stranger))
    assert "chưa được đăng ký" in hello.text and "mã mời" in hello.text

    # join with a single-use invite
    code = world.invite("kt", "staff", "KT-STAFF-1")
    (welcome,) = await world.after(lan.id, people.start(lan, code))
    assert "Phòng Kinh tế" in welcome.text
    member = world.db.call(lambda session: session.exec(select(Member).where(Member.user_id == str(lan.id))).one())
    assert member.unit_id == world.units["kt"] and member.role == "staff"

    # /nhiemvu lists the unit's tasks (lead and support), never another unit's
    (listing,) = await world.after(lan.id, people.send_command(lan.id, lan, "nhiemvu"))
    assert "Số hoá hồ sơ" in listing.text and "Tuyên truyền" in listing.text
    assert "Rà soát văn bản" not in listing.text  # Phòng Tư pháp's task
    assert "Quý II/2026" in listing.text

    # /baocao: a guided card with the four status buttons
    (card1,) = await world.after(lan.id, people.send_command(lan.id, lan, "baocao"))
    assert "Nhiệm vụ 1" in card1.text
    assert [b["text"] for b in card1.buttons][:4] == ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Vướng mắc"]
    (card2,) = await world.after(lan.id, people.press_button(lan.id, card1, lan, data=_button(card1, "Hoàn thành")))
    assert "Nhiệm vụ 2" in card2.text  # the next task follows
    edited = {m.id: m for m in await people.messages(lan.id)}[card1.id]
    assert edited.edited and "Hoàn thành" in edited.text and edited.buttons[0]["text"].startswith("↩️")

    # a free-text reply to the second card, without diacritics
    reply_holder = []

    async def send_reply() -> None:
        reply_holder.append(await people.reply(lan.id, lan, card2, "dang lam 50% du kien xong 20/6"))

    (confirm,) = await world.after(lan.id, send_reply())
    reply = reply_holder[0]
    assert "Đã ghi nhiệm vụ 2" in confirm.text and "50%" in confirm.text
    # ... then the reply is edited: a new version, the history kept
    (confirm2,) = await world.after(lan.id, people.edit_text(lan.id, lan, reply, "xong roi"))
    assert "Đã ghi nhiệm vụ 2" in confirm2.text and "hoàn thành" in confirm2.text.lower()

    versions = world.db.call(lambda session: [
        (r.version, r.status, r.percent, r.source) for r in session.exec(
            select(StatusReport).where(StatusReport.task_id == world.tasks["2"]).order_by(StatusReport.version))])
    assert versions == [(1, "in_progress", 50, "reply"), (2, "done", None, "edit")]

    # the coordinator asks for the summary
    world.invite("vp", "coordinator", "VP-COORD")
    await world.after(coord.id, people.start(coord, "VP-COORD"))
    summary = await world.after(coord.id, people.send_command(coord.id, coord, "tonghop", "Q2"), new=4, timeout=15)
    text = summary[0].text
    assert "QUÝ II/2026" in text.upper() and "Phòng Tư pháp" in text  # Tư pháp has not reported
    assert "1/2 đơn vị đã báo cáo" in text
    kinds = [("document" if m.document else "photo" if m.photo else "text") for m in summary]
    assert kinds.count("document") == 2 and kinds.count("photo") == 1


async def test_refusals(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    minh = await people.create_user("Minh")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-1")))
    await world.after(minh.id, people.start(minh, world.invite("tp", "staff", "TP-1")))

    # reused and expired invites
    outsider = await people.create_user("Tuấn")
    (used,) = await world.after(outsider.id, people.start(outsider, "KT-1"))
    assert "Mã mời không dùng được" in used.text
    old = world.invite("kt", "staff", "OLD", expired=True)
    (expired,) = await world.after(outsider.id, people.start(outsider, old))
    assert expired.text == used.text  # the same answer whatever the reason (issue 20)
    assert world.db.call(lambda session: session.exec(
        select(Member).where(Member.user_id == str(outsider.id))).first()) is None

    # staff asking for the summary
    (refused,) = await world.after(lan.id, people.send_command(lan.id, lan, "tonghop"))
    assert "Chỉ đầu mối" in refused.text

    # a group bound to Phòng Kinh tế; Minh (Phòng Tư pháp) is in it but cannot report for it
    group = await people.create_group("Phòng Kinh tế", creator=lan, members=[minh])
    (bound,) = await world.after(group.id, people.start_in_group(group.id, lan, world.invite("kt", "head", "KT-G")))
    assert "Nhóm này đã được gắn với" in bound.text
    (card,) = await world.after(group.id, people.send_command(group.id, lan, "baocao"))
    press = await people.press_button(group.id, card, minh, data=_button(card, "Hoàn thành"))
    answer = await people.callback_answer(press["id"])
    assert answer["answered"] and "chưa được đăng ký" in (answer["answer"]["text"] or "")
    (no,) = await world.after(group.id, people.reply(group.id, minh, card, "hoan thanh"))
    assert "chưa được đăng ký" in no.text
    (tasks_in_group,) = await world.after(group.id, people.send_command(group.id, minh, "nhiemvu"))
    assert "Rà soát văn bản" not in tasks_in_group.text  # Minh's own unit's task never shows in another unit's chat
    reports = world.db.call(lambda session: session.exec(select(StatusReport)).all())
    assert reports == []
    refusals = world.db.call(lambda session: session.exec(
        select(InboundMessage.outcome).where(InboundMessage.user_id == str(minh.id))).all())
    assert refusals.count("refused") == 2
    bindings = world.db.call(lambda session: session.exec(select(ChatBinding.chat_id, ChatBinding.role)).all())
    assert (str(group.id), "head") in bindings


async def test_unknown_reply_is_asked_back_not_guessed(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-9")))
    (card,) = await world.after(lan.id, people.send_command(lan.id, lan, "baocao"))
    (question,) = await world.after(lan.id, people.reply(lan.id, lan, card, "ok"))
    assert "Chưa rõ" in question.text and len(question.buttons) >= 4
    assert world.db.call(lambda session: session.exec(select(StatusReport)).all()) == []
    press = await people.press_button(lan.id, question, lan, data=_button(question, "Đang thực hiện"))
    await people.callback_answer(press["id"])
    (answered,) = [m for m in await people.messages(lan.id, sender="bot") if m.id == question.id]
    assert answered.edited and "Đang thực hiện" in answered.text  # the question becomes the confirmation
    press = await people.press_button(lan.id, answered, lan, data=_button(answered, "↩️ Hoàn tác"))
    assert "Đã hoàn tác" in ((await people.callback_answer(press["id"]))["answer"]["text"] or "")
    statuses = world.db.call(lambda session: [(r.status, r.raw_text) for r in session.exec(
        select(StatusReport).order_by(StatusReport.version))])
    assert statuses == [("in_progress", "ok"), ("retracted", None)]


async def test_command_menu_is_set_in_vietnamese_and_english(world: World) -> None:
    commands = (await world.people.state())["commands"]
    names = {c["command"] for scope in (commands.values() if isinstance(commands, dict) else [commands])
             for c in scope}
    assert {"help", "huongdan", "tasks", "nhiemvu", "report", "baocao", "summary", "tonghop"} <= names


async def test_invites_in_chat(world: World) -> None:
    people = world.people
    coord = await people.create_user("Hà")
    head = await people.create_user("Trưởng Nam")
    lan = await people.create_user("Lan")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    await world.after(head.id, people.start(head, world.invite("kt", "head", "KT-H")))

    (made,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", "staff Phòng Kinh tế"))
    assert "Phòng Kinh tế" in made.text and "https://t.me/NhacViecSandboxBot?start=" in made.text
    code = made.text.split("/start ")[1].split()[0]
    (welcome,) = await world.after(lan.id, people.start(lan, code))
    assert "Phòng Kinh tế" in welcome.text

    (refused,) = await world.after(head.id, people.send_command(head.id, head, "moi", "coordinator Văn phòng"))
    assert "chỉ tạo được mã mời cán bộ" in refused.text
    (own,) = await world.after(head.id, people.send_command(head.id, head, "moi"))
    assert "Phòng Kinh tế" in own.text and "cán bộ" in own.text
    (no,) = await world.after(lan.id, people.send_command(lan.id, lan, "moi"))
    assert "Chỉ đầu mối" in no.text


async def test_a_burst_of_replies_is_never_flood_controlled(world: World) -> None:
    """Commands are flood-controlled per person; replies to task cards are not, so none is lost."""
    people = world.people
    lan = await people.create_user("Lan")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-F")))
    (card,) = await world.after(lan.id, people.send_command(lan.id, lan, "baocao"))
    texts = [f"dang lam {10 + i}%" for i in range(15)]  # more than the flood guard's burst of 12
    for text in texts:
        await world.after(lan.id, people.reply(lan.id, lan, card, text))
    percents = world.db.call(lambda session: [r.percent for r in session.exec(
        select(StatusReport).order_by(StatusReport.version))])
    assert percents == [10 + i for i in range(15)]
    (hint,) = await world.after(lan.id, people.reply(lan.id, lan, (await people.messages(lan.id))[0], "xin chào"))
    assert "không gắn với nhiệm vụ" in hint.text  # a reply to a message that is not a task card


async def test_a_reply_about_several_tasks_is_asked_back_showing_each_part(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-10")))
    (card,) = await world.after(lan.id, people.send_command(lan.id, lan, "baocao"))
    (question,) = await world.after(lan.id, people.reply(lan.id, lan, card, "NV1 xong, NV2 dang lam 50%"))
    assert "Chưa rõ" in question.text and "nhiều nhiệm vụ" in question.text
    assert "NV1: Đã hoàn thành" in question.text and "NV2: Đang thực hiện, đạt 50%" in question.text
    assert len(question.buttons) >= 4
    assert world.db.call(lambda session: session.exec(select(StatusReport)).all()) == []  # nothing guessed
    (confirm,) = await world.after(lan.id, people.reply(lan.id, lan, card, "giai đoạn 1 xong, gđ 2 đang làm"))
    assert "Đã ghi nhiệm vụ" in confirm.text and "giai đoạn 1: Đã hoàn thành" in confirm.text  # stages of one task
    statuses = world.db.call(lambda session: [r.status for r in session.exec(select(StatusReport)).all()])
    assert statuses == ["in_progress"]
