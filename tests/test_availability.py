"""Which database errors are waited out (storage.availability): every transient one for a transaction, only a lost
connection or a lock for a migration (strict), whose own failing statement must stop the start at once."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from storage.availability import database_unavailable


def _error(message: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize("message", ["database is locked", "connection to server at 127.0.0.1 refused",
                                     "could not connect to server"])
def test_a_lock_or_a_lost_connection_is_waited_out_in_both_modes(message: str) -> None:
    assert database_unavailable(_error(message))
    assert database_unavailable(_error(message), strict=True)


def test_a_statements_own_operational_error_is_waited_out_only_outside_a_migration() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as connection, pytest.raises(OperationalError) as raised:
        connection.execute(text("ALTER TABLE missing ADD COLUMN x INTEGER"))
    assert database_unavailable(raised.value)
    assert not database_unavailable(raised.value, strict=True)


def test_other_errors_are_never_waited_out() -> None:
    error = ProgrammingError("SELECT", {}, Exception("syntax error"))
    assert not database_unavailable(error)
    assert not database_unavailable(error, strict=True)
    assert not database_unavailable(ValueError("x"))
