"""Logging set-up: quiet HTTP libraries (their URLs carry the bot token) and a redacting filter."""

from __future__ import annotations

import logging
import os
import re

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactSecrets(logging.Filter):
    """Masks anything shaped like a bot token, plus any secret registered with `add_secret`."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add_secret(self, secret: str | None) -> None:
        if secret and len(secret) >= 6:
            self._secrets.add(secret)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _TOKEN.sub("<token>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.redact(exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


REDACTOR = RedactSecrets()


def configure_logging(level: str | None = None) -> None:
    """Idempotent: one stderr handler on the root logger, with the redactor attached."""
    root = logging.getLogger()
    if not any(getattr(h, "_nhacviec", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(REDACTOR)
        handler._nhacviec = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level or os.environ.get("LOG_LEVEL", "WARNING"))
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
