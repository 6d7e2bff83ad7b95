"""The web app on the summary tests' scenario, driven through Starlette's test client (real HTTP semantics:
cookies, redirects, forms) with a fixed clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from bot.base.clock import FixedClock
from bot.web.app import WebConfig, create_app
from bot.web.links import SIGN_IN_TTL, sign_in_url
from storage.database import Database
from storage.models import Plan
from storage.tally import refresh_plan
from storage.web_sessions import create_link
from tests.summary.conftest import NOW, scenario

BASE = "http://testserver"
SECRET = "test-secret-for-download-links"


@dataclass
class Site:
    db: Database
    clock: FixedClock
    client: TestClient
    ids: dict[str, int]
    config: WebConfig

    def link(self, **who: object) -> str:
        """A fresh one-time sign-in link, as `nhacviec web link` or /web make it."""
        token = self.db.call(create_link, now=self.clock.now(), ttl=SIGN_IN_TTL, **who)
        return sign_in_url(base_url=self.config.base_url, token=token)

    def sign_in(self, **who: object) -> None:
        """Open the link (a page with a button), then press it (POST with the form's CSRF token)."""
        url = self.link(**who)
        page = self.client.get(url)
        assert page.status_code == 200, page.text
        csrf = form_csrf(page.text)
        done = self.client.post(url, data={"csrf": csrf}, follow_redirects=False)
        assert done.status_code == 303, done.text


def form_csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _count_lines(*, session: Session) -> None:
    """The scenario's rows are plain inserts: count them once, as migration 0013 counts an existing database,
    so that the pages read the counters the writes then keep (storage.tally)."""
    for plan_id in session.exec(select(Plan.id)).all():
        refresh_plan(session, plan_id=plan_id)


def make_site(db: Database, *, base_url: str = BASE) -> Site:
    ids = scenario(db)
    db.call(_count_lines)
    clock = FixedClock(NOW)
    config = WebConfig(db=db, clock=clock, tz=NOW.tzinfo, base_url=base_url, secret=SECRET,  # type: ignore[arg-type]
                       idle=timedelta(minutes=60), lifetime=timedelta(hours=12))
    client = TestClient(create_app(config), base_url=base_url)
    return Site(db, clock, client, ids, config)


@pytest.fixture
def site(db: Database) -> Iterator[Site]:
    made = make_site(db)
    with made.client:
        yield made
