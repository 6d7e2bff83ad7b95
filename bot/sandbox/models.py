"""The sandbox's in-memory records and their Bot API JSON shapes (https://core.telegram.org/bots/api#available-types)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class Message:
    message_id: int
    chat_id: int
    sender: User
    date: int
    text: str | None = None
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    parse_mode: str | None = None
    document: JSON | None = None
    photo: list[JSON] | None = None
    reply_to: int | None = None
    reply_markup: JSON | None = None
    link_preview_options: JSON | None = None
    disable_notification: bool = False
    edit_date: int | None = None
    history: list[str] = field(default_factory=list)  # earlier texts (or captions), oldest first
    deleted: bool = False
    service: JSON | None = None  # new_chat_members, left_chat_member, group_chat_created, ...

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        return (self.reply_markup or {}).get("inline_keyboard") or []


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the person of a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> creator | administrator | member
    bot_status: str = "member"  # member | administrator | left | kicked
    blocked: bool = False  # private chat: the person blocked the bot
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1
    actions: list[str] = field(default_factory=list)  # sendChatAction calls, in order
    migrated_to: int | None = None  # a group upgraded to this supergroup: the Bot API refuses the old id

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or ""
            if self.username:
                data["username"] = self.username
        return data

    def new_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None

    def document_json(self) -> JSON:
        data: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.data)}
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data

    def photo_json(self) -> list[JSON]:
        return [{"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.data),
                 "width": self.width or 0, "height": self.height or 0}]

    def file_json(self) -> JSON:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.data),
                "file_path": self.file_path}


@dataclass
class CallbackQuery:
    id: str
    user: User
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: JSON | None = None  # text, show_alert, url, cache_time as the bot sent them

    def to_view(self) -> JSON:
        return {"id": self.id, "user_id": self.user.id, "chat_id": self.chat_id, "message_id": self.message_id,
                "data": self.data, "answered": self.answered, "answer": self.answer}


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


class Signal:
    """Wakes every waiter on `notify()`; `wait_for` re-checks a condition until it holds or time is up."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True
