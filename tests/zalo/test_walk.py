"""The people's walk on Zalo, end to end over HTTP against the twin: invite -> join -> nudge -> typed reply ->
confirmation -> undo -> a task code -> /tonghop; and the refusals (a stranger, another unit's task)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from sqlmodel import select

from bot.chat.capabilities import signed_file_links
from bot.web.links import check_download
from storage.models import MessageLink, Plan, StatusReport, Unit
from tests.factories import make_task
from tests.zalo.conftest import ZaloWorld


def _reports(world: ZaloWorld) -> list[StatusReport]:
    return world.db.call(lambda session: list(session.exec(select(StatusReport).order_by(StatusReport.id))))


async def test_zalo_walk_from_invite_to_summary(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    lan = await people.create_user("Lan")
    ha = await people.create_user("Hà")
    stranger = await people.create_user("Khách")

    # a stranger: the polite explanation, as plain text (Zalo shows no HTML)
    (hello,) = await world.after(stranger, people.say(stranger, "xong"))
    assert "chưa được đăng ký" in hello["text"] and "mã mời" in hello["text"] and "<b>" not in hello["text"]

    # join by the bare code (no /start needed), the coordinator by "/start CODE"
    (welcome,) = await world.after(lan, people.say(lan, world.invite("kt", "staff", "KT-STAFF-1")))
    assert "Phòng Kinh tế" in welcome["text"] and "gõ số" in welcome["text"] and "bấm nút" not in welcome["text"]
    (welcome2,) = await world.after(ha, people.say(ha, "/start " + world.invite("vp", "coordinator", "VP-COORD-1")))
    assert "Văn phòng" in welcome2["text"]

    # the nudge: a reminder and one card per open task, each card with its numbered answers
    report = await world.nudges.tick()
    assert report.dispatch.sent == 3, report  # Lan's chat: nudge + 2 cards (the coordinator's chat has no task)
    sent = await people.messages(lan)
    answers = "Trả lời: 1 Hoàn thành · 2 Đang thực hiện · 3 Chưa thực hiện · 4 Vướng mắc — hoặc gõ tình hình"
    cards = [m for m in sent if answers in m["text"]]
    assert len(cards) == 2 and "Tuyên truyền" in cards[-1]["text"]
    assert all(len(m["text"]) <= 2000 and "<b>" not in m["text"] and "Bấm nút" not in m["text"] for m in sent)

    # a typed number answers the last card (task 2); the confirmation names the task and says how to undo
    (confirm,) = await world.after(lan, people.say(lan, "2"))
    assert "Đã ghi nhiệm vụ 2" in confirm["text"] and "Đang thực hiện" in confirm["text"]
    assert "hoàn tác" in confirm["text"]
    assert [(r.task_id, r.status) for r in _reports(world)] == [(world.tasks["2"], "in_progress")]

    # the note that follows the confirmation goes with it
    (noted,) = await world.after(lan, people.say(lan, "đã đăng 3 tin bài, còn chờ duyệt"))
    assert "Đã ghi nhiệm vụ 2" in noted["text"]

    # "hoàn tác" undoes the last confirmation
    (undone,) = await world.after(lan, people.say(lan, "hoàn tác"))
    assert "Đã hoàn tác" in undone["text"]

    # a task code at the start says which task: the other card
    (coded,) = await world.after(lan, people.say(lan, "NV1 dang lam 60% du kien xong 20/6"))
    assert "Đã ghi nhiệm vụ 1" in coded["text"] and "60%" in coded["text"]
    (colon,) = await world.after(lan, people.say(lan, "2: hoàn thành"))
    assert "Đã ghi nhiệm vụ 2" in colon["text"] and "hoàn thành" in colon["text"].lower()
    standing = {r.task_id: r.status for r in _reports(world) if r.current}
    assert standing == {world.tasks["1"]: "in_progress", world.tasks["2"]: "done"}

    # another unit's task code: refused, with the next step
    (other,) = await world.after(lan, people.say(lan, "NV3 xong"))
    assert "Không có nhiệm vụ mã «3»" in other["text"] and "/nhiemvu" in other["text"]
    assert all(r.task_id != world.tasks["3"] for r in _reports(world))

    # commands as text: /nhiemvu for staff, /tonghop refused to staff, given to the coordinator
    (listing,) = await world.after(lan, people.say(lan, "/nhiemvu"))
    assert "Số hoá hồ sơ" in listing["text"] and "Rà soát văn bản" not in listing["text"]
    (refused,) = await world.after(lan, people.say(lan, "/tonghop"))
    assert "đầu mối" in refused["text"].lower()
    before = len(await people.messages(ha))
    await people.say(ha, "/tonghop")
    summary = await people.wait_for(ha, before + 4)
    texts = "\n".join(m["text"] for m in summary[before:])
    assert "Phòng Kinh tế" in texts and all(len(m["text"]) <= 2000 for m in summary)
    assert "Tệp «tong-hop-" in texts and ".xlsx" in texts  # the file hook's line, until the web app links them

    # every card and confirmation the bot sent is linked, so typed answers find their task
    links = world.db.call(lambda session: session.exec(select(MessageLink).where(
        MessageLink.platform == "zalo")).all())
    assert {link.kind for link in links} >= {"task_card", "confirmation"}


async def test_asks_which_task_when_it_cannot_know(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    lan = await people.create_user("Lan")
    await world.after(lan, people.say(lan, world.invite("kt", "staff", "KT-STAFF-2")))
    (asked,) = await world.after(lan, people.say(lan, "xong rồi"))  # no card sent yet, no code
    assert "nhiệm vụ nào" in asked["text"] and "1. Số hoá hồ sơ" in asked["text"] and "NV3" in asked["text"]
    assert _reports(world) == []
    (unclear,) = await world.after(lan, people.say(lan, "NV1 ok"))  # a code, but "ok" says too little
    assert "Chưa rõ tình trạng nhiệm vụ 1" in unclear["text"] and "Trả lời: 1 Hoàn thành" in unclear["text"]
    (picked,) = await world.after(lan, people.say(lan, "1"))  # the numbered answer to that question
    assert "Đã ghi nhiệm vụ 1" in picked["text"] and "Hoàn thành" in picked["text"]


async def test_group_answers_go_to_each_persons_own_card(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    lan, minh, khach = [await people.create_user(n) for n in ("Lan", "Minh", "Khách")]
    for user, code in ((lan, "KT-A"), (minh, "KT-B")):
        await world.after(user, people.say(user, world.invite("kt", "staff", code + "-123")))
    group = await people.create_group("Phòng Kinh tế", [lan, minh, khach])
    # only a head (or coordinator) code binds a group (issue 20)
    await world.after(group, people.say(lan, "/start " + world.invite("kt", "head", "KT-GROUP-1"), group))
    (card_lan,) = await world.after(group, people.say(lan, "/baocao", group))
    assert "Nhiệm vụ 1" in card_lan["text"] and "5 Bỏ qua" in card_lan["text"]
    (card_minh_1,) = await world.after(group, people.say(minh, "/baocao", group))
    assert "Nhiệm vụ 1" in card_minh_1["text"]
    (card_minh_2,) = await world.after(group, people.say(minh, "5", group))  # Minh skips to task 2
    assert "Nhiệm vụ 2" in card_minh_2["text"]
    # Lan's "1" answers Lan's card (task 1), not Minh's newer one
    confirm = await world.after(group, people.say(lan, "1", group), new=2)
    assert "Đã ghi nhiệm vụ 1" in confirm[0]["text"]
    # chatter of a stranger in the group: silence, nothing recorded
    before = len(await people.messages(group))
    await people.say(khach, "mọi người ăn trưa chưa", group)
    await people.say(minh, "/nhiemvu", group)  # a marker: its answer comes after anything the chatter caused
    after = await people.wait_for(group, before + 1)
    assert len(after) == before + 1 and "Số hoá hồ sơ" in after[-1]["text"]
    reports = _reports(world)
    assert [(r.task_id, r.status) for r in reports] == [(world.tasks["1"], "done")]


async def test_summary_files_as_signed_links_of_the_web_pages(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    secret = "s3cret-for-the-download-links"
    world.connector.file_link = signed_file_links(base_url="https://web.example.gov.vn", secret=secret,
                                                  clock=world.clock)
    ha = await people.create_user("Hà")
    await world.after(ha, people.say(ha, world.invite("vp", "coordinator", "VP-COORD-7")))
    before = len(await people.messages(ha))
    await people.say(ha, "/tonghop")
    got = (await people.wait_for(ha, before + 5))[before:]
    texts = "\n".join(m["text"] for m in got)
    links = re.findall(r"https://web\.example\.gov\.vn/tai\?\S+", texts)
    photos = [m["photo"] for m in got if m["photo"]]
    assert "Tải tệp «tong-hop-" in texts and len(links) == 2 and len(photos) == 1
    given = [check_download(secret=secret, query=dict(parse_qsl(urlsplit(url).query)), now=world.clock.now())
             for url in (*links, *photos)]  # each link is one the web pages accept, for that file
    assert sorted(d.fmt for d in given) == ["docx", "png", "xlsx"]
    plan_id = world.db.call(lambda session: session.exec(select(Plan.id)).one())
    assert {d.plan_id for d in given} == {plan_id} and len({d.period_key for d in given}) == 1


async def test_a_member_of_another_unit_is_refused_in_a_units_group(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    lan, tu = await people.create_user("Lan"), await people.create_user("Tú")
    await world.after(lan, people.say(lan, world.invite("kt", "staff", "KT-STAFF-5")))
    await world.after(tu, people.say(tu, world.invite("tp", "staff", "TP-STAFF-5")))
    group = await people.create_group("Phòng Kinh tế", [lan, tu])
    await world.after(group, people.say(lan, "/start " + world.invite("kt", "head", "KT-GROUP-5"), group))
    await world.nudges.tick()  # the group gets Phòng Kinh tế's nudge and cards
    (refused,) = await world.after(group, people.say(tu, "1", group))
    assert "không thể báo cáo thay" in refused["text"] and "mã mời" in refused["text"]
    (refused2,) = await world.after(group, people.say(tu, "NV1 xong", group))
    assert "không thể báo cáo thay" in refused2["text"]
    assert _reports(world) == []


async def test_long_texts_split_under_2000_characters_at_line_boundaries(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    with world.db.session() as session:
        plan = session.exec(select(Plan)).one()
        economy = session.get(Unit, world.units["kt"])
        for n in range(40):
            make_task(session, plan, code=f"5.{n}", title=f"Nhiệm vụ dài số {n}: " + "triển khai thực hiện " * 6,
                      lead=economy, deadlines=("2026-06-30",), now=world.clock.now())
    lan = await people.create_user("Lan")
    await world.after(lan, people.say(lan, world.invite("kt", "staff", "KT-STAFF-8")))
    before = len(await people.messages(lan))
    await people.say(lan, "/nhiemvu")
    await people.say(lan, "/huongdan")  # a marker: the listing is complete once its answer is there
    while True:
        got = (await people.messages(lan))[before:]
        if any("Hướng dẫn" in m["text"] for m in got):
            break
        await people.wait_for(lan, before + len(got) + 1)  # one more than seen (not re-read: it may be there now)
    pieces = [m["text"] for m in (await people.messages(lan))[before:] if "Hướng dẫn" not in m["text"]]
    assert len(pieces) >= 3 and all(len(p) <= 2000 for p in pieces)
    for n in range(40):  # every task line whole, in exactly one piece
        assert sum(f"Nhiệm vụ dài số {n}: " in p for p in pieces) == 1, n
