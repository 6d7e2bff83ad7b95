"""Webhook mode: the Bot API server posts updates with the secret header; a wrong secret is refused."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.runner import serve
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.settings import Settings
from storage.database import Database

TOKEN = "300000003:WEBHOOK-test-token-for-sandbox-abc"
SECRET = "s3cret_Header-Value"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@asynccontextmanager
async def webhook_bot(db: Database) -> AsyncIterator[tuple[SandboxServer, int]]:
    """The sandbox, and `serve()` in webhook mode against it (its webhook registered), on a free port."""
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    await sandbox.start()
    port = _free_port()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=sandbox.bot_api_url,  # type: ignore[arg-type]
                        database_url=db.url, webhook_url=f"http://127.0.0.1:{port}",
                        webhook_secret=SECRET, webhook_listen="127.0.0.1", webhook_port=port,
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
            update = {"update_id": 999, "message": {"message_id": 1, "date": 0, "text": "/start",
                      "chat": {"id": 5, "type": "private"}, "from": {"id": 5, "is_bot": False, "first_name": "X"}}}
            wrong = await http.post(f"http://127.0.0.1:{port}/telegram", json=update,
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
