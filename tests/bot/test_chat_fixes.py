"""Chat answers that must be true (issue 16), through the running bot over HTTP: /nhiemvu marks overdue tasks
with the summary's rule; a reused invite, a plain message, a past request date, the coordinator's guide."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select

from bot.base.clock import VN_TZ
from scheduler.requests import read_deadline
from storage.models import ReportingPeriodRow
from tests.bot.conftest import World


async def test_task_list_marks_overdue_with_the_summary_rule(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-STAFF-1")))
    (in_may,) = await world.after(lan.id, people.send_command(lan.id, lan, "nhiemvu"))
    assert "Quá hạn" not in (in_may.text or "")  # task 1 is due 30/06

    world.clock.set(datetime(2026, 7, 2, 9, 0, tzinfo=VN_TZ))  # Q3 is being collected; 30/06 has passed
    (in_july,) = await world.after(lan.id, people.send_command(lan.id, lan, "nhiemvu"))
    text = in_july.text or ""
    first, second = text.split("\n2. ", 1)
    assert "Quá hạn từ 30/06/2026" in first  # one-off task 1, carried into Q3 as overdue
    assert "Quá hạn" not in second  # task 2 is continuous, without a deadline


async def test_reusing_the_invite_one_joined_with_is_answered_truly(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    code = world.invite("kt", "staff", "KT-STAFF-2")
    await world.after(lan.id, people.start(lan, code))
    (again,) = await world.after(lan.id, people.start(lan, code))
    text = again.text or ""
    assert "đã tham gia Phòng Kinh tế" in text and "chưa được đăng ký" not in text
    other = await people.create_user("Khách")
    (taken,) = await world.after(other.id, people.start(other, code))  # someone else: the code is used
    assert "Mã mời không dùng được" in (taken.text or "")


async def test_plain_text_gets_a_hint_and_the_coordinator_is_told_how_to_import(world: World) -> None:
    people = world.people
    lan, ha = await people.create_user("Lan"), await people.create_user("Hà")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-STAFF-3")))
    (hint,) = await world.after(lan.id, people.send_text(lan.id, lan, "xin chào"))
    assert "trả lời (reply)" in (hint.text or "") and "/baocao" in (hint.text or "")
    assert "không gắn với nhiệm vụ nào" not in (hint.text or "")
    (welcome,) = await world.after(ha.id, people.start(ha, world.invite("vp", "coordinator", "VP-COORD-1")))
    assert "gửi tệp kế hoạch" in (welcome.text or "")
    (guide,) = await world.after(ha.id, people.send_command(ha.id, ha, "huongdan"))
    assert "gửi tệp kế hoạch" in (guide.text or "")


async def test_a_request_for_a_past_day_is_refused_in_chat_as_in_the_cli(world: World) -> None:
    people = world.people
    ha = await people.create_user("Hà")
    await world.after(ha.id, people.start(ha, world.invite("vp", "coordinator", "VP-COORD-2")))
    world.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=VN_TZ))
    (refused,) = await world.after(ha.id, people.send_command(ha.id, ha, "yeucau", "30/11 Báo cáo nhanh"))
    assert "30/11/2026 đã qua" in (refused.text or "")

    def requests(*, session):  # type: ignore[no-untyped-def]
        return session.exec(select(ReportingPeriodRow).where(ReportingPeriodRow.kind == "ad_hoc")).all()
    assert world.db.call(requests) == []
    today = read_deadline("2/12", date(2026, 12, 2))
    assert today == date(2026, 12, 2) and read_deadline("2026-11-30", date(2026, 12, 2)) == date(2026, 11, 30)
