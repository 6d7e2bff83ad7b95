"""Only transport failures are retried (issue 20, finding 5): a Bot API refusal is tried once.

python-telegram-bot derives BadRequest from NetworkError, so a helper that retries NetworkError retried every
refused call (three times per button press, ~1.5 s per update)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import select
from telegram import Chat, Message, Update, User
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters import telegram as adapter
from bot.adapters.telegram import with_retries
from bot.app import build_chat_deps, on_error
from bot.base import messages as msg
from bot.base.clock import VN_TZ, FixedClock
from bot.chat.service import ChatService
from bot.settings import Settings
from storage.answers import KIND
from storage.database import Database
from storage.models import Nudge, StatusReport
from tests.bot.conftest import World


class Flaky:
    """A Bot API call failing with the given errors first, then answering "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.calls = list(errors), 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses with_retries asks for (recorded, not slept)."""
    asked: list[float] = []

    async def sleep(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(adapter.asyncio, "sleep", sleep)
    return asked


@pytest.mark.parametrize("refusal", [BadRequest("Message text is empty"), Forbidden("bot was blocked by the user"),
                                     ChatMigrated(-100123)], ids=["bad_request", "forbidden", "chat_migrated"])
async def test_a_refusal_is_raised_at_once_without_a_second_call(refusal: Exception, waits: list[float]) -> None:
    assert isinstance(BadRequest("x"), NetworkError)  # the trap: python-telegram-bot's own hierarchy
    call = Flaky(refusal, refusal, refusal)
    with pytest.raises(type(refusal)):
        await with_retries(call)
    assert call.calls == 1 and waits == []


async def test_transport_failures_are_retried_with_backoff_and_retry_after_is_honoured(waits: list[float]) -> None:
    call = Flaky(TimedOut(), NetworkError("Bad Gateway"), RetryAfter(3))
    assert await with_retries(call, backoff=0.5) == "ok"
    assert call.calls == 4
    assert waits == [0.5, 1.0, 3.0]  # backoff doubles; the 429 waits exactly what the server asked


async def test_transport_failures_stop_after_the_last_attempt(waits: list[float]) -> None:
    call = Flaky(*[TimedOut() for _ in range(5)])
    with pytest.raises(TimedOut):
        await with_retries(call, attempts=3)
    assert call.calls == 3


async def test_a_long_retry_after_is_not_waited_for(waits: list[float]) -> None:
    call = Flaky(RetryAfter(3600))
    with pytest.raises(RetryAfter):
        await with_retries(call)
    assert call.calls == 1 and waits == []


async def test_a_press_whose_answer_is_refused_is_answered_once_and_still_recorded(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Through the running bot: a button press whose query the Bot API no longer knows (400 "query is too old")
    costs one answerCallbackQuery, one log line, and the report is still recorded and confirmed."""
    people, sandbox = world.people, world.sandbox
    lan = await people.create_user("Lan")
    await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-R1")))
    (card,) = await world.after(lan.id, people.send_command(lan.id, lan, "baocao"))
    data = next(b["callback_data"] for b in card.buttons if b["text"] == "Hoàn thành")
    sandbox.stats.calls.clear()
    world.press_raw(lan.id, card.id, lan.id, data, known=False)
    for _ in range(200):
        shown = [m for m in await people.messages(lan.id, sender="bot") if m.id == card.id]
        if shown and shown[0].edited:
            break
        await asyncio.sleep(0.05)
    assert shown[0].edited and "Đã ghi" in (shown[0].text or "")
    assert sandbox.stats.calls["answerCallbackQuery"] == 1
    reports: list[Any] = world.db.call(lambda session: session.exec(select(StatusReport)).all())
    assert [r.status for r in reports] == ["done"]
    assert not [r for r in caplog.records if r.exc_info]  # no traceback for a refusal


async def test_after_a_long_429_the_apology_is_queued_for_the_answer_lane_not_sent_into_it(db: Database) -> None:
    """An update that failed on a 429 ("ResponseParameters": retry_after 60 s): an apology sent now gets a 429
    too (before: lost, a second refused call). It is an outbox row due after the wait, for the answer lane."""
    clock = FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=VN_TZ))
    settings = Settings(telegram_bot_token="300000005:RETRIES-test-token-for-sandbox",  # type: ignore[arg-type]
                        database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    deps = build_chat_deps(settings, db, clock)
    woken: list[Nudge] = []
    deps.answers_queued = woken.extend
    sent: list[dict[str, Any]] = []

    class Bot:
        async def send_message(self, **kwargs: Any) -> None:
            sent.append(kwargs)

    person = User(id=42, first_name="Lan", is_bot=False)
    update = Update(update_id=7, message=Message(message_id=5, date=clock.now(), chat=Chat(id=42, type="private"),
                                                 from_user=person, text="/help"))
    context = SimpleNamespace(error=RetryAfter(60), bot=Bot(), bot_data={"chat": ChatService(deps)})
    await on_error(update, context)  # type: ignore[arg-type]
    assert sent == []
    rows = db.call(lambda session: list(session.exec(select(Nudge).where(Nudge.kind == KIND))))
    assert [(r.chat_id, r.state, r.payload["text"]) for r in rows] == [("42", "pending", msg.ERROR)]
    due = rows[0].due_at if rows[0].due_at.tzinfo else rows[0].due_at.replace(tzinfo=UTC)
    assert due - clock.now() == timedelta(seconds=60)
    await on_error(update, context)  # type: ignore[arg-type]  # the same update failing again: still one apology
    assert len(db.call(lambda session: list(session.exec(select(Nudge).where(Nudge.kind == KIND))))) == 1
