"""Button data is read strictly (issue 20, finding 4): one parser for every button; anything it does not write
gets "Nút này không còn dùng được.", a WARNING without traceback, and changes nothing."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from bot.base import messages as msg
from bot.base.buttons import ImportItemPress, ImportPress, SkipPress, StatusPress, UndoPress, parse_press
from storage.models import InboundMessage, StatusReport
from tests.bot.conftest import World

ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + d) for d in range(10)))
HOSTILE = [
    "", "s", "s|1|2", "s|1|2|3|4", "s|1|2|finished", "s|x|y|done", "u|abc", "u|", "u|0", "u|007", "k|-1|0",
    "s|1|" + "9" * 30 + "|done",  # overflowed the database driver (OverflowError at ERROR, press unanswered)
    "u|" + "9" * 10,  # above the INTEGER range of both engines
    "u|\u0661",  # Arabic-Indic one: str.isdigit() says yes and int() reads 1
    "u|\uff11", "u|\u00b9", "u|1 ", "u| 1", "u|+1", "u|1_0", "s|1|2|done\n", "S|1|2|done",
    "imp|../../etc/passwd|i", "imp|abcdefgh|z", "imp|short|i", "imp|abcdefgh|t|-1", "imp|abcdefgh|t|01",
    "imp|abcdefgh|t|100000", "imp|abcdefgh|q|1", "imp|abcdefgh|t|\u0661", "imp|abcdefgh|t|1|2",
    "\x00\xff" * 20, "u|1" + "|" * 70,
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_data_is_refused(data: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert parse_press(data) is None
    assert [r.levelno for r in caplog.records] == [logging.WARNING] and not caplog.records[0].exc_info


def test_what_the_bot_writes_reads_back() -> None:
    presses = [StatusPress(12, 3, "in_progress"), SkipPress(2**31 - 1, 1), UndoPress(5),
               ImportPress("Ab3_-xyz9", "c"), ImportPress("Ab3_-xyz9", "s"), ImportItemPress("Ab3_-xyz9", "t", 0),
               ImportItemPress("A" * 32, "p", 99_999)]
    for press in presses:
        assert len(press.data.encode()) <= 64
        assert parse_press(press.data) == press


async def test_malformed_presses_are_answered_plainly_and_change_nothing(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-CB")))
    (card,) = await world.after(lan.id, people.send_command(lan.id, lan, "baocao"))
    good = next(b["callback_data"] for b in card.buttons if b["text"] == "Hoàn thành")
    _, task, period, _ = good.split("|")
    arabic_one = "\u0661"
    forged = [f"s|{task}|{'9' * 30}|done", f"s|{task}|{period}|{arabic_one}", f"u|{arabic_one}",
              f"s|{task.translate(ARABIC_INDIC)}|{period}|done", "s|" + "1" * 12 + f"|{period}|done"]
    caplog.clear()
    queries = [world.press_raw(lan.id, card.id, lan.id, data) for data in forged]
    answers = [await people.callback_answer(q, timeout=10) for q in queries]
    assert [a["answer"]["text"] for a in answers] == [msg.BUTTON_GONE] * len(forged)
    assert world.db.call(lambda session: session.exec(select(StatusReport)).all()) == []
    outcomes = world.db.call(lambda session: session.exec(
        select(InboundMessage.outcome).where(InboundMessage.kind == "button")).all())
    assert outcomes == ["ignored"] * len(forged)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not [m for m in await people.messages(lan.id, sender="bot") if msg.ERROR in (m.text or "")]
    # the real button still works afterwards
    press = await people.press_button(lan.id, card, lan, data=good)
    assert "Đã ghi" in ((await people.callback_answer(press["id"], timeout=10))["answer"]["text"] or "")
