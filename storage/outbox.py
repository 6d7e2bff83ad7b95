"""The outbox queries: plan rows once (unique key), claim atomically, mark sent/failed/dropped.

Every claim and mark is one conditional UPDATE whose rowcount says who won, so two dispatchers on the
same database (SQLite or PostgreSQL) never both own a row. A row left in 'sending' by a crashed process
becomes claimable again once its claim is older than the lease, or at once when the caller knows its claimer
is gone (`dead_workers`: a restarted sender's own previous run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from storage.models import Nudge, NudgeState

PENDING, SENDING, SENT, FAILED, DROPPED = (s.value for s in NudgeState)


@dataclass(frozen=True)
class PlannedRow:
    """A message to be sent, before it is in the outbox."""

    key: str
    kind: str
    chat_id: str
    due_at: datetime
    payload: dict[str, Any]
    plan_id: int | None = None
    period_id: int | None = None
    task_id: int | None = None
    unit_id: int | None = None
    platform: str = "telegram"
    state: str = PENDING
    last_error: str | None = None


def add_rows(*, session: Session, rows: Iterable[PlannedRow], now: datetime) -> int:
    """Insert rows whose key is new (INSERT ... ON CONFLICT DO NOTHING); returns how many were new."""
    return len(_insert_new(session, rows, now, (_TABLE.c.id,)))


def add_rows_returning(*, session: Session, rows: Iterable[PlannedRow], now: datetime) -> list[Nudge]:
    """`add_rows`, returning the rows it inserted (ids and all), in the order given: no query to read them back."""
    return [Nudge(**row._mapping) for row in _insert_new(session, rows, now, tuple(_TABLE.c))]


_TABLE: Any = Nudge.__table__  # type: ignore[attr-defined]
_INSERTS: dict[tuple[str, tuple[str, ...]], Any] = {}


def _insert_new(session: Session, rows: Iterable[PlannedRow], now: datetime, returning: tuple[Any, ...]) -> list[Any]:
    values = [{
        "key": r.key, "kind": r.kind, "plan_id": r.plan_id, "period_id": r.period_id, "task_id": r.task_id,
        "unit_id": r.unit_id, "platform": r.platform, "chat_id": r.chat_id, "due_at": r.due_at, "state": r.state,
        "attempts": 0, "last_error": r.last_error, "payload": r.payload, "created_at": now,
    } for r in rows]
    if not values:
        return []
    dialect = session.get_bind().dialect.name
    names = tuple(c.name for c in returning)
    statement = _INSERTS.get((dialect, names))
    if statement is None:  # one Core statement per dialect, compiled once (an ORM insert of literal values was
        # compiled again for every call: a tenth of the bot's time at a reply burst, bench/bench_replies.py)
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["key"]).returning(
            *returning, sort_by_parameter_order=True)
        _INSERTS[(dialect, names)] = statement
    found: list[Any] = []
    for start in range(0, len(values), 500):
        found.extend(session.execute(statement, values[start:start + 500]).all())
    return found


def _reclaimable(now: datetime, lease: timedelta, dead_workers: frozenset[str]) -> Any:
    """A 'sending' row whose claim expired, or whose claimer is known to be gone."""
    expired = Nudge.claimed_at < now - lease  # type: ignore[operator]
    if dead_workers:
        expired = or_(expired, Nudge.claimed_by.in_(sorted(dead_workers)))  # type: ignore[union-attr]
    return and_(Nudge.state == SENDING, expired)


def due_rows(*, session: Session, now: datetime, lease: timedelta, limit: int = 1000,
             exclude: set[int] | None = None, dead_workers: frozenset[str] = frozenset(),
             kinds: tuple[str, ...] | None = None, skip_kinds: tuple[str, ...] = (), by_id: bool = False,
             ) -> list[Nudge]:
    """Pending rows due by `now`, and 'sending' rows of a crashed sender (lease expired or known dead), oldest
    due first (or, `by_id`, first written first); only those of `kinds` (all by default), none of `skip_kinds`."""
    query = select(Nudge).where(or_(
        and_(Nudge.state == PENDING, Nudge.due_at <= now),  # type: ignore[operator]
        _reclaimable(now, lease, dead_workers),
    ))
    if exclude:
        query = query.where(Nudge.id.not_in(exclude))  # type: ignore[union-attr]
    if kinds is not None:
        query = query.where(Nudge.kind.in_(kinds))  # type: ignore[attr-defined]
    if skip_kinds:
        query = query.where(Nudge.kind.not_in(skip_kinds))  # type: ignore[attr-defined]
    order = (Nudge.id,) if by_id else (Nudge.due_at, Nudge.id)
    return list(session.exec(query.order_by(*order).limit(limit)))  # type: ignore[arg-type]


def claim(*, session: Session, nudge_id: int, worker: str, now: datetime, lease: timedelta,
          dead_workers: frozenset[str] = frozenset()) -> Nudge | None:
    """Take the row for sending; None when someone else has it (or it is done)."""
    result = session.execute(
        update(Nudge).where(Nudge.id == nudge_id, or_(
            Nudge.state == PENDING, _reclaimable(now, lease, dead_workers),
        )).values(state=SENDING, claimed_by=worker, claimed_at=now, attempts=Nudge.attempts + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.expire_all()
    return session.get(Nudge, nudge_id)


def _finish(session: Session, nudge_id: int, worker: str, **values: Any) -> bool:
    result = session.execute(update(Nudge).where(
        Nudge.id == nudge_id, Nudge.state == SENDING, Nudge.claimed_by == worker).values(**values))
    return result.rowcount == 1  # type: ignore[attr-defined]


def mark_sent(*, session: Session, nudge_id: int, worker: str, now: datetime, message_id: str,
              payload: dict[str, Any] | None = None) -> bool:
    extra = {"payload": payload} if payload is not None else {}
    return _finish(session, nudge_id, worker, state=SENT, sent_at=now, message_id=message_id, last_error=None,
                   **extra)


def mark_dropped(*, session: Session, nudge_id: int, worker: str, reason: str) -> bool:
    return _finish(session, nudge_id, worker, state=DROPPED, last_error=reason[:500])


def mark_failed(*, session: Session, nudge_id: int, worker: str, reason: str) -> bool:
    return _finish(session, nudge_id, worker, state=FAILED, last_error=reason[:500])


def release(*, session: Session, nudge_id: int, worker: str, due_at: datetime, reason: str,
            count_attempt: bool = True) -> bool:
    """Back to pending, to be tried again at `due_at` (a retry after an error or a 429)."""
    values: dict[str, Any] = {"state": PENDING, "due_at": due_at, "last_error": reason[:500],
                              "claimed_by": None, "claimed_at": None}
    if not count_attempt:
        values["attempts"] = Nudge.attempts - 1
    return _finish(session, nudge_id, worker, **values)


def drop_pending_for_chat(*, session: Session, platform: str, chat_id: str, reason: str) -> int:
    result = session.execute(update(Nudge).where(
        Nudge.platform == platform, Nudge.chat_id == chat_id, Nudge.state == PENDING,
    ).values(state=DROPPED, last_error=reason[:500]))
    return result.rowcount or 0  # type: ignore[attr-defined]


def move_unsent(*, session: Session, platform: str, chat_id: str, new_chat_id: str) -> int:
    """Rows not sent yet (waiting or being sent) go to the chat's new id (a Telegram group upgraded to a
    supergroup); returns how many."""
    result = session.execute(update(Nudge).where(
        Nudge.platform == platform, Nudge.chat_id == chat_id, Nudge.state.in_((PENDING, SENDING)),  # type: ignore[attr-defined]
    ).values(chat_id=new_chat_id))
    return result.rowcount or 0  # type: ignore[attr-defined]


def claimers(*, session: Session) -> list[str]:
    """Who holds rows in 'sending' now."""
    query = select(Nudge.claimed_by).where(Nudge.state == SENDING).distinct()
    return sorted(w for w in session.exec(query) if w)  # type: ignore[call-overload]


def left_sending(*, session: Session) -> list[Nudge]:
    """Rows still in 'sending' (claimed by a sender that has not finished them), oldest claim first."""
    return list(session.exec(select(Nudge).where(Nudge.state == SENDING).order_by(Nudge.claimed_at, Nudge.id)))  # type: ignore[arg-type]


def counts_by_state(*, session: Session) -> dict[str, dict[str, int]]:
    """{kind: {state: count}}."""
    rows = session.exec(select(Nudge.kind, Nudge.state, func.count()).group_by(Nudge.kind, Nudge.state)).all()
    result: dict[str, dict[str, int]] = {}
    for kind, state, count in rows:
        result.setdefault(kind, {})[state] = count
    return result


def problems(*, session: Session, states: tuple[str, ...] = (FAILED, DROPPED), limit: int = 50) -> list[Nudge]:
    return list(session.exec(select(Nudge).where(Nudge.state.in_(states))  # type: ignore[attr-defined]
                             .order_by(Nudge.id.desc()).limit(limit)))  # type: ignore[union-attr]
