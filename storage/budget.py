"""One sending budget shared by every process on the database: the next free global slot of a bot, in a row.

Two `nhacviec run` / `nudges send-due` processes on one token would each spend the platform's whole limit
(Telegram: ~30 messages/s per bot) if each paced on its own. Each process instead reserves its next slot with one
atomic upsert on the bot's row (`sendbudget`): the slot starts at the later of now and the row's next free
instant, and the row moves one interval past it. Slots therefore never overlap, whichever process takes them,
on SQLite as on PostgreSQL. Times are seconds since the epoch (wall time is the only clock processes share).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

_RESERVE = text(
    "INSERT INTO sendbudget (bucket, next_at) VALUES (:bucket, :now + :interval) "
    "ON CONFLICT (bucket) DO UPDATE SET next_at = "
    "CASE WHEN sendbudget.next_at > :now THEN sendbudget.next_at ELSE :now END + :interval "
    "RETURNING next_at"
)
_HOLD = text(
    "INSERT INTO sendbudget (bucket, next_at) VALUES (:bucket, :until) "
    "ON CONFLICT (bucket) DO UPDATE SET next_at = "
    "CASE WHEN sendbudget.next_at > :until THEN sendbudget.next_at ELSE :until END"
)


def reserve_slot(*, session: Session, bucket: str, now: float, interval: float) -> float:
    """Reserve the bot's next global slot; returns when it starts (>= now), in epoch seconds."""
    next_at = session.execute(_RESERVE, {"bucket": bucket, "now": now, "interval": interval}).scalar_one()
    return float(next_at) - interval


def hold_until(*, session: Session, bucket: str, until: float) -> None:
    """No slot of the bot starts before `until` (a 429's retry_after, for every process)."""
    session.execute(_HOLD, {"bucket": bucket, "until": until})
