"""The sandbox's HTTP server (aiohttp): the Bot API at /bot<TOKEN>/<method>, files at /file/bot<TOKEN>/<path>,
the people's side at /sandbox/... . Run it in-process with `async with SandboxServer(config) as sandbox:`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.base.clock import Clock, SystemClock
from bot.sandbox.botapi import MAX_UPLOAD, BotApi, loopback_only
from bot.sandbox.errors import NOT_FOUND, UNAUTHORIZED, BotApiError, bad_request, too_many_requests
from bot.sandbox.faults import FaultConfig, FaultInjector
from bot.sandbox.limits import RateLimiter, RateLimits
from bot.sandbox.params import Params, UploadedFile
from bot.sandbox.stats import Stats
from bot.sandbox.user_api import user_routes
from bot.sandbox.webhook import WebhookDeliverer
from bot.sandbox.world import TOKEN_SHAPE, World

if TYPE_CHECKING:
    from bot.sandbox.client import SandboxClient

log = logging.getLogger(__name__)
FAULT_TEXT = {500: "Internal Server Error", 502: "Bad Gateway"}


@dataclass
class SandboxConfig:
    token: str | None = None  # None: the first well-formed token used becomes the bot's
    bot_username: str = "NhacViecSandboxBot"
    bot_first_name: str = "Nhắc việc (sandbox)"
    privacy_mode: bool = True
    limits: RateLimits = field(default_factory=RateLimits)
    faults: FaultConfig = field(default_factory=FaultConfig)
    clock: Clock = field(default_factory=SystemClock)  # message dates
    monotonic: Callable[[], float] = time.monotonic  # the rate limiter's clock
    webhook_retry_delay: float = 1.0
    webhook_host_allowed: Callable[[str], bool] = loopback_only
    max_wait_seconds: float = 30.0  # upper bound of any wait on the people's side
    # methods this server lacks (lower-case names), answered 404 "Not Found" as Telegram answers an unknown method:
    # to try the bot against a Bot API implementation that is older or narrower than Telegram's
    missing_methods: frozenset[str] = frozenset()


class SandboxServer:
    """A fake Telegram Bot API server holding its whole state in memory."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        cfg = self.config
        self.world = World(clock=cfg.clock, bot_username=cfg.bot_username, bot_first_name=cfg.bot_first_name,
                           privacy_mode=cfg.privacy_mode, token=cfg.token)
        self.limiter = RateLimiter(cfg.limits, cfg.monotonic)
        self.faults = FaultInjector(cfg.faults)
        self.stats = Stats()
        self.api = BotApi(self.world, self.limiter, webhook_host_allowed=cfg.webhook_host_allowed)
        self.webhooks = WebhookDeliverer(self.world, self.stats, retry_delay=cfg.webhook_retry_delay)
        self.app = self._build_app()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # ---- life cycle -------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on host:port (0 = any free port); returns the base URL, e.g. http://127.0.0.1:8081."""
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        bound_port = sockets[0].getsockname()[1] if sockets else port
        shown_host = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown_host}:{bound_port}"
        self.webhooks.start()
        return self.base_url

    async def stop(self) -> None:
        await self.webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def bot_api_url(self) -> str:
        """python-telegram-bot's `base_url` (the token is appended to it)."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """python-telegram-bot's `base_file_url`."""
        return f"{self.base_url}/file/bot"

    def client(self) -> SandboxClient:
        from bot.sandbox.client import SandboxClient

        return SandboxClient(self.base_url)

    def configure(self, *, limits: RateLimits | None = None, faults: FaultConfig | None = None) -> None:
        if limits is not None:
            self.limiter.configure(limits)
        if faults is not None:
            self.faults.configure(faults)

    # ---- HTTP -----------------------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._bot_endpoint)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file_endpoint)
        app.router.add_routes(user_routes(self))
        return app

    def _check_token(self, token: str) -> BotApiError | None:
        if not TOKEN_SHAPE.match(token):
            return NOT_FOUND
        if self.world.token is None:
            self.world.claim_token(token)
        return None if token == self.world.token else UNAUTHORIZED

    async def _bot_endpoint(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        refused = self._check_token(request.match_info["token"])
        if refused is not None:
            return _answer(refused.to_json(), refused.code)
        if method.lower() in self.config.missing_methods:
            self.stats.record_call(method, NOT_FOUND.code)
            return _answer(NOT_FOUND.to_json(), NOT_FOUND.code)
        decision = self.faults.decide(method.lower())
        if decision.delay:
            self.stats.faults["delay"] += 1
            await asyncio.sleep(decision.delay)
        if decision.outcome == "error":
            self.stats.faults[f"error_{decision.status}"] += 1
            self.stats.record_call(method, decision.status)
            return _answer(BotApiError(decision.status, FAULT_TEXT[decision.status]).to_json(), decision.status)
        if decision.outcome == "drop":
            self.stats.faults["drop"] += 1
            return _drop(request)
        if decision.outcome == "rate_limited":
            self.stats.faults["rate_limited"] += 1
            self.stats.record_call(method, 429)
            limited = too_many_requests(self.faults.config.retry_after)
            return _answer(limited.to_json(), limited.code)
        try:
            result = await self.api.call(method, await read_params(request))
            body, status = {"ok": True, "result": result}, 200
        except BotApiError as error:
            body, status = error.to_json(), error.code
        except Exception:
            log.exception("sandbox: %s failed", method)
            body, status = BotApiError(500, "Internal Server Error").to_json(), 500
        self.stats.record_call(method, status)
        if decision.outcome == "lost_reply":
            self.stats.faults["lost_reply"] += 1
            return _drop(request)
        return _answer(body, status)

    async def _file_endpoint(self, request: web.Request) -> web.StreamResponse:
        refused = self._check_token(request.match_info["token"])
        if refused is not None:
            return _answer(refused.to_json(), refused.code)
        stored = self.world.files_by_path.get(request.match_info["path"])
        if stored is None:
            return _answer(NOT_FOUND.to_json(), 404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")


def _answer(body: dict[str, Any], status: int) -> web.Response:
    return web.Response(text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without answering (the client sees a reset or an empty reply)."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise asyncio.CancelledError


async def read_params(request: web.Request) -> Params:
    """Query string + body (JSON, urlencoded form or multipart), as Telegram accepts them."""
    values: dict[str, Any] = {key: request.query.getone(key) for key in request.query}
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return Params(values)
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON encoded request")
        values.update(body)
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        values.update({key: form.getone(key) for key in form})
    elif content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                files[part.name] = UploadedFile(part.filename, part.headers.get("Content-Type"),
                                                await _read_limited(part))
            else:
                values[part.name] = await part.text()
    return Params(values, files)


async def _read_limited(part: BodyPartReader) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(256 * 1024):
        size += len(chunk)
        if size > MAX_UPLOAD:
            raise BotApiError(413, "Request Entity Too Large")
        chunks.append(chunk)
    return b"".join(chunks)
