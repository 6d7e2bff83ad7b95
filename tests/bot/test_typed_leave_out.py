"""Leaving items out at a plan preview by typing (issue 14): "bo NV3 NV5", "bỏ 3, 5" as a coordinator writes them,
the preview saying how, and the same typed form on Zalo, which shows no buttons."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.base.chat import Incoming
from bot.base.clock import VN_TZ, FixedClock
from bot.chat.capabilities import ZALO, present
from bot.chat.context import ChatDeps
from handlers.importing import claim_upload, finish_upload, item_codes, typed_leave_out
from storage.database import Database
from storage.members import create_invite, redeem_invite
from storage.models import Task
from tests.bot.conftest import World
from tests.bot.test_e2e_import import THREE, _press
from tests.factories import seed_two_units_and_an_office

PROSE = "\n".join([
    "ỦY BAN NHÂN DÂN HUYỆN MỘC CHÂU", "Số: 120/KH-UBND", "", "KẾ HOẠCH", "Chuyển đổi số năm 2026", "",
    "III. TỔ CHỨC THỰC HIỆN", "",
    "1. Phòng Kinh tế chủ trì số hóa hồ sơ đất đai, hoàn thành trước ngày 30/11/2026.", "",
    "2. Phòng Tư pháp chủ trì rà soát thủ tục hành chính trên môi trường điện tử.", "",
    "3. Phòng Kinh tế chủ trì tập huấn kỹ năng số cho cán bộ, hoàn thành trong quý IV/2026.", ""]).encode()


def test_a_typed_code_names_the_item_with_or_without_its_prefix() -> None:
    codes = ["1", "2", "T3", "P.III.1.1"]
    assert item_codes("NV2", codes) == ["2"] and item_codes("nv 2", codes) == ["2"]
    assert item_codes("3", codes) == ["T3"] and item_codes("t3", codes) == ["T3"]
    assert item_codes("p.iii.1.1", codes) == ["P.III.1.1"]
    assert item_codes("4", codes) == ["P.III.1.1"]  # no code is 4: the fourth item of the preview
    assert item_codes("9", codes) == [] and item_codes("NV9", codes) == []
    assert item_codes("3", ["T3", "P.3"]) == ["T3", "P.3"]  # the same number twice: the caller asks which


async def _previewed(world: World, name: str, data: bytes):  # type: ignore[no-untyped-def]
    """A coordinator registered, the plan file sent: (the coordinator, the preview)."""
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-T")))
    (preview,) = await world.after(coord.id, people.send_document(coord.id, coord, name, data), timeout=30)
    return coord, preview


async def _typed(world: World, coord, text: str) -> str:  # type: ignore[no-untyped-def]
    (said,) = await world.after(coord.id, world.people.send_text(coord.id, coord, text))
    return said.text or ""


async def test_typed_forms_at_a_table_preview(world: World) -> None:
    coord, preview = await _previewed(world, "ke-hoach.tsv", THREE)
    assert "gõ «bỏ» và mã (hoặc số thứ tự) các mục, ví dụ «bỏ 1 2» hay «bỏ 3, 5»" in preview.text
    assert "Sẽ bỏ 2 mục khi nhập: 2, 3." in await _typed(world, coord, "bo NV2 NV3")
    assert "Sẽ bỏ 1 mục khi nhập: 2." in await _typed(world, coord, "giữ NV3")
    assert "không có mục mã NV9" in await _typed(world, coord, "bỏ NV9")
    done, _ = await _press(world, coord, preview, "✅ Nhập và đăng ký")
    assert "Đã bỏ theo yêu cầu 1 mục: 2." in done.text


async def test_numbers_at_a_prose_preview_are_the_items_places(world: World) -> None:
    coord, preview = await _previewed(world, "ke-hoach.txt", PROSE)
    assert "ví dụ «bỏ P.III.1.1 P.III.2.1»" in preview.text
    assert "Sẽ bỏ 2 mục khi nhập: P.III.1.1, P.III.3.1." in await _typed(world, coord, "bỏ 1, 3")
    done, _ = await _press(world, coord, preview, "✅ Nhập")
    assert "Đã bỏ theo yêu cầu 2 mục" in done.text
    titles = world.db.call(lambda session: [t.title for t in session.exec(select(Task)).all()])
    assert any("thủ tục hành chính" in t for t in titles) and not any("đất đai" in t for t in titles)


def _zalo(text: str, key: str, *, file_key: str | None = None) -> Incoming:
    return Incoming(platform="zalo", chat_id="z-900", chat_type="private", user_id="z-900", user_name="Hà",
                    update_key=key, message_id=key, text=text, file_key=file_key)


def test_the_typed_form_on_zalo(sqlite_db: Database, tmp_path: Path) -> None:
    """Zalo shows no buttons: a preview there says only the typed way, and "bỏ 3, 5" works the same. (The Zalo
    connector receives no files today, so the preview is made here through the same steps the upload uses.)"""
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))
    deps = ChatDeps(db=sqlite_db, clock=clock, tz=VN_TZ, upload_dir=tmp_path / "uploads")
    with sqlite_db.session() as session:
        units, _, _ = seed_two_units_and_an_office(session, now=clock.now())
        create_invite(session=session, unit_id=units["vp"], role="coordinator", code="VP-Z", now=clock.now(),
                      expires_at=clock.now() + timedelta(days=7))
        redeem_invite(session=session, code="VP-Z", platform="zalo", user_id="z-900", display_name="Hà",
                      chat_id="z-900", chat_type="private", now=clock.now())
        session.commit()
    upload = _zalo("", "m1", file_key="f1")
    parsed = deps.parser.parse(THREE, "ke-hoach.tsv", plan_year=2026)
    with sqlite_db.session() as session:
        claim_upload(session, deps, upload)
        (preview,) = finish_upload(session, deps, upload, name="ke-hoach.tsv", data=THREE, parsed=parsed,
                                   refusal=None)
        session.commit()
    (shown,) = present(preview, ZALO)
    assert "Muốn bỏ bớt mục: gõ «bỏ» và mã" in shown.text and "Bỏ bớt mục»" not in shown.text
    with sqlite_db.session() as session:
        answer = typed_leave_out(session, deps, _zalo("bỏ 3, 2", "m2"))
    assert answer is not None and "Sẽ bỏ 2 mục khi nhập: 2, 3." in answer[0].text
