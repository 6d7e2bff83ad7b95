"""Malformed updates and files: the bot answers clearly (in Vietnamese) where a person is there to read it,
skips what it cannot read, writes nothing wrong, downloads nothing over the limit, and keeps answering.

Raw updates go straight into the sandbox's queue (as a broken or future Telegram would send them); files
and replies also go through the people's API.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlmodel import select

from bot.base import messages as msg
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.models import JSON, CallbackQuery, Message
from storage.database import Database
from storage.members import bind_chat
from storage.models import InboundMessage, Member, StatusReport
from tests.faults.conftest import bot_in_process
from tests.faults.staff import NUDGE_TIME, TOKEN, Card, staff_with_cards

BROKEN_BUTTON = "Nút này không còn dùng được."
_queries = itertools.count(9_000_000_000_000_000_001)


def inject(sandbox: SandboxServer, body: dict[str, Any]) -> None:
    """Queue one raw update, whatever its shape (the sandbox gives it the next update_id)."""
    world = sandbox.world
    world.updates.append({"update_id": next(world._update_ids), **body})
    world.changed.notify()


def press(sandbox: SandboxServer, card: Card, user_id: int, data: str) -> str:
    """A button press with any callback data on the card (as a forged or stale client would send)."""
    world = sandbox.world
    chat = world.chat(card.user_id)
    query = CallbackQuery(id=str(next(_queries)), user=world.user(user_id), chat_id=chat.id,
                          message_id=card.message_id, data=data)
    world.callbacks[query.id] = query
    inject(sandbox, {"callback_query": {"id": query.id, "from": query.user.to_api(),
                                        "message": world.message_json(chat.messages[card.message_id]),
                                        "chat_instance": "1", "data": data}})
    return query.id


def raw_message(sandbox: SandboxServer, user_id: int, *, text: str | None = None, reply_to: int | None = None,
                document: JSON | None = None) -> JSON:
    """A message in the person's private chat, as JSON, queued as nothing yet (the test injects it)."""
    world = sandbox.world
    chat = world.chat(user_id)
    message = Message(message_id=chat.new_message_id(), chat_id=chat.id, sender=world.user(user_id),
                      date=world.now(), text=text, reply_to=reply_to, document=document)
    chat.messages[message.message_id] = message
    return {"message": world.message_json(message)}


class CountingFiles(dict):  # type: ignore[type-arg]
    """The sandbox's files by path, counting downloads (every download looks one up here)."""

    downloads = 0

    def get(self, key: Any, default: Any = None) -> Any:
        self.downloads += 1
        return super().get(key, default)


async def test_malformed_updates_and_files_get_clear_answers_and_the_bot_keeps_running(db: Database) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=2, tasks_per_unit=2)
        alice, bob = staffed.users
        a_cards = [c for c in staffed.cards if c.user_id == alice]
        b_cards = [c for c in staffed.cards if c.user_id == bob]
        files = CountingFiles(sandbox.world.files_by_path)
        sandbox.world.files_by_path = files
        async with sandbox.client() as people:
            boss = (await people.create_user("Điều phối")).id
            await people.private_chat(boss)

            def coordinator(*, session):  # type: ignore[no-untyped-def]
                unit_id = session.exec(select(Member.unit_id).where(Member.user_id == str(alice))).one()
                session.add(Member(platform="telegram", user_id=str(boss), unit_id=unit_id, role="coordinator",
                                   active=True, joined_at=NUDGE_TIME))
                bind_chat(session=session, platform="telegram", chat_id=str(boss), chat_type="private",
                          unit_id=unit_id, role="coordinator", now=NUDGE_TIME)
            db.call(coordinator)

            async with bot_in_process(db, sandbox, staffed.clock):
                # updates python-telegram-bot cannot read, or that carry nothing for us
                inject(sandbox, {"message": {"message_id": 1, "date": 0, "text": "xong"}})  # no chat
                inject(sandbox, {"message": {"date": 0, "chat": {"id": alice, "type": "private"}}})  # no id
                inject(sandbox, {"callback_query": {"id": "1"}})  # no sender, no chat instance
                inject(sandbox, {"business_future_thing": {"x": [1, 2, 3]}})  # an update type from the future
                inject(sandbox, {"message": {"message_id": 77, "date": 0, "chat": {"id": -5, "type": "channel"},
                                             "text": "không có người gửi"}})
                # text: huge, control characters (NUL included), replacement characters, right-to-left override
                odd_texts = ["xong " + "a" * 200_000, "xong\x00\x1b[31m\x07", "\ufffd\ufffd đang làm 40% \u202e\u200b"]
                for card, text in zip([a_cards[0], a_cards[1], a_cards[0]], odd_texts, strict=True):
                    inject(sandbox, raw_message(sandbox, alice, text=text, reply_to=card.message_id))
                # buttons: garbage, out of range, other units' tasks, other people's reports
                garbage = ["", "s", "s|x|y|done", "s|1|2|3|4|5", "u|abc", "u|999999999", "k|-1|0",
                           "imp|../../etc/passwd|i", "\x00\xff" * 20, f"s|{b_cards[0].task_id}|999999|done"]
                period = (await people.messages(bob, sender="bot"))[1].buttons[0]["callback_data"].split("|")[2]
                foreign = press(sandbox, a_cards[0], alice, f"s|{b_cards[0].task_id}|{period}|done")
                pressed = [press(sandbox, a_cards[0], alice, data) if i % 2 else press(sandbox, b_cards[0], bob, data)
                           for i, data in enumerate(garbage)]  # two people: within the flood guard's burst
                # files: random bytes, empty, 50 MB (said in the message), 50 MB (size not said)
                await people.send_document(boss, boss, "ke-hoach.docx", bytes(range(256)) * 40)
                empty = sandbox.world.store_file(b"", kind="documents", file_name="trong.xlsx", mime_type=None)
                big = sandbox.world.store_file(b"\0" * (50 * 1024 * 1024), kind="documents", file_name="lon.docx",
                                               mime_type=None)
                quiet = {k: v for k, v in big.document_json().items() if k != "file_size"}
                for document in (empty.document_json(), big.document_json(), quiet):
                    inject(sandbox, raw_message(sandbox, boss, document=document))
                answers = await people.wait_for_messages(boss, 4, timeout=20)
                toasts = [(await people.callback_answer(q, timeout=10))["answer"] or {} for q in pressed]
                foreign_toast = (await people.callback_answer(foreign, timeout=10))["answer"] or {}
                # and afterwards the bot still answers: a plain reply to a card, and /help
                await people.reply(bob, bob, b_cards[1].message_id, "xong")
                after = await people.wait_for_messages(bob, 4, timeout=10)
                await people.wait_for_messages(alice, 3 + 3, timeout=10)  # nudge, 2 cards, the 3 odd replies confirmed
                before = len(await people.messages(alice, sender="bot"))
                await people.send_command(alice, alice, "help")
                helped = (await people.wait_for_messages(alice, before + 1, timeout=10))[-1]
                alice_said = await people.messages(alice, sender="bot")
                downloads = files.downloads
    # the three odd replies: stored, cleaned, confirmed
    inbound = db.call(lambda session: session.exec(select(InboundMessage).where(
        InboundMessage.chat_id == str(alice), InboundMessage.kind == "reply")).all())
    assert len(inbound) == 3
    assert all("\x00" not in (m.text or "") and "\x1b" not in (m.text or "") for m in inbound)
    assert sum(1 for m in alice_said if "Đã ghi" in (m.text or "")) == 3
    # garbage buttons: a short Vietnamese toast, nothing recorded; another unit's task: refused
    clear = {BROKEN_BUTTON, msg.NOT_MEMBER_OF_UNIT, msg.IMPORT_COORDINATOR_ONLY, msg.FLOOD}
    assert all(t.get("text") in clear for t in toasts), toasts  # every press answered, in plain Vietnamese
    assert sum(1 for t in toasts if t.get("text") == BROKEN_BUTTON) >= 6
    assert foreign_toast.get("text") == msg.NOT_MEMBER_OF_UNIT
    b_reports = db.call(lambda session: session.exec(select(StatusReport).where(
        StatusReport.task_id.in_([c.task_id for c in b_cards]))).all())  # type: ignore[attr-defined]
    assert [(r.source, r.chat_id) for r in b_reports] == [("reply", str(bob))]  # only Bob's own reply
    # files: clear answers; nothing over the limit downloaded (only the small random file was)
    texts = [m.text or "" for m in answers[-4:]]
    assert "Không nhập được tệp «ke-hoach.docx»" in texts[0]
    too_large = msg.IMPORT_TOO_LARGE.format(mb=10)
    assert texts[2] == too_large and texts[3] == too_large
    assert "Không nhập được" in texts[1] or "rỗng" in texts[1] or texts[1] == too_large
    assert downloads <= 2  # the random file and the empty one; never the 50 MB ones
    # still running
    assert "Đã ghi" in (after[-1].text or "")
    assert "/baocao" in (helped.text or "")
