"""Wrong invite codes (issue 20, finding 6), through the running bot on both engines: one answer whatever the
reason, every failure recorded, five from one sender within an hour block that sender for an hour (told once,
then silence), on the clock passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from bot.base.clock import VN_TZ
from handlers.start import LOCKOUT, LOCKOUT_FAILURES, LOCKOUT_WINDOW, blocked_until
from storage.database import Database
from storage.members import get_member, recent_invite_failures, record_invite_failure
from storage.models import InboundMessage, InviteFailure
from tests.bot.conftest import World

T0 = datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ)


async def test_one_answer_whatever_the_reason_then_a_block_told_once(world: World) -> None:
    people = world.people
    lan = await people.create_user("Lan")
    owner = await people.create_user("Chủ mã")
    await world.after(owner.id, people.start(owner, world.invite("kt", "staff", "USED-1")))
    world.invite("kt", "staff", "OLD-1", expired=True)
    good = world.invite("kt", "staff", "GOOD-1")

    answers = []
    for code in ("WRONG-1", "USED-1", "OLD-1"):  # wrong, used by someone else, expired
        (answer,) = await world.after(lan.id, people.start(lan, code))
        answers.append(answer.text)
    assert answers[0] == answers[1] == answers[2]
    assert answers[0].startswith("Mã mời không dùng được") and "/moi staff" in answers[0]
    for word in ("USED-1", "OLD-1", "WRONG-1"):
        assert word not in answers[0]
    world.clock.set(T0 + timedelta(minutes=20))
    await world.after(lan.id, people.start(lan, "WRONG-2"))
    world.clock.set(T0 + timedelta(minutes=50))
    (fifth,) = await world.after(lan.id, people.start(lan, "WRONG-3"))
    assert fifth.text.startswith(answers[0]) and "tạm ngừng nhận mã mời từ bạn đến 10:50 ngày 20/05/2026" in fifth.text

    # blocked: even the right code gets silence, and is not used up
    world.clock.set(T0 + timedelta(minutes=100))
    before = len(await people.messages(lan.id, sender="bot"))
    await people.start(lan, good)
    await people.start(lan, "WRONG-4")
    await people.send_command(lan.id, lan, "help")  # the bot is still there for everything else
    said = (await people.wait_for_messages(lan.id, before + 1, timeout=5))[before:]
    assert len(said) == 1 and "/baocao" in said[0].text
    assert world.db.call(get_member, platform="telegram", user_id=str(lan.id)) is None
    outcomes = world.db.call(lambda session: session.exec(select(InboundMessage.outcome).where(
        InboundMessage.user_id == str(lan.id), InboundMessage.kind == "command").order_by(InboundMessage.id)).all())
    assert outcomes == ["invite_unknown", "invite_used", "invite_expired", "invite_unknown", "invite_unknown",
                        "blocked", "blocked"]

    # an hour after the fifth failure: codes are read again
    world.clock.set(T0 + timedelta(minutes=110))
    (welcome,) = await world.after(lan.id, people.start(lan, good))
    assert "Phòng Kinh tế" in welcome.text
    failures = world.db.call(lambda session: session.exec(select(InviteFailure.reason, InviteFailure.chat_id).where(
        InviteFailure.user_id == str(lan.id)).order_by(InviteFailure.id)).all())
    assert [r for r, _ in failures] == ["unknown", "used", "expired", "unknown", "unknown"]
    assert {c for _, c in failures} == {str(lan.id)}


async def test_failures_of_one_sender_do_not_block_another(world: World) -> None:
    people = world.people
    guesser = await people.create_user("Đoán mò")
    lan = await people.create_user("Lan")
    for n in range(LOCKOUT_FAILURES):
        await world.after(guesser.id, people.start(guesser, f"GUESS-{n}"))
    (welcome,) = await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "LAN-1")))
    assert "Phòng Kinh tế" in welcome.text


def test_failures_are_read_back_newest_first(db: Database) -> None:
    for minutes, user in ((0, "1"), (30, "1"), (10, "1"), (5, "2")):
        db.call(record_invite_failure, platform="telegram", user_id=user, chat_id=user, reason="unknown",
                now=T0 + timedelta(minutes=minutes))
    got = db.call(recent_invite_failures, platform="telegram", user_id="1", limit=2)
    assert got == [T0 + timedelta(minutes=30), T0 + timedelta(minutes=10)]
    assert all(at.tzinfo is not None for at in got)


def test_the_block_rule() -> None:
    five = [T0 - timedelta(minutes=m) for m in (0, 10, 20, 30, 40)]  # newest first
    assert blocked_until(five, T0) == T0 + LOCKOUT
    assert blocked_until(five, T0 + LOCKOUT - timedelta(seconds=1)) == T0 + LOCKOUT
    assert blocked_until(five, T0 + LOCKOUT) is None
    assert blocked_until(five[:4], T0) is None  # four failures: no block
    spread = [T0 - timedelta(minutes=m) for m in (0, 15, 30, 45)] + [T0 - LOCKOUT_WINDOW]  # not within an hour
    assert blocked_until(spread, T0) is None
