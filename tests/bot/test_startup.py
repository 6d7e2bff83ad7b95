"""Start-up against a Bot API server that lacks an optional method."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.runner import serve
from bot.sandbox import FaultConfig, RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.client import SandboxClient
from bot.settings import Settings
from storage.database import Database
from tests.faults.staff import greet_a_stranger

TOKEN = "400000004:STARTUP-test-token-for-sandbox-xy"


@asynccontextmanager
async def _serving(sandbox: SandboxServer, db: Database) -> AsyncIterator[SandboxClient]:
    """The bot served against `sandbox` (as `nhacviec run` does), and a people's client that has had a stranger
    say /start and get the bot's answer."""
    await sandbox.start()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=sandbox.bot_api_url,  # type: ignore[arg-type]
                        database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    stop = asyncio.Event()
    runner = asyncio.create_task(serve(settings, stop=stop, announce=False))
    try:
        async with sandbox.client() as people:
            await greet_a_stranger(people, timeout=15)
            yield people
    finally:
        stop.set()
        await asyncio.wait_for(runner, 20)
        await sandbox.stop()


async def test_bot_serves_even_when_set_my_commands_fails(sqlite_db: Database) -> None:
    faults = FaultConfig(error_rate=1.0, methods=frozenset({"setmycommands"}), seed=1)
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False), faults=faults))
    async with _serving(sandbox, sqlite_db) as people:
        assert (await people.state())["commands"] in ([], {}, None)  # the menu was never set


async def test_bot_polls_on_a_server_without_delete_webhook_and_asks_only_for_what_it_handles(
    sqlite_db: Database,
) -> None:
    """A Bot API server that lacks deleteWebhook and setMyCommands (404): polling starts anyway; getUpdates asks
    only for the update kinds the handlers use (a server that does not know a newer kind would refuse
    ALL_TYPES)."""
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False),
                                          missing_methods=frozenset({"deletewebhook", "setmycommands"})))
    async with _serving(sandbox, sqlite_db):
        assert sorted(sandbox.world.allowed_updates or []) == ["callback_query", "edited_message", "message"]


async def test_the_bot_asks_get_me_once_at_start(sqlite_db: Database) -> None:
    """getMe is asked once, in the patient start (tried again while the Bot API is away): a second getMe after it
    ended the bot at start when the network dropped that one call."""
    sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False)))
    async with _serving(sandbox, sqlite_db):
        assert sandbox.stats.calls["getMe"] == 1, dict(sandbox.stats.calls)
