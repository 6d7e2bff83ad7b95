"""Answers to replies go through the outbox: `nhacviec run` (a real process) on SQLite and PostgreSQL.

- One chat's replies are stored and answered in the order they were typed while many chats reply at once.
- kill -9 after a reply is stored and before its answer reached the chat: after a restart the reply is
  stored once and answered once. The sandbox holds the answer's sendMessage (and then refuses it without
  running it) so that the kill lands between the two whatever the machine's speed.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path

from sqlmodel import select

from bot.sandbox import FaultConfig, RateLimits, SandboxClient, SandboxConfig, SandboxServer
from storage.answers import KIND
from storage.database import Database
from storage.models import Nudge, StatusReport
from storage.outbox import PENDING, SENDING, SENT
from tests.faults.staff import (
    TOKEN,
    Reply,
    assert_every_reply_stored_once,
    drain,
    spawn_bot,
    staff_with_cards,
    wait_for_line,
    wait_until_stored,
)

PERCENTS = (10, 20, 30, 40, 50, 60)


async def _answered_in_order(people: SandboxClient, user: int, count: int, *, timeout: float) -> list[int | None]:
    """The messages the bot's answers reply to in `user`'s chat, in the order they arrived, once `count` have (or
    what came by `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        got = [m.reply_to_message_id for m in await people.messages(user, sender="bot")
               if m.reply_to_message_id is not None]
        if len(got) >= count or loop.time() > deadline:
            return got
        await asyncio.sleep(0.05)


async def test_each_chat_is_stored_and_answered_in_the_order_it_typed(tmp_path: Path, db: Database) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=12, tasks_per_unit=1)
        output: list[str] = []
        bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url)
        await wait_for_line(bot, "đang chạy", output)
        reader = drain(bot, output)
        async with sandbox.client() as people:

            async def one_chat(card: object) -> list[Reply]:  # six replies to one card, typed without a pause
                replies = []
                for percent in PERCENTS:
                    reply = Reply(card, f"đang làm {percent}%")  # type: ignore[arg-type]
                    message = await people.reply(reply.card.user_id, reply.card.user_id, reply.card.message_id,
                                                 reply.text)
                    reply.message_id = message.message_id
                    replies.append(reply)
                return replies

            by_chat = await asyncio.gather(*(one_chat(card) for card in staffed.cards))
            replies = [r for chat in by_chat for r in chat]
            await wait_until_stored(db, replies)
            answers = {}
            for chat in by_chat:
                user = chat[0].card.user_id
                # the answers only: the bot reads the real clock, and on some days it also sends the seeded plan's
                # own reminders to these chats (an escalation after a quarter's cutoff)
                answers[user] = await _answered_in_order(people, user, len(chat), timeout=60)
            bot.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(bot.wait(), 30) == 0
            await reader
    assert_every_reply_stored_once(db, replies)
    versions = db.call(lambda session: session.exec(select(
        StatusReport.chat_id, StatusReport.message_id, StatusReport.percent, StatusReport.version).where(
        StatusReport.source == "reply")).all())
    for chat in by_chat:
        user = str(chat[0].card.user_id)
        mine = sorted((version, int(message), percent) for c, message, percent, version in versions if c == user)
        assert [m for _, m, _ in mine] == [r.message_id for r in chat]  # versions in the order typed
        assert [p for _, _, p in mine] == list(PERCENTS)
        assert answers[chat[0].card.user_id] == [r.message_id for r in chat]  # answered in that order too


async def test_kill_9_between_storing_a_reply_and_answering_it_answers_once(tmp_path: Path, db: Database) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=3, tasks_per_unit=2)
        # from now on every sendMessage is held for ten minutes, then refused without running
        sandbox.configure(faults=FaultConfig(error_rate=1.0, delay_rate=1.0, delay_seconds=600,
                                             methods=frozenset({"sendmessage"})))
        output: list[str] = []
        bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url)
        await wait_for_line(bot, "đang chạy", output)
        reader = drain(bot, output)
        async with sandbox.client() as people:
            replies = []
            for card in staffed.cards:
                reply = Reply(card, "xong")
                reply.message_id = (await people.reply(card.user_id, card.user_id, card.message_id, "xong")).message_id
                replies.append(reply)
            await wait_until_stored(db, replies)
            # each chat's first answer held in flight, its second one waiting behind it (one chat's in order)
            await _until(lambda: _answer_states(db) == {SENDING: 3, PENDING: 3}, "the first answers in flight")
            assert not await _answers(people, replies)  # stored, not answered
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            await reader
            sandbox.configure(faults=FaultConfig())
            output = []
            bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url)
            await wait_for_line(bot, "đang chạy", output)
            reader = drain(bot, output)
            await _until(lambda: _answer_states(db) == {SENT: len(replies)}, "every answer sent after the restart")
            answered = await _answers(people, replies)
            bot.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(bot.wait(), 30) == 0
            await reader
    assert_every_reply_stored_once(db, replies)
    assert [answered[(r.card.user_id, r.message_id)] for r in replies] == [1] * len(replies), answered


async def _answers(people: SandboxClient, replies: list[Reply]) -> Counter[tuple[int, int]]:
    """How many of the bot's "recorded" answers each reply got, by (chat, reply's message id)."""
    answered: Counter[tuple[int, int]] = Counter()
    for user in {r.card.user_id for r in replies}:
        for message in await people.messages(user, sender="bot"):
            if message.reply_to_message_id is not None and "Đã ghi" in (message.text or ""):
                answered[(user, message.reply_to_message_id)] += 1
    return answered


def _answer_states(db: Database) -> dict[str, int]:
    rows = db.call(lambda session: session.exec(select(Nudge.state).where(Nudge.kind == KIND)).all())
    states: dict[str, int] = {}
    for state in rows:
        states[state] = states.get(state, 0) + 1
    return states


async def _until(condition: object, what: str, *, timeout: float = 120.0) -> None:
    """Poll `condition()` (a generous bound only so that a broken run ends; nothing here is timed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.1)
