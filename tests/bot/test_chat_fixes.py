"""Chat answers that must be true (issue 16), through the running bot over HTTP: /nhiemvu marks overdue tasks
with the summary's rule."""

from __future__ import annotations

from datetime import datetime

from bot.clock import VN_TZ
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
