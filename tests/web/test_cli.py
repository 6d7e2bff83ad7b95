"""`nhacviec web link` through the real CLI entry point: links start with WEB_BASE_URL and sign in once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from storage.database import Database
from storage.models import Member, WebLink
from storage.web_sessions import load_viewer, redeem_link
from tests.summary.conftest import scenario


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Database]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nv.db'}")
    monkeypatch.setenv("WEB_BASE_URL", "https://nhacviec.example.gov.vn/")
    assert main(["db", "upgrade"]) == 0
    db = Database(f"sqlite:///{tmp_path / 'nv.db'}")
    scenario(db)
    yield db
    db.dispose()


def _token(out: str) -> str:
    url = out.strip().splitlines()[0]
    assert url.startswith("https://nhacviec.example.gov.vn/vao/")
    return url.rsplit("/", 1)[1]


def test_links_for_an_admin_a_unit_role_and_a_member(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["web", "link", "--admin"]) == 0
    captured = capsys.readouterr()
    admin = _token(captured.out)
    assert "chỉ dùng một lần" in captured.err
    assert main(["web", "link", "--unit", "Sở Y tế", "--role", "head"]) == 0
    head = _token(capsys.readouterr().out)
    with database.session() as session:
        member = session.exec(select(Member).where(Member.user_id == "101")).one()
    assert main(["web", "link", "--member", str(member.id)]) == 0
    lan = _token(capsys.readouterr().out)

    now = datetime.now(UTC)
    with database.session() as session:
        assert len(session.exec(select(WebLink)).all()) == 3
        for token, role, unit in ((admin, "admin", None), (head, "head", "Sở Y tế"), (lan, "staff", "Sở Tài chính")):
            cookie = redeem_link(session=session, token=token, now=now, lifetime=timedelta(hours=1))
            viewer = load_viewer(session=session, token=cookie, now=now, idle=timedelta(minutes=5))
            assert viewer is not None and (viewer.role, viewer.unit_name) == (role, unit)


def test_bad_choices_are_one_clear_line(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["web", "link"]) == 1
    assert "Chọn đúng một trong: --admin" in capsys.readouterr().err
    assert main(["web", "link", "--unit", "Sở Không Có"]) == 1
    assert "Không tìm thấy đơn vị «Sở Không Có»" in capsys.readouterr().err
    assert main(["web", "link", "--member", "999"]) == 1
    assert "Không tìm thấy thành viên mã 999" in capsys.readouterr().err


def test_the_server_refuses_to_start_without_a_secret(database: Database, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_SECRET", raising=False)
    capsys.readouterr()
    assert main(["web", "--port", "8099"]) == 1
    assert "Trang web cần WEB_SECRET" in capsys.readouterr().err
