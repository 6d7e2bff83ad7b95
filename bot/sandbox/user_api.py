"""The people's side over HTTP, under /sandbox/: make users and chats, write, press buttons, read chats.

Every answer is JSON. Problems answer 4xx with {"ok": false, "description": "..."} (Vietnamese).
Waits (`count`/`timeout` on message lists, `timeout` on callbacks) are bounded by `max_wait_seconds`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.sandbox.errors import SandboxUserError
from bot.sandbox.media import guess_mime
from bot.sandbox.world import describe_world

if TYPE_CHECKING:
    from bot.sandbox.server import SandboxServer

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response({"ok": True, "result": data}, status=status, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _guarded(handler: Route) -> Route:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except SandboxUserError as error:
            return web.json_response({"ok": False, "description": str(error)}, status=error.status, dumps=_dumps)
        except (ValueError, TypeError, KeyError) as error:
            return web.json_response({"ok": False, "description": f"Yêu cầu không hợp lệ: {error}"}, status=400,
                                     dumps=_dumps)

    return wrapped


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise SandboxUserError("Thân yêu cầu phải là JSON.") from None
    if not isinstance(body, dict):
        raise SandboxUserError("Thân yêu cầu phải là một đối tượng JSON.")
    return body


def _int(value: Any, name: str) -> int:
    if value is None or isinstance(value, bool):
        raise SandboxUserError(f"Thiếu hoặc sai {name}.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SandboxUserError(f"Thiếu hoặc sai {name}.") from None


def _opt_int(value: Any, name: str) -> int | None:
    return None if value is None else _int(value, name)


def _seconds(request: web.Request, limit: float) -> float:
    try:
        return min(limit, max(0.0, float(request.query.get("timeout", "0"))))
    except ValueError:
        raise SandboxUserError("timeout phải là số giây.") from None


def _merge(current: Any, changes: dict[str, Any]) -> Any:
    known = {f.name for f in fields(current)}
    unknown = set(changes) - known
    if unknown:
        raise SandboxUserError(f"Không biết tuỳ chọn: {', '.join(sorted(unknown))}.")
    if "methods" in changes and changes["methods"] is not None:
        changes = {**changes, "methods": frozenset(m.lower() for m in changes["methods"])}
    return replace(current, **changes)


def user_routes(server: SandboxServer) -> list[web.RouteDef]:
    world = server.world
    max_wait = server.config.max_wait_seconds

    async def state(request: web.Request) -> web.StreamResponse:
        return _ok(describe_world(world))

    async def stats(request: web.Request) -> web.StreamResponse:
        return _ok(server.stats.to_json())

    async def reset_stats(request: web.Request) -> web.StreamResponse:
        server.stats.reset()
        return _ok(True)

    async def config(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        try:
            limits = _merge(server.limiter.limits, body["limits"]) if "limits" in body else None
            faults = _merge(server.faults.config, body["faults"]) if "faults" in body else None
        except ValueError as error:
            raise SandboxUserError(f"Cấu hình không hợp lệ: {error}") from None
        server.configure(limits=limits, faults=faults)
        if "privacy_mode" in body:
            world.privacy_mode = bool(body["privacy_mode"])
        return _ok({"limits": server.limiter.limits.to_json(), "faults": server.faults.config.to_json(),
                    "privacy_mode": world.privacy_mode})

    async def create_user(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        user = world.add_user(str(body.get("first_name", "")), last_name=body.get("last_name"),
                              username=body.get("username"), language_code=body.get("language_code", "vi"),
                              user_id=_opt_int(body.get("id"), "id"))
        return _ok(user.to_api(), 201)

    async def create_chat(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        kind = body.get("type", "private")
        if kind == "private":
            chat = world.private_chat(_int(body.get("user_id"), "user_id"))
        elif kind in ("group", "supergroup"):
            chat = world.create_group(
                str(body.get("title", "")), creator_id=_int(body.get("creator_id"), "creator_id"),
                member_ids=[_int(m, "member_ids") for m in body.get("member_ids", [])],
                supergroup=kind == "supergroup", username=body.get("username"),
                with_bot=bool(body.get("with_bot", True)), bot_admin=bool(body.get("bot_admin", False)))
        else:
            raise SandboxUserError("type phải là private, group hoặc supergroup.")
        return _ok(chat.to_api(), 201)

    def chat_of(request: web.Request) -> int:
        return _int(request.match_info["chat_id"], "chat_id")

    async def get_chat(request: web.Request) -> web.StreamResponse:
        chat = world.chat(chat_of(request))
        return _ok({**chat.to_api(), "bot_status": chat.bot_status, "blocked": chat.blocked,
                    "members": {str(k): v for k, v in chat.members.items()}, "actions": chat.actions})

    async def add_member(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        message = world.add_member(chat_of(request), _int(body.get("user_id"), "user_id"),
                                   by_user_id=_opt_int(body.get("by_user_id"), "by_user_id"))
        return _ok(world.message_view(message))

    async def remove_member(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        message = world.remove_member(chat_of(request), _int(request.match_info["user_id"], "user_id"),
                                      by_user_id=_opt_int(body.get("by_user_id"), "by_user_id"))
        return _ok(world.message_view(message))

    async def bot_status(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        world.set_bot_status(chat_of(request), by_user_id=_int(body.get("by_user_id"), "by_user_id"),
                             status=str(body.get("status", "")))
        return _ok(True)

    async def send_message(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        message = world.user_message(chat_of(request), _int(body.get("user_id"), "user_id"),
                                     str(body.get("text", "")),
                                     reply_to=_opt_int(body.get("reply_to_message_id"), "reply_to_message_id"))
        return _ok(world.message_view(message), 201)

    async def send_document(request: web.Request) -> web.StreamResponse:
        fields_: dict[str, Any] = {}
        data: bytes | None = None
        declared: str | None = None
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                if part.filename is not None:
                    fields_.setdefault("file_name", part.filename)
                    declared = part.headers.get("Content-Type")
                    data = bytes(await part.read())
                else:
                    fields_[part.name or ""] = await part.text()
        else:
            fields_ = await _body(request)
            try:
                data = base64.b64decode(str(fields_.get("content_base64", "")), validate=True)
            except binascii.Error:
                raise SandboxUserError("content_base64 không phải base64.") from None
        file_name = str(fields_.get("file_name") or "document")
        message = world.user_document(chat_of(request), _int(fields_.get("user_id"), "user_id"), file_name=file_name,
                                      data=data or b"",
                                      mime_type=fields_.get("mime_type") or guess_mime(file_name, declared),
                                      caption=fields_.get("caption"))
        return _ok(world.message_view(message), 201)

    async def edit_message(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        message = world.edit_user_message(chat_of(request), _int(body.get("user_id"), "user_id"),
                                          _int(request.match_info["message_id"], "message_id"),
                                          str(body.get("text", "")))
        return _ok(world.message_view(message))

    async def press(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        if body.get("data") is None and body.get("text") is None:
            raise SandboxUserError("Cần data (callback_data) hoặc text (nhãn nút).")
        query = world.press_button(chat_of(request), _int(request.match_info["message_id"], "message_id"),
                                   _int(body.get("user_id"), "user_id"), data=body.get("data"),
                                   text=body.get("text"))
        return _ok(query.to_view(), 201)

    async def list_messages(request: web.Request) -> web.StreamResponse:
        chat_id = chat_of(request)
        world.chat(chat_id)
        sender = request.query.get("from", "all")
        if sender not in ("all", "bot", "user"):
            raise SandboxUserError("from phải là all, bot hoặc user.")
        from_bot = None if sender == "all" else sender == "bot"
        count = _int(request.query.get("count", "0"), "count")
        include_deleted = request.query.get("include_deleted", "1") not in ("0", "false")
        complete = await world.changed.wait_for(
            lambda: len(world.messages(chat_id, from_bot=from_bot)) >= count, _seconds(request, max_wait))
        messages = world.messages(chat_id, from_bot=from_bot, include_deleted=include_deleted)
        return _ok({"messages": [world.message_view(m) for m in messages], "complete": complete})

    async def get_callback(request: web.Request) -> web.StreamResponse:
        query = world.callbacks.get(request.match_info["query_id"])
        if query is None:
            raise SandboxUserError("Không có callback query này.", status=404)
        await world.changed.wait_for(lambda: query.answered, _seconds(request, max_wait))
        return _ok(query.to_view())

    async def get_file(request: web.Request) -> web.StreamResponse:
        stored = world.files.get(request.match_info["file_id"])
        if stored is None:
            raise SandboxUserError("Không có tệp này.", status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    routes: list[tuple[str, str, Route]] = [
        ("GET", "/sandbox/state", state),
        ("GET", "/sandbox/stats", stats),
        ("POST", "/sandbox/stats/reset", reset_stats),
        ("POST", "/sandbox/config", config),
        ("POST", "/sandbox/users", create_user),
        ("POST", "/sandbox/chats", create_chat),
        ("GET", "/sandbox/chats/{chat_id}", get_chat),
        ("POST", "/sandbox/chats/{chat_id}/members", add_member),
        ("DELETE", "/sandbox/chats/{chat_id}/members/{user_id}", remove_member),
        ("POST", "/sandbox/chats/{chat_id}/bot", bot_status),
        ("POST", "/sandbox/chats/{chat_id}/messages", send_message),
        ("GET", "/sandbox/chats/{chat_id}/messages", list_messages),
        ("POST", "/sandbox/chats/{chat_id}/documents", send_document),
        ("POST", "/sandbox/chats/{chat_id}/messages/{message_id}/edit", edit_message),
        ("POST", "/sandbox/chats/{chat_id}/messages/{message_id}/press", press),
        ("GET", "/sandbox/callbacks/{query_id}", get_callback),
        ("GET", "/sandbox/files/{file_id}", get_file),
    ]
    return [web.route(verb, path, _guarded(handler)) for verb, path, handler in routes]

