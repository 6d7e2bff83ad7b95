"""/kiemtra (/check) over the sandbox, on SQLite and PostgreSQL: `plans check` for the coordinator in chat
(headline first, the names as the plan wrote them and why, long lists counted), refused to everyone else."""

from __future__ import annotations

from sqlmodel import Session

from bot.adapters.zalo import COMMANDS
from handlers.check import LIMIT
from storage.models import Plan, Task
from storage.units import get_or_create_group
from tests.bot.conftest import World
from tests.factories import make_task, make_units


def _unassigned(world: World, count: int) -> None:
    """`count` tasks whose lead the directory cannot resolve: a vague phrase, unknown names, an empty group."""
    def add(*, session: Session) -> None:
        get_or_create_group(session=session, name="UBND cấp xã")
        now = world.clock.now()
        names = [["doanh nghiệp"], ["UBND cấp xã"]] + [[f"Sở Thử nghiệm {i}"] for i in range(count - 2)]
        for index, lead in enumerate(names):
            session.add(Task(plan_id=world.plan_id, code=str(10 + index), title=f"Việc chưa giao {index} <b>",
                             lead_names=lead, position=10 + index, created_at=now, updated_at=now))

    world.db.call(add)


async def test_the_coordinator_sees_who_is_not_nudged_and_why(world: World) -> None:
    people = world.people
    _unassigned(world, LIMIT + 4)
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))

    for name in ("kiemtra", "check"):
        got = await world.after(coord.id, people.send_command(coord.id, coord, name))
        text = "\n".join(m.text for m in got)
        total = 3 + LIMIT + 4
        assert got[0].text.startswith(f"Kiểm tra kế hoạch mã {world.plan_id}: 3/{total} nhiệm vụ có đơn vị chủ trì")
        assert f"{LIMIT + 4} nhiệm vụ chưa có đơn vị chủ trì" in got[0].text.split("\n")[0]
        assert "«doanh nghiệp» (không phải một cơ quan, đơn vị cụ thể)" in text
        assert "«Sở Thử nghiệm 0» (chưa có trong danh mục)" in text
        assert "«UBND cấp xã» (nhóm chưa có thành viên)" in text
        assert "Việc chưa giao 0 <b>" in text  # the plan's text, shown as written (escaped for HTML)
        assert f"và 4 nhiệm vụ khác (xem đủ: nhacviec plans check --plan {world.plan_id} --json)" in text
        assert f"Sở Thử nghiệm {LIMIT - 2}»" not in text  # cut after LIMIT tasks
        assert "Nhóm chưa có thành viên (1): UBND cấp xã. Cách sửa: trên máy chủ: nhacviec units group add" in text
        assert "chưa có người nhận tin (chưa ai tham gia) (2): Phòng Kinh tế; Phòng Tư pháp." in text
        assert "Cách sửa: /moi cán bộ ĐƠN VỊ" in text
        assert "(2): Phòng Kinh tế; Phòng Tư pháp. Cách sửa: /moi lãnh đạo ĐƠN VỊ" in text
        assert "Chi tiết: nhacviec plans check" not in text  # the details are right here


async def test_the_next_step_it_names_works(world: World) -> None:
    """"/moi lãnh đạo ĐƠN VỊ" with a unit the check named gives an invite; once joined, that unit is no longer
    listed as without a head."""
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    (made,) = await world.after(coord.id, people.send_command(coord.id, coord, "moi", "lãnh đạo Phòng Tư pháp"))
    code = made.text.split("/start ")[1].split()[0]
    head = await people.create_user("Minh")
    await world.after(head.id, people.start(head, code))
    got = await world.after(coord.id, people.send_command(coord.id, coord, "kiemtra"))
    text = "\n".join(m.text for m in got)
    assert "3/3 nhiệm vụ có đơn vị chủ trì" in got[0].text
    assert "(1): Phòng Kinh tế. Cách sửa: /moi lãnh đạo ĐƠN VỊ" in text


async def test_a_long_list_of_units_says_how_many_more(world: World) -> None:
    def add(*, session: Session) -> None:
        plan = session.get(Plan, world.plan_id)
        assert plan is not None
        for index, unit in enumerate(make_units(session, *(f"Xã Thử {i:02d}" for i in range(LIMIT + 3)),
                                                now=world.clock.now())):
            make_task(session, plan, code=str(20 + index), title=f"Việc {index}", lead=unit, now=world.clock.now())

    world.db.call(add)
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-C")))
    got = await world.after(coord.id, people.send_command(coord.id, coord, "kiemtra"))
    text = "\n".join(m.text for m in got)
    total = LIMIT + 3 + 2  # and Phòng Kinh tế, Phòng Tư pháp
    assert f"{total} đơn vị chưa có người nhận tin" in got[0].text.split("\n")[0]
    assert f"(chưa ai tham gia) ({total}): Phòng Kinh tế; Phòng Tư pháp; Xã Thử 00;" in text
    assert f"Xã Thử {LIMIT - 3:02d} và 5 đơn vị khác. Cách sửa: /moi cán bộ ĐƠN VỊ" in text
    assert f"Xã Thử {LIMIT - 2:02d}" not in text


async def test_others_are_refused_with_who_can(world: World) -> None:
    people = world.people
    staff = await people.create_user("Lan")
    await world.after(staff.id, people.start(staff, world.invite("kt", "staff", "KT-S")))
    (refused,) = await world.after(staff.id, people.send_command(staff.id, staff, "kiemtra"))
    assert "Chỉ đầu mối tổng hợp và quản trị mới dùng được /kiemtra" in refused.text and "/nhiemvu" in refused.text
    stranger = await people.create_user("Nam")
    (refused,) = await world.after(stranger.id, people.send_command(stranger.id, stranger, "check"))
    assert "mã mời" in refused.text and "Kiểm tra kế hoạch" not in refused.text


def test_text_platforms_know_the_command() -> None:
    assert COMMANDS["kiemtra"] is COMMANDS["check"] and COMMANDS["check"].name == "check"
