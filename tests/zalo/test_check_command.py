"""/kiemtra on Zalo, over HTTP against the twin: the text command table finds it, the report arrives as plain
text (Zalo shows no HTML) in messages Zalo accepts, and a unit's staff is refused."""

from __future__ import annotations

from tests.zalo.conftest import ZaloWorld


async def test_kiemtra_on_zalo(zalo_world: ZaloWorld) -> None:
    world, people = zalo_world, zalo_world.people
    ha = await people.create_user("Hà")
    lan = await people.create_user("Lan")
    await world.after(ha, people.say(ha, "/start " + world.invite("vp", "coordinator", "VP-COORD-1")))
    await world.after(lan, people.say(lan, world.invite("kt", "staff", "KT-STAFF-1")))

    (report,) = await world.after(ha, people.say(ha, "/kiemtra"))
    text = report["text"]
    assert text.startswith("Kiểm tra kế hoạch mã 1: 3/3 nhiệm vụ có đơn vị chủ trì để nhắc")
    assert "<b>" not in text and len(text) <= 2000
    # Lan joined Phòng Kinh tế: only Phòng Tư pháp has nobody to receive its nudges
    assert "Đơn vị chưa có người nhận tin (chưa ai tham gia) (1): Phòng Tư pháp. Cách sửa: /moi cán bộ" in text
    assert "Đơn vị chưa có lãnh đạo tham gia (không nhắc lên cấp trên được) (2): Phòng Kinh tế; Phòng Tư pháp" in text

    (refused,) = await world.after(lan, people.say(lan, "/check"))
    assert "Chỉ đầu mối tổng hợp và quản trị mới dùng được /kiemtra" in refused["text"]
