"""Settings: placeholders refused, secrets never echoed, time zone checked."""

from __future__ import annotations

import pytest

from bot.base.errors import UserError
from bot.settings import DEFAULT_DATABASE_URL, load_settings

REAL_LOOKING = "7000000001:AAH-real-looking-token-value_0123456789"


pytestmark = pytest.mark.usefixtures("fresh_folder")  # no stray .env, no variables set


def test_defaults_are_embedded() -> None:
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.telegram_bot_token is None
    assert str(settings.tz) == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("placeholder", ["changeme", "your-token-here", "<token>", "xxxx", "123456:ABC-DEF1234ghIkl"])
def test_placeholder_tokens_are_refused(monkeypatch: pytest.MonkeyPatch, placeholder: str) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", placeholder)
    with pytest.raises(UserError, match="TELEGRAM_BOT_TOKEN") as info:
        load_settings()
    assert placeholder not in str(info.value)


def test_malformed_token_message_does_not_echo_it(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "not-a-token-but-secret-9876543210"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", secret)
    with pytest.raises(UserError) as info:
        load_settings()
    assert secret not in str(info.value)


def test_real_token_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", REAL_LOOKING)
    settings = load_settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == REAL_LOOKING
    assert REAL_LOOKING not in repr(settings) and REAL_LOOKING not in str(settings.model_dump())


def test_env_file_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///./x.db\nTIMEZONE=Asia/Bangkok\n", encoding="utf-8")
    settings = load_settings()
    assert settings.database_url == "sqlite:///./x.db" and settings.timezone == "Asia/Bangkok"


def test_unknown_time_zone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(UserError, match="TIMEZONE"):
        load_settings()


def test_zalo_settings_defaults_and_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    zalo = "3105543454382313440:ZaloRealLookingTokenValue_0123456789"
    monkeypatch.setenv("ZALO_BOT_TOKEN", zalo)
    settings = load_settings()
    assert settings.zalo_api_base_url == "https://bot-api.zaloplatforms.com"
    assert settings.zalo_webhook_listen == "127.0.0.1" and settings.zalo_webhook_url is None
    assert zalo not in repr(settings) and settings.zalo_bot_token is not None
    assert settings.zalo_bot_token.get_secret_value() == zalo


@pytest.mark.parametrize("name, value", [("ZALO_BOT_TOKEN", "changeme"), ("ZALO_BOT_TOKEN", "zalo token with spaces"),
                                         ("ZALO_WEBHOOK_SECRET", "short"), ("ZALO_API_BASE_URL", "bot-api.example")])
def test_bad_zalo_settings_are_refused_without_echo(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(UserError, match=name) as info:
        load_settings()
    assert value not in str(info.value)
