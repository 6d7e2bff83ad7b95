"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.base.errors import UserError

DEFAULT_DATABASE_URL = "sqlite:///./data/nhacviec.db"

_PLACEHOLDER = re.compile(
    r"^(|changeme|change[-_ ]?me|your[-_ ].*|<.*>|x+|todo|token|secret|placeholder|123456:abc.*)$",
    re.IGNORECASE,
)
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_ZALO_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")  # what Zalo Bot Manager sends: bot id, colon, key
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # what Telegram accepts, long enough not to be guessed


def is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip()))


class Settings(BaseSettings):
    """Everything an operator can set; see `.env.example` for the documentation of each."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_bot_username: str | None = None  # for t.me deep links in invites printed by the CLI
    database_url: str = DEFAULT_DATABASE_URL
    timezone: str = "Asia/Ho_Chi_Minh"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"  # behind a reverse proxy; 0.0.0.0 only on purpose
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Zalo Bot Platform (https://bot.zaloplatforms.com): served beside Telegram when ZALO_BOT_TOKEN is set
    zalo_bot_token: SecretStr | None = None
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"  # requests go to {base}/bot{token}/{method}
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_listen: str = "127.0.0.1"
    zalo_webhook_port: int = Field(default=8444, ge=1, le=65535)
    # conservative pacing: Zalo documents no rate, only a 429 "quota exceeded"
    zalo_send_per_second: float = Field(default=5.0, gt=0, le=30)
    zalo_chat_interval: float = Field(default=1.5, ge=0, le=60)  # seconds between two messages to one chat
    zalo_group_interval: float = Field(default=4.0, ge=0, le=120)
    log_level: str = "INFO"
    max_upload_mb: int = Field(default=10, ge=1, le=50)
    web_base_url: str | None = None  # the pages' public address, e.g. https://nhacviec.so-khcn.gov.vn
    web_secret: SecretStr | None = None  # signs download links; required by `nhacviec web`
    web_host: str = "127.0.0.1"  # behind a reverse proxy, like the webhook
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_session_idle_minutes: int = Field(default=60, ge=5, le=24 * 60)
    web_session_hours: int = Field(default=12, ge=1, le=24 * 30)

    @field_validator("web_base_url")
    @classmethod
    def _web_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("must be an http:// or https:// address, e.g. https://nhacviec.example.gov.vn")
        return value

    @field_validator("telegram_bot_token", "webhook_secret", "web_secret", "zalo_bot_token", "zalo_webhook_secret")
    @classmethod
    def _refuse_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and is_placeholder(value.get_secret_value()):
            raise ValueError("is a placeholder; put the real value or leave it unset")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_SHAPE.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a bot token from BotFather (digits:letters)")
        return value

    @field_validator("zalo_bot_token")
    @classmethod
    def _zalo_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _ZALO_TOKEN_SHAPE.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a token from Zalo Bot Manager (digits:letters, no spaces)")
        return value

    @field_validator("zalo_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) address such as https://bot-api.zaloplatforms.com")
        return value.rstrip("/")

    @field_validator("webhook_secret", "web_secret", "zalo_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_SHAPE.match(value.get_secret_value()):
            raise ValueError("must be 16-256 characters A-Z a-z 0-9 _ - (generate one: "
                             "python3 -c \"import secrets; print(secrets.token_urlsafe(32))\")")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def upload_dir(self) -> Path:
        """Where plan files wait between the preview and the confirmation: beside the SQLite file, or ./data."""
        db_file = self.sqlite_path()
        return (db_file.parent if db_file else Path("data")) / "uploads"

    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL, or None for other databases."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix):])
        return None


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation errors into a message that never echoes a value."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        )
        raise UserError(f"Cấu hình không hợp lệ (invalid settings): {problems}") from None
