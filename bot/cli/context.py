"""What every CLI command needs, built lazily so `--help` works without a database."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.base.clock import VN_TZ, Clock, SystemClock

if TYPE_CHECKING:  # settings (pydantic) and storage (SQLAlchemy) load on first use: `--help` starts fast
    from bot.settings import Settings
    from storage.database import Database


@dataclass
class CliContext:
    clock: Clock = field(default_factory=SystemClock)
    _settings: Settings | None = None
    _database: Database | None = None
    _zone: tzinfo | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from bot.settings import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def tz(self) -> tzinfo:
        """The configured time zone (TIMEZONE); read on its own while Settings are not loaded, so a command that
        only needs today's date (calendar, explain) does not load pydantic."""
        if self._settings is None and self._zone is None:
            self._zone = zone_from_environment()
        if self._settings is None and self._zone is not None:
            return self._zone
        return self.settings.tz

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.tz)

    def database(self, *, migrate: bool = True) -> Database:
        """The database, upgraded to the current schema on first use (a newer schema is refused)."""
        if self._database is None:
            from storage.database import Database
            from storage.migrate import ensure_current

            self._database = Database(self.settings.database_url)
            if migrate:
                ensure_current(self._database)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()


def zone_from_environment(env_file: Path = Path(".env")) -> ZoneInfo | None:
    """TIMEZONE as Settings read it, without loading them: the environment first, then `.env` (names in any
    case, the last one winning, as pydantic-settings does), else the default zone. None for anything else (a
    value that is not a known zone, `.env` that is not a plain file): Settings then decide, with their message."""
    found = [value for key, value in os.environ.items() if key.lower() == "timezone"]
    if not found:
        if env_file.is_file():
            from dotenv import dotenv_values  # small; what pydantic-settings itself reads `.env` with

            found = [v for k, v in dotenv_values(env_file, encoding="utf-8").items() if k.lower() == "timezone"]
        elif env_file.exists():
            return None
    if not found:
        return VN_TZ
    try:
        return ZoneInfo(found[-1]) if found[-1] else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


pass_cli = click.make_pass_decorator(CliContext, ensure=True)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
