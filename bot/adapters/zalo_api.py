"""The Zalo Bot Platform's HTTP API with plain httpx: POST JSON to `{base}/bot{token}/{method}`.

Why not an SDK: `python-zalo-bot` is a trimmed fork of python-telegram-bot 20 (its own Application,
Dispatcher and update queue) and `zalobot-python` a small synchronous wrapper; neither confirms an update
only once handled, both would bring a second framework beside PTB, and the whole API we use is six JSON
methods (getMe, getUpdates, setWebhook, deleteWebhook, sendMessage, sendPhoto, sendChatAction). httpx is
already a dependency, its `httpx` logger is kept at WARNING (request lines carry the token), and errors map
straight onto our neutral ones.

Answers are `{"ok": true, "result": ...}` or `{"ok": false, "error_code": N, "description": "..."}` (the error in
the body, with HTTP 200 or with the same HTTP status; `error_code` a number or a string; some errors say
`message` instead of `description`; a proxy in front may answer an HTML page). The only documented limit signal
is 429 "quota exceeded" (no retry_after: the caller backs off). getUpdates with nothing to deliver answers
`{"ok": false, "error_code": 408, "description": "Request timeout"}` (or an empty `result`): no update, no
error. The variants and their sources are in tests/zalo/test_documented_shapes.py.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000  # sendMessage.text: 1-2,000 characters


class ZaloError(Exception):
    """An answer with ok=false (or a non-JSON error page): `code` is the HTTP-like error code."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code, self.description = code, description


class ZaloRateLimited(ZaloError):
    """429: quota exceeded. `retry_after` is the server's hint in seconds when it gave one."""

    def __init__(self, description: str, retry_after: float | None = None) -> None:
        super().__init__(429, description)
        self.retry_after = retry_after


class ZaloUnauthorized(ZaloError):
    """401/403 on getMe: the token is wrong or revoked."""


class ZaloNetworkError(Exception):
    """The request may or may not have reached Zalo: a timeout, a dropped connection, a 5xx."""


class ZaloClient:
    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, *, timeout: float = 15.0,
                 connections: int = 10, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._token = token
        self.base_url = base_url.rstrip("/")
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._http = httpx.AsyncClient(timeout=timeout, limits=limits, transport=transport)

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, params: dict[str, Any] | None = None, *, timeout: float | None = None) -> Any:
        """The `result` of one method; ZaloError for ok=false, ZaloNetworkError when the outcome is unknown."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            response = await self._http.post(url, json=params or {},
                                              timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT)
        except httpx.HTTPError as exc:  # never the URL in the message: it carries the token
            raise ZaloNetworkError(exc.__class__.__name__) from None
        if response.status_code >= 500:
            raise ZaloNetworkError(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if response.status_code == 429:
                raise ZaloRateLimited("quota exceeded", _retry_after(response, None))
            raise ZaloError(response.status_code, f"HTTP {response.status_code}")
        if body.get("ok") is True:
            return body.get("result")
        code = _error_code(body, response.status_code)
        description = str(body.get("description") or body.get("message") or "")
        if code == 429 or response.status_code == 429:
            raise ZaloRateLimited(description or "quota exceeded", _retry_after(response, body))
        if code >= 500:
            raise ZaloNetworkError(f"{code}: {description}")
        if code in (401, 403) and method == "getMe":
            raise ZaloUnauthorized(code, description)
        raise ZaloError(code, description)

    # ---- the methods ------------------------------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout: int) -> list[dict[str, Any]]:
        """The next update(s), waiting up to `timeout` seconds; [] when none came (408 is "nothing yet")."""
        try:
            result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + 10)
        except ZaloError as exc:
            if exc.code == 408:
                return []
            raise
        if isinstance(result, dict):
            return [result] if result else []  # {"ok": true, "result": {}}: nothing came
        return [item for item in result if isinstance(item, dict)] if isinstance(result, list) else []

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> str:
        return _message_id(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, photo_url: str, caption: str | None = None) -> str:
        params = {"chat_id": chat_id, "photo": photo_url, **({"caption": caption} if caption else {})}
        return _message_id(await self.call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _message_id(result: Any) -> str:
    if isinstance(result, dict) and result.get("message_id") is not None:
        return str(result["message_id"])
    raise ZaloNetworkError("no message_id in the answer")


def _error_code(body: dict[str, Any], status: int) -> int:
    """`error_code` as a number (it may come as a string), else the HTTP status when that is an error, else 400."""
    try:
        code = int(body.get("error_code") or 0)
    except (TypeError, ValueError):
        code = 0
    return code or (status if status >= 400 else 400)


def _retry_after(response: httpx.Response, body: dict[str, Any] | None) -> float | None:
    params = (body or {}).get("parameters")
    hint = params.get("retry_after") if isinstance(params, dict) else None
    hint = hint if hint is not None else response.headers.get("Retry-After")
    try:
        return float(hint) if hint is not None else None
    except (TypeError, ValueError):
        return None
