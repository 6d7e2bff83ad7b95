"""Links into the web pages that other code hands out: sign-in links and signed, expiring download links.

Plain standard library (no web framework), so the chat and the platform connectors (Telegram now, Zalo later,
whose Bot Platform cannot send files) import it freely.

Download links carry what they give (plan, period, format, optionally one unit) and until when, signed with
HMAC-SHA256 under `WEB_SECRET`: whoever holds the link may download that one file until it expires, without
signing in, and nothing else. Changing any field, or the secret, breaks the signature. Example::

    url = download_url(base_url=settings.web_base_url, secret=settings.web_secret.get_secret_value(),
                       plan_id=1, period_key="2026-Q2", fmt="xlsx", now=clock.now())
    # https://nhacviec.example.gov.vn/tai?p=1&k=2026-Q2&f=xlsx&e=1780000000&s=...

The web app checks such a link with `check_download`.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

DOWNLOAD_FORMATS = ("xlsx", "docx", "png", "json")
DOWNLOAD_TTL = timedelta(days=7)  # a summary pushed to a chat stays downloadable for a week
SIGN_IN_TTL = timedelta(minutes=15)


def sign_in_url(*, base_url: str, token: str) -> str:
    """The address of a one-time sign-in link (token from storage.web_sessions.create_link)."""
    return f"{base_url.rstrip('/')}/vao/{quote(token, safe='')}"


@dataclass(frozen=True)
class Download:
    """What a valid download link gives."""

    plan_id: int
    period_key: str
    fmt: str
    unit_id: int | None
    expires_at: datetime


def _payload(plan_id: int, period_key: str, fmt: str, unit_id: int | None, expires: int) -> bytes:
    return f"download|{plan_id}|{period_key}|{fmt}|{unit_id or ''}|{expires}".encode()


def _signature(secret: str, payload: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()[:32]


def download_url(*, base_url: str, secret: str, plan_id: int, period_key: str, fmt: str, now: datetime,
                 unit_id: int | None = None, ttl: timedelta = DOWNLOAD_TTL) -> str:
    """A signed link to one summary file (xlsx, docx, png or json) of a plan's period, optionally of one lead
    unit only, valid for `ttl` from `now` (aware). Needs no database: the link itself says what it gives."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(DOWNLOAD_FORMATS)}")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    expires = int((now + ttl).timestamp())
    query = {"p": plan_id, "k": period_key, "f": fmt, "e": expires}
    if unit_id is not None:
        query["u"] = unit_id
    query["s"] = _signature(secret, _payload(plan_id, period_key, fmt, unit_id, expires))
    return f"{base_url.rstrip('/')}/tai?{urlencode(query)}"


class DownloadRefused(Exception):
    """A download link that does not give anything: `reason` is "invalid" (altered, incomplete, or signed
    under another secret) or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_download(*, secret: str, query: dict[str, str], now: datetime) -> Download:
    """What the link's query string (`p`, `k`, `f`, `u`, `e`, `s`) gives, or DownloadRefused."""
    try:
        plan_id, period_key, fmt = int(query["p"]), query["k"], query["f"]
        unit_id = int(query["u"]) if query.get("u") else None
        expires, signature = int(query["e"]), query["s"]
    except (KeyError, ValueError):
        raise DownloadRefused("invalid") from None
    expected = _signature(secret, _payload(plan_id, period_key, fmt, unit_id, expires))
    if fmt not in DOWNLOAD_FORMATS or not hmac.compare_digest(expected, signature):
        raise DownloadRefused("invalid")
    expires_at = datetime.fromtimestamp(expires, tz=now.tzinfo)
    if expires_at <= now:
        raise DownloadRefused("expired")
    return Download(plan_id, period_key, fmt, unit_id, expires_at)
