"""Binding a group chat (issue 20, finding 3), through the running bot: only a leader's code binds a group, a
group belongs to one unit, and nobody's role drops because of the code they used in a group.

Probed before: a staff member of unit B sent B's code in unit A's group; the group became bound to both units,
B's nudges moved into A's group, and a head who bound a group with a staff code was downgraded to staff."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlmodel import select

from bot.base.chat import Incoming
from bot.base.clock import VN_TZ, FixedClock
from bot.chat.context import ChatDeps, group_binding
from handlers.start import handle_start
from scheduler.planning import unit_targets
from storage.database import Database
from storage.members import bind_chat, chat_bindings, create_invite, get_member
from storage.models import ChatBinding, InboundMessage, Invite
from tests.bot.conftest import World
from tests.factories import make_units


def _bindings(world: World, chat_id: int) -> list[tuple[int, str, bool]]:
    return world.db.call(lambda session: [(b.unit_id, b.role, b.active) for b in session.exec(
        select(ChatBinding).where(ChatBinding.chat_id == str(chat_id)).order_by(ChatBinding.id))])


def _role(world: World, user_id: int) -> tuple[int | None, str] | None:
    member = world.db.call(get_member, platform="telegram", user_id=str(user_id))
    return (member.unit_id, member.role) if member else None


def _unused(world: World, code: str) -> bool:
    return world.db.call(lambda session: session.exec(select(Invite).where(Invite.code == code)).one().used_at
                         is None)


async def test_a_staff_code_does_not_bind_a_group_and_stays_usable_in_private(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    group = await people.create_group("Phòng Kinh tế", creator=lan)
    code = world.invite("kt", "staff", "KT-STAFF-G")
    (refused,) = await world.after(group.id, people.start_in_group(group.id, lan, code))
    assert "Mã mời cán bộ không gắn được nhóm" in refused.text and "trò chuyện riêng" in refused.text
    assert "/moi head" in refused.text  # the way to get a code that does bind a group
    assert code not in refused.text  # the code is not repeated to the group
    assert _bindings(world, group.id) == [] and _role(world, lan.id) is None and _unused(world, code)
    (welcome,) = await world.after(lan.id, people.start(lan, code))
    assert "Bạn đã được đăng ký là Phòng Kinh tế (cán bộ)" in welcome.text
    assert _role(world, lan.id) == (world.units["kt"], "staff")


async def test_a_group_belongs_to_one_unit_until_it_is_unbound(world: World) -> None:
    people = world.people
    nam = await people.create_user("Trưởng Nam")  # head of Kinh tế
    minh = await people.create_user("Minh")  # staff of Tư pháp, in Kinh tế's group
    lan = await people.create_user("Lan")  # staff of Kinh tế
    await world.after(minh.id, people.start(minh, world.invite("tp", "staff", "TP-S")))
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-S")))
    group = await people.create_group("Phòng Kinh tế", creator=nam, members=[minh, lan])
    (bound,) = await world.after(group.id, people.start_in_group(group.id, nam, world.invite("kt", "head", "KT-H")))
    assert "Nhóm này đã được gắn với Phòng Kinh tế" in bound.text

    # another unit's codes: a staff code (Minh's own unit) and a head code are both refused, neither used
    (staff,) = await world.after(group.id, people.start_in_group(group.id, minh, world.invite("tp", "staff", "TP-2")))
    assert "Mã mời cán bộ không gắn được nhóm" in staff.text
    (other,) = await world.after(group.id, people.start_in_group(group.id, minh, world.invite("tp", "head", "TP-H")))
    assert "Nhóm này đã gắn với Phòng Kinh tế" in other.text and "/gonhom" in other.text
    assert _unused(world, "TP-2") and _unused(world, "TP-H")
    assert _bindings(world, group.id) == [(world.units["kt"], "head", True)]
    assert _role(world, minh.id) == (world.units["tp"], "staff")  # Minh is not moved into another unit
    outcomes = world.db.call(lambda session: session.exec(select(InboundMessage.outcome).where(
        InboundMessage.user_id == str(minh.id), InboundMessage.chat_id == str(group.id))).all())
    assert outcomes == ["refused", "refused"]
    targets = world.db.call(lambda session: unit_targets(session, world.units["tp"]))
    assert [t.chat_id for t in targets] == [str(minh.id)]  # Tư pháp's nudges stay in Minh's private chat

    # only Kinh tế's head (or a coordinator) frees the group; then Tư pháp's head code binds it
    (no,) = await world.after(group.id, people.send_command(group.id, lan, "gonhom"))
    assert "Chỉ lãnh đạo Phòng Kinh tế hoặc đầu mối tổng hợp" in no.text
    (freed,) = await world.after(group.id, people.send_command(group.id, nam, "gonhom"))
    assert "Đã gỡ nhóm này khỏi Phòng Kinh tế" in freed.text
    (moved,) = await world.after(group.id, people.start_in_group(group.id, minh, "TP-H"))
    assert "Nhóm này đã được gắn với Phòng Tư pháp" in moved.text
    assert [(u, r) for u, r, active in _bindings(world, group.id) if active] == [(world.units["tp"], "head")]
    (private,) = await world.after(nam.id, people.send_command(nam.id, nam, "gonhom"))
    assert "dùng trong nhóm chat" in private.text


async def test_binding_a_group_never_lowers_the_senders_role(world: World) -> None:
    people = world.people
    ha = await people.create_user("Hà")  # coordinator (Văn phòng)
    nam = await people.create_user("Trưởng Nam")  # head of Kinh tế
    lan = await people.create_user("Lan")  # staff of Kinh tế
    await world.after(ha.id, people.start(ha, world.invite("vp", "coordinator", "VP-C")))
    await world.after(nam.id, people.start(nam, world.invite("kt", "head", "KT-H1")))
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-S1")))
    first = await people.create_group("Kinh tế 1", creator=ha, members=[nam, lan])
    await world.after(first.id, people.start_in_group(first.id, ha, world.invite("kt", "head", "KT-H2")))
    assert _role(world, ha.id) == (world.units["vp"], "coordinator")  # still the coordinator of Văn phòng
    second = await people.create_group("Kinh tế 2", creator=nam, members=[lan])
    await world.after(second.id, people.start_in_group(second.id, nam, world.invite("kt", "head", "KT-H3")))
    assert _role(world, nam.id) == (world.units["kt"], "head")
    third = await people.create_group("Kinh tế 3", creator=lan)
    await world.after(third.id, people.start_in_group(third.id, lan, world.invite("kt", "head", "KT-H4")))
    assert _role(world, lan.id) == (world.units["kt"], "head")  # a head code is a head code, even in a group
    (made,) = await world.after(ha.id, people.send_command(ha.id, ha, "moi", "staff Phòng Kinh tế"))
    assert "Phòng Kinh tế" in made.text  # the coordinator's rights are intact


async def test_a_group_bound_twice_by_an_older_version_resolves_to_its_first_unit(world: World) -> None:
    """Data written before the refusal existed: two units bound to one group. The group acts for the first one
    bound (by id, on both engines), whatever order the rows come back in."""
    people = world.people
    nam = await people.create_user("Trưởng Nam")
    group = await people.create_group("Phòng Kinh tế", creator=nam)
    await world.after(group.id, people.start_in_group(group.id, nam, world.invite("kt", "head", "KT-H")))
    now = world.clock.now()
    world.db.call(bind_chat, platform="telegram", chat_id=str(group.id), chat_type="group",
                  unit_id=world.units["tp"], role="staff", now=now)
    world.db.call(bind_chat, platform="telegram", chat_id=str(group.id), chat_type="group",
                  unit_id=world.units["kt"], role="coordinator", now=now)
    event = Incoming(platform="telegram", chat_id=str(group.id), chat_type="group", user_id=str(nam.id),
                     user_name=None, update_key="x")
    assert world.db.call(lambda session: group_binding(session=session, event=event)) == (
        world.units["kt"], "coordinator")  # the first unit; its highest role
    (tasks,) = await world.after(group.id, people.send_command(group.id, nam, "nhiemvu"))
    assert "Số hoá hồ sơ" in tasks.text and "Rà soát văn bản" not in tasks.text


def test_two_leaders_binding_one_group_at_the_same_moment_bind_one_unit(db: Database) -> None:
    """Two heads of different units send their codes in one group at once: the second waits for the first's
    transaction (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) and is refused; one unit only."""
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))
    now = clock.now()
    with db.session() as s:
        a, b = make_units(s, "Phòng Kinh tế", "Phòng Tư pháp", now=now)
        for unit, code in ((a, "HEAD-A"), (b, "HEAD-B")):
            create_invite(session=s, unit_id=unit.id, role="head", code=code, now=now,
                          expires_at=now + timedelta(days=7))
        ids = a.id, b.id
    deps = ChatDeps(db=db, clock=clock, tz=VN_TZ)

    def start(user: str, code: str) -> Incoming:
        return Incoming(platform="telegram", chat_id="-500", chat_type="group", user_id=user, user_name=None,
                        update_key=f"msg:-500:{user}:0", text=f"/start {code}", args=(code,))

    first_bound, answers = threading.Event(), {}

    def second() -> None:
        first_bound.wait()
        with db.session() as s2:
            answers["b"] = handle_start(s2, deps, start("2", "HEAD-B"))[0].text

    other = threading.Thread(target=second)
    other.start()
    with db.session() as s1:
        answers["a"] = handle_start(s1, deps, start("1", "HEAD-A"))[0].text
        first_bound.set()
        other.join(timeout=0.5)  # the second code is being decided meanwhile, or waiting for this transaction
    other.join()
    assert "Nhóm này đã được gắn với <b>Phòng Kinh tế</b>" in answers["a"]
    assert "Nhóm này đã gắn với <b>Phòng Kinh tế</b>" in answers["b"]
    with db.session() as s:
        assert {x.unit_id for x in chat_bindings(session=s, platform="telegram", chat_id="-500")} == {ids[0]}
