"""Plan uploads (issue 20, finding 2): journaled before they are read, read once in a worker off the event
loop, a redelivery or the same file again not read twice, a hostile file refused with nothing written.

Driven through `receive_document`, the function the Telegram document handler calls, on both engines."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.clock import VN_TZ, FixedClock
from bot.chat.context import ChatDeps
from bot.chat.service import ChatService
from bot.devtools.hostile import MB, paragraph_bomb
from bot.importer.items import ParsedPlan
from bot.importer.worker import PlanParser
from handlers.importing import handle_import_button, receive_document
from storage.database import Database
from storage.members import create_invite, redeem_invite
from storage.models import InboundMessage, Plan, Task
from tests.factories import make_units

PLAN = ("KẾ HOẠCH năm 2026\nTT\tNội dung\tĐơn vị chủ trì\tThời gian thực hiện\n"
        "1\tXây dựng kho dữ liệu\tPhòng Kinh tế\tQuý III/2026\n").encode()


class CountingParser(PlanParser):
    """The real worker, counting the files it is given."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.files = 0

    def parse(self, data: bytes, filename: str, **options: Any) -> ParsedPlan:
        self.files += 1
        return super().parse(data, filename, **options)


@pytest.fixture
def chat(db: Database, clock: FixedClock, tmp_path: Path) -> ChatService:
    now = clock.now()

    def coordinator(*, session):  # type: ignore[no-untyped-def]
        (office,) = make_units(session, "Văn phòng", now=now)
        create_invite(session=session, unit_id=office.id, role="coordinator", code="VP-1", now=now,
                      expires_at=now + timedelta(days=7))
        redeem_invite(session=session, code="VP-1", platform="telegram", user_id="7", display_name="Hà",
                      chat_id="7", chat_type="private", now=now)

    db.call(coordinator)
    return ChatService(ChatDeps(db=db, clock=clock, tz=VN_TZ, upload_dir=tmp_path / "uploads",
                                parser=CountingParser()))


def _upload(message_id: int, *, file_key: str = "AgADfile1", text: str = "") -> Incoming:
    return Incoming(platform="telegram", chat_id="7", chat_type="private", user_id="7", user_name="Hà",
                    update_key=f"msg:7:{message_id}:0", message_id=str(message_id), text=text, file_key=file_key)


class Downloads:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data, self.count = name, data, 0

    async def __call__(self) -> tuple[str, bytes]:
        self.count += 1
        return self.name, self.data


def _parser(chat: ChatService) -> CountingParser:
    parser = chat.deps.parser
    assert isinstance(parser, CountingParser)
    return parser


def _nothing_written(db: Database) -> bool:
    return db.call(lambda session: not session.exec(select(Plan)).all() and not session.exec(select(Task)).all())


async def test_a_redelivered_upload_is_read_once_and_previewed_once(chat: ChatService) -> None:
    download = Downloads("ke-hoach.tsv", PLAN)
    (preview,) = await receive_document(chat, _upload(10), download)
    assert "Xem trước" in preview.text and preview.buttons
    assert await receive_document(chat, _upload(10), download) == []  # the platform sent the update again
    assert download.count == 1 and _parser(chat).files == 1


async def test_a_redelivery_racing_the_first_delivery_is_read_once(chat: ChatService) -> None:
    download = Downloads("ke-hoach.tsv", PLAN)
    answers = await asyncio.gather(*(receive_document(chat, _upload(11), download) for _ in range(4)))
    previews = [out for answer in answers for out in answer if "Xem trước" in out.text]
    assert len(previews) == 1 and _parser(chat).files == 1 and download.count == 1


async def test_the_same_file_again_points_to_its_preview_until_it_is_cancelled(chat: ChatService) -> None:
    download = Downloads("ke-hoach.tsv", PLAN)
    (preview,) = await receive_document(chat, _upload(20), download)
    (again,) = await receive_document(chat, _upload(21), download)  # sent again, a new message
    assert again.text == msg.IMPORT_ALREADY_PREVIEWED and _parser(chat).files == 1
    cancel = preview.buttons[-1][0].data
    await chat.handle(handle_import_button, Incoming(
        platform="telegram", chat_id="7", chat_type="private", user_id="7", user_name="Hà", update_key="cb:1",
        message_id="22", text=cancel))
    (fresh,) = await receive_document(chat, _upload(23), download)  # cancelled: the file is read again
    assert "Xem trước" in fresh.text and _parser(chat).files == 2


async def test_a_paragraph_bomb_is_refused_once_and_nothing_is_written(chat: ChatService) -> None:
    download = Downloads("ke-hoach.docx", paragraph_bomb(200 * MB))
    (refused,) = await receive_document(chat, _upload(30, file_key="AgADbomb"), download)
    assert "Tệp quá lớn hoặc quá phức tạp (phần «word/document.xml» giải nén ra 200," in refused.text
    assert "tách kế hoạch" in refused.text and "Không có gì được ghi" in refused.text
    assert not refused.buttons and _nothing_written(chat.deps.db)
    assert not list(chat.deps.upload_dir.glob("*"))  # nothing stashed either
    (again,) = await receive_document(chat, _upload(31, file_key="AgADbomb"), download)
    assert again.text == refused.text and _parser(chat).files == 1  # the same file is not read again


async def test_a_file_over_the_time_limit_is_refused_with_a_message(db: Database, clock: FixedClock,
                                                                    chat: ChatService) -> None:
    chat.deps.parser = PlanParser(seconds=0.001)  # no real plan is read in a millisecond
    (refused,) = await receive_document(chat, _upload(40), Downloads("ke-hoach.tsv", PLAN))
    assert "Tệp quá lớn hoặc quá phức tạp (đọc quá 0,001 giây chưa xong)" in refused.text
    assert _nothing_written(db)


class HeldParser(PlanParser):
    """A parse that lasts until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.release = threading.Event(), threading.Event()

    def parse(self, data: bytes, filename: str, **options: Any) -> ParsedPlan:
        self.started.set()
        self.release.wait()
        return super().parse(data, filename, **options)


async def test_other_chats_are_answered_while_a_file_is_read(chat: ChatService) -> None:
    held = HeldParser()
    chat.deps.parser = held
    upload = asyncio.create_task(receive_document(chat, _upload(50), Downloads("ke-hoach.tsv", PLAN)))
    await asyncio.to_thread(held.started.wait)

    def other_chat(session, deps, event) -> list[Outgoing]:  # type: ignore[no-untyped-def]
        return [Outgoing(text=str(len(session.exec(select(InboundMessage)).all())))]

    other = Incoming(platform="telegram", chat_id="8", chat_type="private", user_id="8", user_name="Lan",
                     update_key="msg:8:1:0", message_id="1", text="/nhiemvu")
    for _ in range(8):  # more than the default thread pool's workers: none of them is held by the parse
        assert (await chat.handle(other_chat, other))[0].text
    assert not upload.done()
    held.release.set()
    (preview,) = await upload
    assert "Xem trước" in preview.text


TWO = PLAN + "2\tĐào tạo kỹ năng số\tPhòng Kinh tế\tQuý IV/2026\n".encode()


def _press(data: str, n: int) -> Incoming:
    return Incoming(platform="telegram", chat_id="7", chat_type="private", user_id="7", user_name="Hà",
                    update_key=f"cb:skip:{n}", message_id="50", text=data)


async def test_items_left_out_survive_a_restart_and_are_not_imported(db: Database, clock: FixedClock,
                                                                     chat: ChatService) -> None:
    """The skip set lives beside the stashed upload: a bot started afresh on the same upload folder imports
    without the item the coordinator left out before the restart."""
    (preview,) = await receive_document(chat, _upload(50), Downloads("ke-hoach.tsv", TWO))
    leave_out = next(b.data for row in preview.buttons for b in row if b.text == msg.BUTTON_IMPORT_LEAVE_OUT)
    (listing,) = await chat.handle(handle_import_button, _press(leave_out, 1))
    toggle_second = listing.buttons[1][0].data
    (listing,) = await chat.handle(handle_import_button, _press(toggle_second, 2))
    assert listing.buttons[1][0].text.startswith("❌ 2") and listing.edit_message_id == "50"

    restarted = ChatService(ChatDeps(db=db, clock=clock, tz=VN_TZ, upload_dir=chat.deps.upload_dir,
                                     parser=CountingParser()))
    import_data = next(b.data for row in preview.buttons for b in row if b.text == msg.BUTTON_IMPORT)
    (done,) = await restarted.handle(handle_import_button, _press(import_data, 3))
    assert "Đã nhập" in done.text
    titles = db.call(lambda session: [t.title for t in session.exec(select(Task)).all()])
    assert "Xây dựng kho dữ liệu" in titles and "Đào tạo kỹ năng số" not in titles
    assert not list(chat.deps.upload_dir.glob("*"))  # the stash and its skip set are gone once imported
