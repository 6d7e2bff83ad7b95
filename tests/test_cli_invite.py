"""`nhacviec invite --unit` finds the unit the way the importer and the chat do (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.cli import main
from storage.database import Database
from storage.units import add_unit


@pytest.fixture
def cli(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", db.url)

    def register(*, session):  # type: ignore[no-untyped-def]
        now = datetime(2026, 5, 20, 2, 0, tzinfo=UTC)
        add_unit(session=session, name="Phòng Tổ chức – Hành chính – Quản trị", now=now)
        add_unit(session=session, name="Phòng Văn hóa - Xã hội", now=now, groups=["Các phòng, đơn vị thuộc"])

    db.call(register)
    return db


def test_an_abbreviation_finds_the_unit(cli: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "--unit", "Phòng TCHCQT", "--role", "head", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "Phòng Tổ chức – Hành chính – Quản trị" and data["role"] == "head"


def test_an_unknown_name_names_the_closest_unit_and_a_group_is_explained(
    cli: Database, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["invite", "--unit", "Phòng Văn hóa và Xã hội huyện"]) != 0
    err = capsys.readouterr().err
    assert "Có phải: Phòng Văn hóa - Xã hội?" in err and "Tổ chức" not in err
    assert main(["invite", "--unit", "Các phòng, đơn vị trực thuộc"]) != 0
    assert "nhóm đơn vị" in capsys.readouterr().err
