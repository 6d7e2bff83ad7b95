"""An async client for the sandbox's people's side (/sandbox/...), for tests, the demo and benchmarks.

    async with SandboxClient("http://127.0.0.1:8081") as people:
        lan = await people.create_user("Lan", username="lan_vp")
        await people.start(lan, "INVITE42")                 # t.me/Bot?start=INVITE42
        [welcome] = await people.wait_for_messages(lan.id, 1)
        await people.press_button(lan.id, welcome, lan, data="confirm")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

_DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class SandboxError(Exception):
    """The sandbox refused a people's-side request (the message says why, in Vietnamese)."""


class SandboxTimeout(SandboxError, TimeoutError):
    """What was awaited did not happen within the timeout."""


class _HasId(Protocol):
    id: int


Ref = int | _HasId


def _id(ref: Ref) -> int:
    return ref if isinstance(ref, int) else ref.id


@dataclass(frozen=True)
class SandboxUser:
    id: int
    first_name: str
    username: str | None = None


@dataclass(frozen=True)
class SandboxChat:
    id: int
    type: str
    title: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """A message as the people in the chat see it (edits applied, deletion flagged)."""

    message_id: int
    chat_id: int
    from_bot: bool
    sender_id: int
    text: str | None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edited: bool = False
    deleted: bool = False
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    history: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> int:
        return self.message_id

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline buttons, row by row flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @classmethod
    def from_view(cls, view: dict[str, Any]) -> ChatMessage:
        return cls(message_id=view["message_id"], chat_id=view["chat_id"], from_bot=view["from_bot"],
                   sender_id=view["sender_id"], text=view.get("text"), caption=view.get("caption"),
                   reply_markup=view.get("reply_markup"), reply_to_message_id=view.get("reply_to_message_id"),
                   edited=view.get("edited", False), deleted=view.get("deleted", False),
                   document=view.get("document"), photo=view.get("photo"), history=view.get("history") or [],
                   raw=view)


class SandboxClient:
    def __init__(self, base_url: str, *, http: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = http or httpx.AsyncClient(base_url=self.base_url, timeout=httpx.Timeout(10.0))
        self._own_http = http is None
        self._bot_username: str | None = None

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def _call(self, verb: str, path: str, *, timeout: float = 0.0, **kwargs: Any) -> Any:
        response = await self._http.request(verb, f"{self.base_url}{path}",
                                            timeout=httpx.Timeout(10.0 + timeout), **kwargs)
        try:
            body = response.json()
        except ValueError:
            raise SandboxError(f"HTTP {response.status_code}: {response.text[:200]}") from None
        if not body.get("ok"):
            raise SandboxError(body.get("description") or f"HTTP {response.status_code}")
        return body["result"]

    # ---- the world ---------------------------------------------------------------------------------

    async def state(self) -> dict[str, Any]:
        return await self._call("GET", "/sandbox/state")

    async def bot_username(self) -> str:
        if self._bot_username is None:
            self._bot_username = (await self.state())["bot"]["username"]
        return self._bot_username

    async def stats(self) -> dict[str, Any]:
        return await self._call("GET", "/sandbox/stats")

    async def reset_stats(self) -> None:
        await self._call("POST", "/sandbox/stats/reset")

    async def configure(self, *, limits: dict[str, Any] | None = None, faults: dict[str, Any] | None = None,
                        privacy_mode: bool | None = None) -> dict[str, Any]:
        """Change limits/faults at run time (only the keys given), e.g. faults={"error_rate": 0.2, "seed": 1}."""
        body: dict[str, Any] = {}
        if limits is not None:
            body["limits"] = limits
        if faults is not None:
            body["faults"] = faults
        if privacy_mode is not None:
            body["privacy_mode"] = privacy_mode
        return await self._call("POST", "/sandbox/config", json=body)

    async def create_user(self, first_name: str, *, last_name: str | None = None, username: str | None = None,
                          language_code: str | None = "vi", user_id: int | None = None) -> SandboxUser:
        data = await self._call("POST", "/sandbox/users", json={
            "first_name": first_name, "last_name": last_name, "username": username,
            "language_code": language_code, "id": user_id})
        return SandboxUser(data["id"], data["first_name"], data.get("username"))

    async def private_chat(self, user: Ref) -> SandboxChat:
        data = await self._call("POST", "/sandbox/chats", json={"type": "private", "user_id": _id(user)})
        return SandboxChat(data["id"], data["type"], None)

    async def create_group(self, title: str, *, creator: Ref, members: list[Ref] | tuple[Ref, ...] = (),
                           supergroup: bool = False, username: str | None = None, with_bot: bool = True,
                           bot_admin: bool = False) -> SandboxChat:
        data = await self._call("POST", "/sandbox/chats", json={
            "type": "supergroup" if supergroup else "group", "title": title, "creator_id": _id(creator),
            "member_ids": [_id(m) for m in members], "username": username, "with_bot": with_bot,
            "bot_admin": bot_admin})
        return SandboxChat(data["id"], data["type"], data.get("title"))

    async def chat_info(self, chat: Ref) -> dict[str, Any]:
        return await self._call("GET", f"/sandbox/chats/{_id(chat)}")

    async def add_member(self, chat: Ref, user: Ref, *, by: Ref | None = None) -> None:
        await self._call("POST", f"/sandbox/chats/{_id(chat)}/members",
                         json={"user_id": _id(user), "by_user_id": _id(by) if by is not None else None})

    async def remove_member(self, chat: Ref, user: Ref, *, by: Ref | None = None) -> None:
        await self._call("DELETE", f"/sandbox/chats/{_id(chat)}/members/{_id(user)}",
                         json={"by_user_id": _id(by) if by is not None else None})

    async def set_bot_status(self, chat: Ref, *, by: Ref, status: str) -> None:
        await self._call("POST", f"/sandbox/chats/{_id(chat)}/bot", json={"by_user_id": _id(by), "status": status})

    async def block_bot(self, user: Ref) -> None:
        await self.set_bot_status(_id(user), by=user, status="kicked")

    async def unblock_bot(self, user: Ref) -> None:
        await self.set_bot_status(_id(user), by=user, status="member")

    async def remove_bot(self, chat: Ref, *, by: Ref) -> None:
        await self.set_bot_status(chat, by=by, status="kicked")

    async def add_bot(self, chat: Ref, *, by: Ref, admin: bool = False) -> None:
        await self.set_bot_status(chat, by=by, status="administrator" if admin else "member")

    # ---- acting -----------------------------------------------------------------------------------

    async def send_text(self, chat: Ref, user: Ref, text: str, *, reply_to: Ref | None = None) -> ChatMessage:
        view = await self._call("POST", f"/sandbox/chats/{_id(chat)}/messages", json={
            "user_id": _id(user), "text": text, "reply_to_message_id": _id(reply_to) if reply_to else None})
        return ChatMessage.from_view(view)

    async def reply(self, chat: Ref, user: Ref, to: Ref, text: str) -> ChatMessage:
        return await self.send_text(chat, user, text, reply_to=to)

    async def send_command(self, chat: Ref, user: Ref, command: str, payload: str | None = None, *,
                           mention_bot: bool = False) -> ChatMessage:
        head = "/" + command.lstrip("/")
        if mention_bot:
            head += "@" + await self.bot_username()
        return await self.send_text(chat, user, f"{head} {payload}" if payload else head)

    async def start(self, user: Ref, payload: str | None = None) -> ChatMessage:
        """What the app sends after opening t.me/<bot>?start=<payload>: "/start <payload>" in the private chat.

        Telegram allows payloads of 1-64 characters A-Z a-z 0-9 _ - only; others are refused here.
        """
        if payload is not None and not _DEEP_LINK.match(payload):
            raise SandboxError(f"payload deep link không hợp lệ: {payload!r} (1-64 ký tự A-Z a-z 0-9 _ -)")
        await self.private_chat(user)
        return await self.send_command(_id(user), user, "start", payload)

    async def start_in_group(self, chat: Ref, user: Ref, payload: str | None = None) -> ChatMessage:
        """"/start@BotName <payload>" typed in a group."""
        return await self.send_command(chat, user, "start", payload, mention_bot=True)

    async def edit_text(self, chat: Ref, user: Ref, message: Ref, text: str) -> ChatMessage:
        view = await self._call("POST", f"/sandbox/chats/{_id(chat)}/messages/{_id(message)}/edit",
                                json={"user_id": _id(user), "text": text})
        return ChatMessage.from_view(view)

    async def send_document(self, chat: Ref, user: Ref, file_name: str, content: bytes, *,
                            mime_type: str | None = None, caption: str | None = None) -> ChatMessage:
        data = {"user_id": str(_id(user))}
        if caption:
            data["caption"] = caption
        if mime_type:
            data["mime_type"] = mime_type
        files = {"document": (file_name, content, mime_type or "application/octet-stream")}
        view = await self._call("POST", f"/sandbox/chats/{_id(chat)}/documents", data=data, files=files)
        return ChatMessage.from_view(view)

    async def press_button(self, chat: Ref, message: Ref, user: Ref, *, data: str | None = None,
                           text: str | None = None) -> dict[str, Any]:
        """Press the inline button with this callback_data (or label); returns the callback query's view."""
        return await self._call("POST", f"/sandbox/chats/{_id(chat)}/messages/{_id(message)}/press",
                                json={"user_id": _id(user), "data": data, "text": text})

    async def callback_answer(self, query_id: str, *, timeout: float = 2.0) -> dict[str, Any]:
        """The bot's answerCallbackQuery for this press; raises SandboxTimeout if it did not answer in time."""
        view = await self._call("GET", f"/sandbox/callbacks/{query_id}", params={"timeout": timeout},
                                timeout=timeout)
        if not view["answered"]:
            raise SandboxTimeout(f"bot chưa trả lời callback {query_id} sau {timeout} giây")
        return view

    # ---- reading ----------------------------------------------------------------------------------------

    async def messages(self, chat: Ref, *, sender: str = "all", include_deleted: bool = True) -> list[ChatMessage]:
        """Messages of the chat in order; sender is "all", "bot" or "user"."""
        result = await self._call("GET", f"/sandbox/chats/{_id(chat)}/messages",
                                  params={"from": sender, "include_deleted": int(include_deleted)})
        return [ChatMessage.from_view(v) for v in result["messages"]]

    async def wait_for_messages(self, chat: Ref, count: int, *, sender: str = "bot",
                                timeout: float = 2.0) -> list[ChatMessage]:
        """Wait until the chat holds at least `count` messages from `sender`; returns them all (deleted included)."""
        result = await self._call("GET", f"/sandbox/chats/{_id(chat)}/messages",
                                  params={"from": sender, "count": count, "timeout": timeout}, timeout=timeout)
        messages = [ChatMessage.from_view(v) for v in result["messages"]]
        if not result["complete"]:
            raise SandboxTimeout(f"chat {_id(chat)}: có {len(messages)}/{count} tin nhắn sau {timeout} giây")
        return messages

    async def download(self, file_id: str) -> bytes:
        response = await self._http.get(f"{self.base_url}/sandbox/files/{file_id}")
        if response.status_code != 200:
            raise SandboxError(f"không tải được tệp {file_id} (HTTP {response.status_code})")
        return response.content
