"""A local, in-memory twin of the Zalo Bot Platform API (https://bot.zaloplatforms.com/docs), with a people's side.

Bot side, POST (or GET) `/bot<TOKEN>/<method>` with JSON: getMe; getUpdates (`timeout` in seconds; no offset:
each call returns the next message as `{"ok": true, "result": {"event_name": "message.text.received",
"message": {...}}}`, or 408 when none came; 409-like refusal while a webhook is set); setWebhook (`url`,
`secret_token` 8-256 characters), deleteWebhook, getWebhookInfo; sendMessage (`chat_id`, `text` 1-2,000
characters); sendPhoto (`chat_id`, `photo` as a URL, `caption`); sendSticker; sendChatAction. Errors are
`{"ok": false, "error_code": N, "description": "..."}`; over the limits, 429 "Quota exceeded" (no retry_after,
as on Zalo). A message: `message_id` (string), `date` (milliseconds), `text`, `chat.id`, `chat.chat_type`
PRIVATE or GROUP, `from.id`, `from.display_name`, `from.is_bot`.

With a webhook set, updates are POSTed to it with `X-Bot-Api-Secret-Token`, in the documentation's envelope
`{"ok": true, "result": {"event_name": ..., "message": ...}}`, or bare (`{"event_name": ..., "message": ...}`,
what public clients report receiving) with `webhook_envelope="bare"`; anything but a 2xx answer (or no answer)
is delivered again after `webhook_retry_delay`. Faults (bot/sandbox/faults.py) apply to bot methods;
`redeliver_rate` sends an update twice, as Zalo may.

People's side (JSON, under /zalo-sandbox/): POST users {name} -> {id}; POST groups {name, members} -> {chat_id};
POST send {user_id, chat_id?, text} (chat_id defaults to the person's private chat) -> the message;
POST redeliver {} (the last update, delivered again); GET messages?chat_id=&sender=bot|user; GET stats.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from aiohttp import web

from bot.base.clock import Clock, SystemClock
from bot.sandbox.faults import FaultConfig, FaultInjector
from bot.sandbox.limits import RateLimiter, RateLimits

log = logging.getLogger(__name__)
MAX_TEXT = 2000
TEXT_EVENT = "message.text.received"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


def zalo_rate_limits(enabled: bool = True) -> RateLimits:
    """The twin's own quota (Zalo publishes none): 10/s overall, 1/s per chat (burst 3), 20/min per group."""
    return RateLimits(enabled=enabled, global_per_second=10.0, global_burst=10, chat_per_second=1.0, chat_burst=3,
                      group_per_minute=20.0, group_burst=10)


@dataclass
class ZaloTwinConfig:
    token: str | None = None  # None: the first token used becomes the bot's
    bot_name: str = "Bot Nhắc việc (sandbox)"
    limits: RateLimits = field(default_factory=zalo_rate_limits)
    faults: FaultConfig = field(default_factory=FaultConfig)
    redeliver_rate: float = 0.0
    seed: int | None = None
    clock: Clock = field(default_factory=SystemClock)
    webhook_retry_delay: float = 0.5
    webhook_envelope: Literal["result", "bare"] = "result"


@dataclass
class TwinMessage:
    message_id: str
    chat_id: str
    sender: str  # "bot" or a user id
    text: str
    date: int
    photo: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class ZaloTwin:
    def __init__(self, config: ZaloTwinConfig | None = None) -> None:
        self.config = config or ZaloTwinConfig()
        self.token = self.config.token
        self.limiter = RateLimiter(self.config.limits)
        self.faults = FaultInjector(self.config.faults)
        self._rng = random.Random(self.config.seed)
        self.users: dict[str, str] = {}
        self.chats: dict[str, dict[str, Any]] = {}  # chat id -> {"type", "name", "members"}
        self.messages: list[TwinMessage] = []
        self.calls: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()  # 429s by method
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.webhook: dict[str, str] | None = None
        self.last_update: dict[str, Any] | None = None
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._pusher: asyncio.Task[None] | None = None
        self.base_url = ""

    # ---- life cycle ------------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._bot)
        app.router.add_post("/zalo-sandbox/users", self._create_user)
        app.router.add_post("/zalo-sandbox/groups", self._create_group)
        app.router.add_post("/zalo-sandbox/send", self._send)
        app.router.add_post("/zalo-sandbox/redeliver", self._redeliver)
        app.router.add_get("/zalo-sandbox/messages", self._messages)
        app.router.add_get("/zalo-sandbox/stats", self._stats)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        bound = sockets[0].getsockname()[1] if sockets else port
        self.base_url = f"http://{host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
            self._pusher = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> ZaloTwin:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def people(self) -> ZaloPeople:
        return ZaloPeople(self.base_url)

    # ---- the people's side (also callable in-process) ----------------------------------------------------

    def create_user(self, name: str) -> str:
        user_id = f"u{next(self._ids):06d}"
        self.users[user_id] = name
        self.chats[user_id] = {"type": "PRIVATE", "name": name, "members": [user_id]}  # Zalo: chat id = user id
        return user_id

    def create_group(self, name: str, members: list[str]) -> str:
        chat_id = f"g{next(self._ids):06d}"
        self.chats[chat_id] = {"type": "GROUP", "name": name, "members": list(members)}
        return chat_id

    def say(self, user_id: str, text: str, chat_id: str | None = None) -> TwinMessage:
        chat_id = chat_id or user_id
        chat = self.chats.get(chat_id)
        if user_id not in self.users or chat is None or user_id not in chat["members"]:
            raise ValueError("unknown user or chat")
        message = TwinMessage(f"m{next(self._ids):08d}", chat_id, user_id, text, self._now_ms())
        self.messages.append(message)
        update = {"event_name": TEXT_EVENT, "message": {
            "message_id": message.message_id, "date": message.date, "text": text,
            "chat": {"id": chat_id, "chat_type": chat["type"]},
            "from": {"id": user_id, "display_name": self.users[user_id], "is_bot": False}}}
        self._queue(update)
        if self.config.redeliver_rate and self._rng.random() < self.config.redeliver_rate:
            self._queue(update)
        return message

    def redeliver(self) -> bool:
        if self.last_update is None:
            return False
        self.updates.put_nowait(self.last_update)
        return True

    def bot_messages(self, chat_id: str) -> list[TwinMessage]:
        return [m for m in self.messages if m.chat_id == chat_id and m.sender == "bot"]

    def _queue(self, update: dict[str, Any]) -> None:
        self.last_update = update
        self.updates.put_nowait(update)

    def _now_ms(self) -> int:
        return int(self.config.clock.now().timestamp() * 1000)

    # ---- the bot side ------------------------------------------------------------------------------------

    async def _bot(self, request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        if self.token is None:
            self.token = token
        if token != self.token:
            return _error(401, "Unauthorized")
        self.calls[method] += 1
        decision = self.faults.decide(method.lower())
        if decision.delay:
            await asyncio.sleep(decision.delay)
        if decision.outcome == "error":
            return web.Response(status=decision.status, text="Internal Server Error")
        if decision.outcome == "drop":
            _close(request)
            return web.Response(status=500)
        try:
            params = await request.json() if request.can_read_body else {}
        except ValueError:
            params = {}
        params = {**dict(request.query), **(params if isinstance(params, dict) else {})}
        handler = getattr(self, f"_m_{method.lower()}", None)
        response = await handler(params) if handler else _error(404, "Not Found")
        if decision.outcome == "lost_reply":
            _close(request)
        return response

    async def _m_getme(self, params: dict[str, Any]) -> web.Response:
        return _ok({"id": "bot0001", "account_name": "bot.nhacviec", "account_type": "BASIC",
                    "can_join_groups": True, "display_name": self.config.bot_name})

    async def _m_getupdates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return _error(400, "Webhook is active: delete it before using getUpdates")
        timeout = min(60.0, float(params.get("timeout") or 0))
        try:
            update = await asyncio.wait_for(self.updates.get(), timeout) if timeout else self.updates.get_nowait()
        except (TimeoutError, asyncio.QueueEmpty):
            return _error(408, "Request timeout")
        return _ok(update)

    async def _m_setwebhook(self, params: dict[str, Any]) -> web.Response:
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url.startswith(("http://", "https://")):
            return _error(400, "url is invalid")
        if not 8 <= len(secret) <= 256:
            return _error(400, "secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret": secret}
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push())
        return _ok({"url": url, "updated_at": self._now_ms()})

    async def _m_deletewebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = None
        if self._pusher is not None:
            self._pusher.cancel()
            self._pusher = None
        return _ok({"url": "", "updated_at": self._now_ms()})

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> web.Response:
        return _ok({"url": self.webhook["url"] if self.webhook else "", "updated_at": self._now_ms()})

    async def _m_sendchataction(self, params: dict[str, Any]) -> web.Response:
        if str(params.get("chat_id")) not in self.chats:
            return _error(400, "chat not found")
        return web.json_response({"ok": True})  # the documentation's answer: no result

    async def _m_sendmessage(self, params: dict[str, Any]) -> web.Response:
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            return _error(400, f"text must be 1-{MAX_TEXT} characters")
        return self._deliver(params, text=text)

    async def _m_sendphoto(self, params: dict[str, Any]) -> web.Response:
        photo = params.get("photo")
        if not isinstance(photo, str) or not photo.startswith(("http://", "https://")):
            return _error(400, "photo must be a URL")
        return self._deliver(params, text=str(params.get("caption") or ""), photo=photo)

    async def _m_sendsticker(self, params: dict[str, Any]) -> web.Response:
        return self._deliver(params, text=f"[sticker {params.get('sticker')}]")

    def _deliver(self, params: dict[str, Any], *, text: str, photo: str | None = None) -> web.Response:
        chat_id = str(params.get("chat_id") or "")
        chat = self.chats.get(chat_id)
        if chat is None:
            return _error(400, "chat not found")
        wait = self.limiter.acquire(chat_id, is_group=chat["type"] == "GROUP")  # type: ignore[arg-type]
        if wait is not None:
            self.refused["send"] += 1
            return _error(429, "Quota exceeded")
        message = TwinMessage(f"b{next(self._ids):08d}", chat_id, "bot", text, self._now_ms(), photo)
        self.messages.append(message)
        return _ok({"message_id": message.message_id, "date": message.date})

    async def _push(self) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            while self.webhook is not None:
                update = await self.updates.get()
                body = update if self.config.webhook_envelope == "bare" else {"ok": True, "result": update}
                while self.webhook is not None:
                    try:
                        answer = await client.post(self.webhook["url"], json=body,
                                                   headers={SECRET_HEADER: self.webhook["secret"]})
                        if answer.is_success:
                            break
                    except httpx.HTTPError:
                        pass
                    self.calls["webhook_retry"] += 1
                    await asyncio.sleep(self.config.webhook_retry_delay)

    # ---- people's HTTP side ------------------------------------------------------------------------------

    async def _create_user(self, request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"id": self.create_user(str(body.get("name") or "Người dùng"))})

    async def _create_group(self, request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"chat_id": self.create_group(str(body.get("name") or "Nhóm"),
                                                               [str(m) for m in body.get("members") or []])})

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            message = self.say(str(body.get("user_id")), str(body.get("text") or ""), body.get("chat_id"))
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response(message.to_json())

    async def _redeliver(self, request: web.Request) -> web.Response:
        return web.json_response({"redelivered": self.redeliver()})

    async def _messages(self, request: web.Request) -> web.Response:
        chat_id, sender = request.query.get("chat_id"), request.query.get("sender")
        found = [m.to_json() for m in self.messages if (chat_id is None or m.chat_id == chat_id)
                 and (sender is None or (m.sender == "bot") == (sender == "bot"))]
        return web.json_response(found)

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({"calls": dict(self.calls), "refused": dict(self.refused),
                                  "messages": len(self.messages), "queued": self.updates.qsize()})


class ZaloPeople:
    """The people's side over HTTP, for tests and the demo."""

    def __init__(self, base_url: str) -> None:
        self._http = httpx.AsyncClient(base_url=base_url + "/zalo-sandbox", timeout=10)

    async def __aenter__(self) -> ZaloPeople:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()

    async def create_user(self, name: str) -> str:
        return str((await self._http.post("/users", json={"name": name})).json()["id"])

    async def create_group(self, name: str, members: list[str]) -> str:
        return str((await self._http.post("/groups", json={"name": name, "members": members})).json()["chat_id"])

    async def say(self, user_id: str, text: str, chat_id: str | None = None) -> dict[str, Any]:
        answer = await self._http.post("/send", json={"user_id": user_id, "text": text, "chat_id": chat_id})
        answer.raise_for_status()
        return dict(answer.json())

    async def redeliver(self) -> bool:
        return bool((await self._http.post("/redeliver", json={})).json()["redelivered"])

    async def messages(self, chat_id: str, *, sender: str = "bot") -> list[dict[str, Any]]:
        return list((await self._http.get("/messages", params={"chat_id": chat_id, "sender": sender})).json())

    async def stats(self) -> dict[str, Any]:
        return dict((await self._http.get("/stats")).json())

    async def wait_for(self, chat_id: str, count: int, *, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The bot's messages in `chat_id` once there are at least `count` (TimeoutError otherwise)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = await self.messages(chat_id)
            if len(found) >= count:
                return found
            if loop.time() > deadline:
                raise TimeoutError(f"{len(found)} of {count} bot messages in {chat_id}: "
                                   + json.dumps([m["text"][:80] for m in found], ensure_ascii=False))
            await asyncio.sleep(0.02)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)


def _close(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.close()
