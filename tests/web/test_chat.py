"""/web and /trangweb through the running bot (sandbox over HTTP): a member gets a one-time link that opens a
session on the web pages; strangers, groups and a server without WEB_BASE_URL get a clear answer instead."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from bot.web.app import WebConfig, create_app
from storage.database import Database
from tests.bot.conftest import World, open_world
from tests.web.conftest import form_csrf

BASE = "https://nhacviec.example.gov.vn"


async def test_web_gives_a_member_a_link_that_signs_in_once(db: Database) -> None:
    async with open_world(db, web_base_url=BASE) as world:
        people = world.people
        lan = await people.create_user("Lan")
        await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-WEB-1")))
        (answer,) = await world.after(lan.id, people.send_command(lan.id, lan, "trangweb"))
        text = answer.text or ""
        found = re.search(rf"{re.escape(BASE)}/vao/[A-Za-z0-9_-]+", text)
        assert found and "dùng một lần" in text, text
        stranger = await people.create_user("Khách")
        (refused,) = await world.after(stranger.id, people.send_command(stranger.id, stranger, "web"))
        assert "chưa được đăng ký" in (refused.text or "") and "/vao/" not in (refused.text or "")
        group = await people.create_group("Nhóm Kinh tế", creator=lan)
        (in_group,) = await world.after(group.id, people.send_command(group.id, lan, "web"))
        assert "trò chuyện riêng" in (in_group.text or "") and "/vao/" not in (in_group.text or "")
        _sign_in_with(world, found.group(0))


def _sign_in_with(world: World, url: str) -> None:
    config = WebConfig(db=world.db, clock=world.clock, tz=world.clock.now().tzinfo, base_url=BASE,  # type: ignore[arg-type]
                       secret="test-secret-for-download-links")
    with TestClient(create_app(config), base_url=BASE) as client:
        landing = client.get(url)
        client.post(url, data={"csrf": form_csrf(landing.text)})
        home = client.get("/", follow_redirects=False)
        assert home.status_code == 303 and home.headers["location"] == f"/don-vi/{world.units['kt']}"
        assert "Phòng Kinh tế" in client.get(home.headers["location"]).text
        assert client.get(f"/don-vi/{world.units['tp']}").status_code == 403
        assert client.get(url).status_code == 410  # used


async def test_without_web_base_url_web_says_how_to_turn_it_on(db: Database) -> None:
    async with open_world(db) as world:
        people = world.people
        lan = await people.create_user("Lan")
        await world.after(lan.id, people.start(lan, world.invite("kt", "staff", "KT-WEB-2")))
        (answer,) = await world.after(lan.id, people.send_command(lan.id, lan, "web"))
        assert "WEB_BASE_URL" in (answer.text or "") and "/nhiemvu" in (answer.text or "")
