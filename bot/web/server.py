"""Running the web app with uvicorn (`nhacviec web`)."""

from __future__ import annotations

from datetime import timedelta

import uvicorn

from bot.clock import Clock
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
