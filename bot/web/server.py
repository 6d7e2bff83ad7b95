"""Running the web app with uvicorn (`nhacviec web`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import timedelta

import uvicorn

from bot.base.clock import Clock
from bot.settings import Settings
from bot.web.app import WebConfig, create_app
from storage.database import Database


def web_config(*, settings: Settings, database: Database, clock: Clock, base_url: str) -> WebConfig:
    assert settings.web_secret is not None
    return WebConfig(db=database, clock=clock, tz=settings.tz, base_url=base_url,
                     secret=settings.web_secret.get_secret_value(),
                     idle=timedelta(minutes=settings.web_session_idle_minutes),
                     lifetime=timedelta(hours=settings.web_session_hours))


def serve(*, settings: Settings, database: Database, clock: Clock, base_url: str) -> None:
    """Serve until Ctrl+C / SIGTERM. Behind nginx, the proxy's X-Forwarded-* headers are trusted from the
    loopback only."""
    app = create_app(web_config(settings=settings, database=database, clock=clock, base_url=base_url))
    print(f"Trang web: {base_url} (nghe tại {settings.web_host}:{settings.web_port}). Ctrl+C để dừng.", flush=True)
    uvicorn.run(app, host=settings.web_host, port=settings.web_port, log_level="warning", proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", server_header=False)


class _Embedded(uvicorn.Server):
    """uvicorn inside another program's event loop: the program owns SIGINT/SIGTERM and stops it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class EmbeddedWeb:
    """The web pages served beside the bot by `nhacviec run` when WEB_BASE_URL is set."""

    def __init__(self, *, settings: Settings, database: Database, clock: Clock) -> None:
        assert settings.web_base_url is not None
        app = create_app(web_config(settings=settings, database=database, clock=clock,
                                    base_url=settings.web_base_url))
        self.server = _Embedded(uvicorn.Config(app, host=settings.web_host, port=settings.web_port,
                                               log_level="warning", proxy_headers=True,
                                               forwarded_allow_ips="127.0.0.1", server_header=False))
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():  # the port is taken, or the address cannot be bound
                self.task.result()
                raise OSError("the web server stopped at start-up")
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task
