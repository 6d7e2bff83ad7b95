"""The journal entry of an update commits with the step's work or not at all (kill -9 between the two)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.base.chat import Incoming
from bot.base.clock import FixedClock
from bot.chat.context import journal
from storage.database import Database
from storage.models import InboundMessage


class Killed(Exception):
    """Stands for the process dying after the journal entry, before the rest of the step."""


def _event(key: str) -> Incoming:
    return Incoming(platform="telegram", chat_id="42", chat_type="private", user_id="42", user_name="Lan",
                    update_key=key, message_id="7", text="xong")


def test_a_step_that_dies_after_journaling_leaves_no_entry(db: Database, clock: FixedClock) -> None:
    def step(*, session):  # type: ignore[no-untyped-def]
        assert journal(session=session, event=_event("msg:42:7:0"), kind="reply", now=clock.now()) is not None
        raise Killed

    with pytest.raises(Killed):
        db.call(step)
    entries = db.call(lambda session: session.exec(select(InboundMessage)).all())
    assert entries == []  # so the redelivered update is handled, not skipped as seen
    assert db.call(journal, event=_event("msg:42:7:0"), kind="reply", now=clock.now()) is not None


def test_a_redelivered_update_is_recognised(db: Database, clock: FixedClock) -> None:
    first = db.call(journal, event=_event("msg:42:8:0"), kind="reply", now=clock.now())
    again = db.call(journal, event=_event("msg:42:8:0"), kind="reply", now=clock.now())
    assert first is not None and again is None
    assert len(db.call(lambda session: session.exec(select(InboundMessage)).all())) == 1
