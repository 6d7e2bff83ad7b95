"""/moi over the sandbox: every unit name the plan importer accepts, Vietnamese role words, the closest units as
buttons for an unknown name, a group's members as buttons (with how many more), and the button's own checks."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.invite import parse_role
from storage.models import Invite, Member
from storage.units import add_unit, join_group
from tests.bot.conftest import World


def _register(world: World, *names: str, group: str | None = None) -> dict[str, int]:
    def add(*, session):  # type: ignore[no-untyped-def]
        ids = {}
        for name in names:
            unit = add_unit(session=session, name=name, now=world.clock.now())
            if group:
                join_group(session=session, unit=unit, group=group)
            ids[name] = unit.id
        return ids

    return world.db.call(add)


def _invite_of(world: World, text: str) -> tuple[int, str]:
    code = text.split("/start ")[1].split()[0]
    invite = world.db.call(lambda session: session.exec(select(Invite).where(Invite.code == code)).one())
    return invite.unit_id, invite.role


@pytest.mark.parametrize(("args", "role", "rest"), [
    (["cán", "bộ", "Phòng", "TCHCQT"], "staff", ["Phòng", "TCHCQT"]),
    (["can", "bo", "Phòng"], "staff", ["Phòng"]),
    (["Lãnh", "đạo", "Sở", "Y", "tế"], "head", ["Sở", "Y", "tế"]),
    (["lanh", "dao"], "head", []),
    (["đầu", "mối", "tổng", "hợp", "Văn", "phòng"], "coordinator", ["Văn", "phòng"]),
    (["đầu", "mối"], "coordinator", []),
    (["HEAD", "Văn", "phòng"], "head", ["Văn", "phòng"]),
    (["Phòng", "Kinh", "tế"], None, ["Phòng", "Kinh", "tế"]),
])
def test_role_words(args: list[str], role: str | None, rest: list[str]) -> None:
    assert parse_role(args) == (role, rest)


async def test_moi_accepts_what_the_importer_accepts(world: World) -> None:
    people = world.people
    ids = _register(world, "Phòng Tổ chức – Hành chính – Quản trị", "Uỷ ban nhân dân xã Vân Hồ")
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    cases = [
        ("cán bộ Phòng TCHCQT", ids["Phòng Tổ chức – Hành chính – Quản trị"], "staff"),
        ("lanh dao phong to chuc - hanh chinh - quan tri", ids["Phòng Tổ chức – Hành chính – Quản trị"], "head"),
        ("staff UBND xa Van Ho", ids["Uỷ ban nhân dân xã Vân Hồ"], "staff"),
        ("head Ủy ban nhân dân xã Vân Hồ", ids["Uỷ ban nhân dân xã Vân Hồ"], "head"),
        ("đầu mối tổng hợp VĂN PHÒNG", world.units["vp"], "coordinator"),
    ]
    for args, unit_id, role in cases:
        (made,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", args))
        assert "Mã mời cho" in made.text, args
        assert _invite_of(world, made.text) == (unit_id, role), args


async def test_an_unknown_name_gets_the_closest_units_as_buttons(world: World) -> None:
    people = world.people
    ids = _register(world, "Phòng Văn hóa - Xã hội", "Phòng Tổ chức - Hành chính - Quản trị")
    coord = await people.create_user("Hà")
    lan = await people.create_user("Lan")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))

    written = "cán bộ Phong Van hoa va Xa hoi huyen"
    (asked,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", written))
    assert "Không tìm thấy đơn vị «Phong Van hoa va Xa hoi huyen»" in asked.text and "Có phải" in asked.text
    assert [b["text"] for b in asked.buttons] == ["Phòng Văn hóa - Xã hội"]  # not TCHCQT, not Phòng Kinh tế
    press = await people.press_button(coord.id, asked, coord, data=asked.buttons[0]["callback_data"])
    await people.callback_answer(press["id"], timeout=10)
    (made,) = [m for m in await people.messages(coord.id, sender="bot") if m.id == asked.id]
    assert made.edited and "Mã mời cho" in made.text
    assert _invite_of(world, made.text) == (ids["Phòng Văn hóa - Xã hội"], "staff")
    (welcome,) = await world.after(lan.id, people.start(lan, made.text.split("/start ")[1].split()[0]))
    assert "Phòng Văn hóa - Xã hội" in welcome.text

    (none,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", "cán bộ Sở Giáo dục và Đào tạo"))
    assert "không có đơn vị nào tên gần giống" in none.text and not none.buttons
    assert "nhacviec units add" in none.text  # the next step


async def test_a_group_offers_its_members_and_says_how_many_more(world: World) -> None:
    people = world.people
    communes = [f"UBND xã Mường {n}" for n in ("Bú", "La", "Chiên", "Giôn", "Sại", "Khiêng", "É", "Cơi", "Bang", "Lạn")]
    ids = _register(world, *communes, group="UBND cấp xã")
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    (asked,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", "lãnh đạo UBND cấp xã"))
    assert "nhóm gồm 10 đơn vị" in asked.text and "và 2 đơn vị khác" in asked.text
    assert len(asked.buttons) == 8
    press = await people.press_button(coord.id, asked, coord, data=asked.buttons[1]["callback_data"])
    await people.callback_answer(press["id"], timeout=10)
    (made,) = [m for m in await people.messages(coord.id, sender="bot") if m.id == asked.id]
    assert _invite_of(world, made.text) == (ids[asked.buttons[1]["text"]], "head")
    vague_text = "cán bộ các đơn vị có liên quan"
    (vague,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", vague_text))
    assert "không chỉ một đơn vị cụ thể" in vague.text and "/moi cán bộ" in vague.text and not vague.buttons


async def test_the_button_checks_who_presses_it(world: World) -> None:
    """A button is checked when pressed, not only when shown: someone no longer coordinator gets no code; an
    admin invite needs an admin whichever way it is asked for."""
    people = world.people
    _register(world, "Phòng Văn hóa - Xã hội")
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    (refused,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", "quản trị Văn phòng"))
    assert "Chỉ quản trị" in refused.text and "/moi cán bộ" in refused.text
    (asked,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", "cán bộ Phòng VH XH"))
    assert [b["text"] for b in asked.buttons] == ["Phòng Văn hóa - Xã hội"]  # initials, run together
    before = world.db.call(lambda session: len(session.exec(select(Invite)).all()))

    def demote(*, session):  # type: ignore[no-untyped-def]
        member = session.exec(select(Member).where(Member.user_id == str(coord.id))).one()
        member.role = "staff"
        session.add(member)

    world.db.call(demote)
    press = await people.press_button(coord.id, asked, coord, data=asked.buttons[0]["callback_data"])
    answer = await people.callback_answer(press["id"], timeout=10)
    assert "Chỉ đầu mối" in str(answer)
    assert world.db.call(lambda session: len(session.exec(select(Invite)).all())) == before


async def test_the_summary_command_finds_units_the_same_way(world: World) -> None:
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    (asked,) = await world.after(coord.id, people.send_command(coord.id, coord, "tonghop", "Q2 Phòng Tư pháp huyện"))
    assert "Không tìm thấy đơn vị «Phòng Tư pháp huyện»" in asked.text and "Có phải: «Phòng Tư pháp»?" in asked.text
    found = await world.after(coord.id, people.send_command(coord.id, coord, "tonghop", "PHONG TU PHAP (phối hợp)"),
                              new=4, timeout=15)
    assert "Phòng Tư pháp" in found[0].text and "Phòng Kinh tế" not in found[0].text
