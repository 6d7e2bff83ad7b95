"""Confirmations overtake routine nudges: `nhacviec run` (a real process) is working through a queue of routine
nudges at Telegram's pace (the sandbox's limits on) when someone replies to a card; the answer to that reply
reaches the sandbox before the nudges still waiting, not after them."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from scheduler.dispatcher import SEND_CONCURRENCY
from scheduler.pacer import Limits
from storage import outbox
from storage.answers import KIND
from storage.database import Database
from storage.models import Nudge
from tests.faults.staff import NUDGE_TIME, TOKEN, drain, spawn_bot, staff_with_cards, wait_for_line

ROUTINE = 150  # one per chat: five seconds of sending at 30/s


ROUTINE_TEXT = "Nhắc việc định kỳ"


def _deliveries(sandbox: SandboxServer) -> list[tuple[float, str, str]]:
    """(when, "answer", "nudge" or the start of another text, chat id) of every sendMessage the sandbox accepted, in
    the order it accepted them: "nudge" is one of the routine rows queued here; the bot, on the real clock, may also
    plan the seeded plan's own reminders for today (how many depends on the day), which are told apart."""
    seen: list[tuple[float, str, str]] = []
    call = sandbox.api.call

    async def recorded(name: str, params: Any) -> Any:
        result = await call(name, params)
        if name.lower() == "sendmessage" and isinstance(result, dict):
            text = str(result.get("text", ""))
            kind = ("answer" if "reply_to_message" in result else "nudge" if text.startswith(ROUTINE_TEXT)
                    else "other: " + text[:60])
            seen.append((time.monotonic(), kind, str((result.get("chat") or {}).get("id"))))
        return result

    sandbox.api.call = recorded  # type: ignore[method-assign]
    return seen


def _queue_routine(db: Database, chats: list[int]) -> None:
    """A routine message due for each chat (followers of a message sent: no sending window applies, never too
    late). Due at the cards' time, in the past for the bot whatever today is: `nhacviec run` reads the real
    clock, which `make test-anyday` moves in this process only."""
    now = NUDGE_TIME
    db.call(lambda session: outbox.add_rows(session=session, now=now, rows=[outbox.PlannedRow(
        key=f"routine:{chat}", kind="manual", chat_id=str(chat), due_at=now,
        payload={"render": "text", "text": f"{ROUTINE_TEXT} {i}", "follower": True, "planned_at": now.isoformat()},
    ) for i, chat in enumerate(chats)]))


async def test_a_confirmation_is_sent_before_the_routine_nudges_still_waiting(tmp_path: Path, db: Database) -> None:
    async with SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False))) as sandbox:
        staffed = await staff_with_cards(db, sandbox, units=ROUTINE + 1, tasks_per_unit=1)
        replier, *others = staffed.users  # the replier's chat has no nudge of its own waiting
        card = next(c for c in staffed.cards if c.user_id == replier)
        _queue_routine(db, others)
        sandbox.configure(limits=RateLimits())  # Telegram's limits from here on
        deliveries = _deliveries(sandbox)
        output: list[str] = []
        bot = await spawn_bot(tmp_path, db.url, sandbox.bot_api_url)
        await wait_for_line(bot, "đang chạy", output)
        reader = drain(bot, output)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 120  # bounds only, so that a broken run ends; nothing here is timed
        while sum(1 for _, kind, _ in deliveries if kind == "nudge") < 20 and loop.time() < deadline:
            await asyncio.sleep(0.02)
        async with sandbox.client() as people:
            await people.reply(replier, replier, card.message_id, "xong")

        def answer_queued(*, session) -> bool:  # type: ignore[no-untyped-def]
            return session.exec(select(Nudge.id).where(Nudge.kind == KIND)).first() is not None

        # when its answer was queued (with the reply, in one transaction), seen from here: the bot's own clock may
        # be another one (make test-anyday moves this process's clock only)
        while not await db.run(answer_queued) and loop.time() < deadline:
            await asyncio.sleep(0.01)
        queued_at = time.monotonic()
        while not any(kind == "answer" for _, kind, _ in deliveries) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        while sum(1 for _, kind, _ in deliveries if kind == "nudge") < ROUTINE and loop.time() < deadline:
            await asyncio.sleep(0.1)
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 30) == 0
        await reader
    kinds = [kind for _, kind, _ in deliveries]
    routine = db.call(lambda session: session.exec(select(Nudge).where(Nudge.key.startswith("routine:"))).all())
    assert kinds.count("answer") == 1 and kinds.count("nudge") == ROUTINE, (
        kinds[:10], Counter((n.state, n.last_error) for n in routine).most_common(3),
        [k for k in kinds if k.startswith("other")][:5], "".join(output)[-1500:])
    answered = kinds.index("answer")
    # once its answer was queued (with the reply, in one transaction) and its chat was free (Telegram's one message
    # a second in a chat: the seeded plan's own reminder of today, on the bot's real clock, may have just gone to
    # the replier), at most the nudges already claimed or being sent went out before it (one per sender of the
    # dispatcher); most were still waiting and went after it
    chat_free_at = max([queued_at] + [when + Limits().chat_interval for when, _, chat in deliveries[:answered]
                                      if chat == str(replier)])
    overtaken = [when for when, kind, _ in deliveries[:answered] if kind == "nudge" and when > chat_free_at]
    assert len(overtaken) <= SEND_CONCURRENCY, (len(overtaken), answered, round(chat_free_at - queued_at, 3),
                                              [k for _, k, chat in deliveries[:answered] if chat == str(replier)])
    assert ROUTINE - answered >= 50, answered
