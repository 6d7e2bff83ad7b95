"""What every CLI command needs, built lazily so `--help` works without a database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from bot.base.clock import Clock, SystemClock

if TYPE_CHECKING:  # settings (pydantic) and storage (SQLAlchemy) load on first use: `--help` starts fast
    from bot.settings import Settings
    from storage.database import Database


@dataclass
class CliContext:
    clock: Clock = field(default_factory=SystemClock)
    _settings: Settings | None = None
    _database: Database | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from bot.settings import load_settings

            self._settings = load_settings()
        return self._settings

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.settings.tz)

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


pass_cli = click.make_pass_decorator(CliContext, ensure=True)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
