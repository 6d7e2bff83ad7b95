"""Webhook mode: the Bot API server posts updates with the secret header; a wrong secret is refused."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bot.runner import serve
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.settings import Settings
from storage.database import Database
from tests.faults.staff import spawn_bot

TOKEN = "300000003:WEBHOOK-test-token-for-sandbox-abc"
SECRET = "s3cret_Header-Value"
FORGED = {"update_id": 999, "message": {"message_id": 1, "date": 0, "text": "/start",
          "chat": {"id": 5, "type": "private"}, "from": {"id": 5, "is_bot": False, "first_name": "X"}}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@asynccontextmanager
async def webhook_bot(db: Database) -> AsyncIterator[tuple[SandboxServer, int]]:
    """The sandbox, and `serve()` in webhook mode against it (its webhook registered), on a free port; the
    listen address is left to its default."""
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    port = _free_port()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=sandbox.bot_api_url,  # type: ignore[arg-type]
                        database_url=db.url, webhook_url=f"http://127.0.0.1:{port}",
                        webhook_secret=SECRET, webhook_port=port,
                        _env_file=None)  # type: ignore[call-arg]
    stop = asyncio.Event()
    runner = asyncio.create_task(serve(settings, stop=stop, announce=False))
    try:
        async with sandbox.client() as people:
            for _ in range(100):  # wait for setWebhook
                if (await people.state()).get("webhook"):  # the webhook URL once setWebhook arrived
                    break
                await asyncio.sleep(0.05)
        yield sandbox, port
    finally:
        stop.set()
        await asyncio.wait_for(runner, 20)
        await sandbox.stop()


async def test_updates_arrive_by_webhook_with_the_secret(sqlite_db: Database) -> None:
    async with webhook_bot(sqlite_db) as (sandbox, port):
        async with sandbox.client() as people:
            someone = await people.create_user("Khách")
            await people.start(someone)
            (hello,) = await people.wait_for_messages(someone.id, 1, timeout=10)
            assert "mã mời" in (hello.text or "")
        async with httpx.AsyncClient() as http:
            wrong = await http.post(f"http://127.0.0.1:{port}/telegram", json=FORGED,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert wrong.status_code == 403


async def test_webhook_answers_only_after_the_update_was_handled(sqlite_db: Database) -> None:
    """Telegram treats a 200 as delivered: by the time we answer, the update's effect must be in the database."""
    from datetime import UTC, datetime, timedelta

    from sqlmodel import select

    from storage.members import create_invite
    from storage.models import InboundMessage, Member
    from storage.units import add_unit

    now = datetime.now(UTC)
    with sqlite_db.session() as session:
        unit = add_unit(session=session, name="Phòng Kinh tế", now=now)
        create_invite(session=session, unit_id=unit.id, role="staff", code="WH-CODE", now=now,
                      expires_at=now + timedelta(days=1))
    async with webhook_bot(sqlite_db) as (sandbox, port):
        async with sandbox.client() as people:
            user = await people.create_user("Lan")
            await people.private_chat(user)
        update = {"update_id": 7001, "message": {
            "message_id": 1, "date": int(now.timestamp()), "text": "/start WH-CODE",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            "chat": {"id": user.id, "type": "private", "first_name": "Lan"},
            "from": {"id": user.id, "is_bot": False, "first_name": "Lan"}}}
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.post(f"http://127.0.0.1:{port}/telegram", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert answer.status_code == 200
        member = sqlite_db.call(lambda session: session.exec(
            select(Member).where(Member.user_id == str(user.id))).first())
        assert member is not None and member.unit_id == unit.id  # handled before the 200
        journal = sqlite_db.call(lambda session: session.exec(select(InboundMessage)).all())
        assert [j.text for j in journal] == ["/start WH-CODE"]


async def test_forged_updates_without_or_with_a_wrong_secret_are_refused_unhandled(sqlite_db: Database) -> None:
    """A stranger posting updates straight to the webhook (no header, a wrong one, one a character short) gets a
    403 and nothing is handled: no journal entry, no message sent to the chat the update names."""
    from sqlmodel import select

    from storage.models import InboundMessage

    async with webhook_bot(sqlite_db) as (sandbox, port):
        async with httpx.AsyncClient() as http:
            url = f"http://127.0.0.1:{port}/telegram"
            answers = [await http.post(url, json=FORGED),
                       await http.post(url, json=FORGED, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}),
                       await http.post(url, json=FORGED, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}),
                       await http.post(url, json=FORGED, headers={"X-Telegram-Bot-Api-Secret-Token": ""})]
        assert [a.status_code for a in answers] == [403, 403, 403, 403]
        await asyncio.sleep(0.2)
        chat = sandbox.world.chats.get(5)
        assert chat is None or not any(m.from_bot for m in chat.messages.values())
    assert sqlite_db.call(lambda session: session.exec(select(InboundMessage)).all()) == []


async def test_the_webhook_listens_on_loopback_only_by_default(sqlite_db: Database) -> None:
    """Without WEBHOOK_LISTEN the server is reachable from this machine (the reverse proxy) and nowhere else:
    127.0.0.1 answers, another address of the machine (127.0.0.2 stands for any) is refused."""
    assert Settings(_env_file=None).webhook_listen == "127.0.0.1"  # type: ignore[call-arg]
    async with webhook_bot(sqlite_db) as (_, port):
        async with httpx.AsyncClient() as http:
            assert (await http.post(f"http://127.0.0.1:{port}/telegram", json=FORGED)).status_code == 403
            try:
                await http.post(f"http://127.0.0.2:{port}/telegram", json=FORGED)
                reached = True
            except httpx.ConnectError:
                reached = False
        assert not reached


async def test_a_webhook_url_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    """`nhacviec run` with WEBHOOK_URL and no WEBHOOK_SECRET: one Vietnamese line naming the setting and how to
    make one, exit 1, and the Bot API never hears from it (no webhook registered, no port opened)."""
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    port = _free_port()
    try:
        proc = await spawn_bot(tmp_path, f"sqlite:///{tmp_path}/nv.db", sandbox.bot_api_url, token=TOKEN,
                               env={"WEBHOOK_URL": "https://bot.example.gov.vn/nv", "WEBHOOK_PORT": str(port)})
        assert proc.stdout is not None
        output = (await asyncio.wait_for(proc.stdout.read(), 60)).decode()
        assert await proc.wait() == 1
        async with sandbox.client() as people:
            assert not (await people.state()).get("webhook")
    finally:
        await sandbox.stop()
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "WEBHOOK_SECRET" in lines[0] and "secrets.token_urlsafe" in lines[0]
    assert "Traceback" not in output


def test_a_short_or_malformed_webhook_secret_is_refused_without_echoing_it() -> None:
    from bot.base.errors import UserError
    from bot.settings import load_settings

    for bad in ("short-secret", "contains spaces and more than 16", "ü" * 20):
        try:
            load_settings(webhook_secret=bad, _env_file=None)
        except UserError as exc:
            assert "WEBHOOK_SECRET" in str(exc) and bad not in str(exc)
        else:
            raise AssertionError(f"{bad!r} accepted")
