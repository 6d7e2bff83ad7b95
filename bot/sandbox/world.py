"""Everything the sandbox knows: the bot, people, chats, messages, files and the update queue.

Only the event loop's thread touches a World, so it needs no locks. Bot-side methods live in
`botapi.py`; the people's side (what a user does in the Telegram app) lives here.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.base.clock import Clock, SystemClock
from bot.sandbox.errors import SandboxUserError
from bot.sandbox.markup import command_of, detect_entities
from bot.sandbox.models import JSON, CallbackQuery, Chat, Message, Signal, StoredFile, User, Webhook

TOKEN_SHAPE = re.compile(r"^(\d+):[A-Za-z0-9_-]{20,}$")
DEFAULT_UPDATES = ("message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
                   "my_chat_member", "inline_query", "chosen_inline_result", "shipping_query",
                   "pre_checkout_query", "poll", "poll_answer", "chat_join_request")
FIRST_USER_ID = 700_000_001
FIRST_GROUP_ID = -4_700_000_001
FIRST_SUPERGROUP_ID = -1_002_700_000_001


@dataclass
class World:
    clock: Clock = field(default_factory=SystemClock)
    bot_username: str = "NhacViecSandboxBot"
    bot_first_name: str = "Nhắc việc (sandbox)"
    privacy_mode: bool = True  # in groups the bot sees commands, replies to it, mentions, service messages
    token: str | None = None  # the one token this server answers to; the first one used when unset
    max_update_queue: int = 10_000

    def __post_init__(self) -> None:
        self.bot = User(id=0, first_name=self.bot_first_name, username=self.bot_username, is_bot=True)
        if self.token is not None:
            self.claim_token(self.token)
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.updates: deque[JSON] = deque()
        self.allowed_updates: list[str] | None = None
        self.webhook: Webhook | None = None
        self.changed = Signal()
        self._update_ids = itertools.count(100_000_001)
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._group_ids = itertools.count(0)
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_numbers = itertools.count(1)

    # ---- identity -------------------------------------------------------------------------------

    def claim_token(self, token: str) -> None:
        match = TOKEN_SHAPE.match(token)
        if match is None:
            raise ValueError("a bot token looks like 123456789:ABCdef... (at least 20 characters after the colon)")
        self.token = token
        self.bot.id = int(match.group(1))

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    # ---- lookups --------------------------------------------------------------------------------

    def user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise SandboxUserError(f"Không có người dùng {user_id}.", status=404)
        return user

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise SandboxUserError(f"Không có cuộc trò chuyện {chat_id}.", status=404)
        return chat

    def message(self, chat: Chat, message_id: int) -> Message:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise SandboxUserError(f"Không có tin nhắn {message_id} trong cuộc trò chuyện {chat.id}.", status=404)
        return message

    def find_chat(self, ref: int | str) -> Chat | None:
        """By id, or by "@username" for public groups."""
        if isinstance(ref, str):
            name = ref.removeprefix("@").lower()
            return next((c for c in self.chats.values() if c.username and c.username.lower() == name), None)
        return self.chats.get(ref)

    # ---- JSON shapes ------------------------------------------------------------------------------

    def message_json(self, message: Message, *, with_reply: bool = True) -> JSON:
        chat = self.chats[message.chat_id]
        data: JSON = {"message_id": message.message_id, "from": message.sender.to_api(), "chat": chat.to_api(),
                      "date": message.date}
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.document is not None:
            data["document"] = message.document
        if message.photo is not None:
            data["photo"] = message.photo
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if with_reply and message.reply_to is not None:
            target = chat.messages.get(message.reply_to)
            if target is not None and not target.deleted:
                data["reply_to_message"] = self.message_json(target, with_reply=False)
        if message.inline_keyboard:
            data["reply_markup"] = {"inline_keyboard": message.inline_keyboard}
        if message.link_preview_options:
            data["link_preview_options"] = message.link_preview_options
        if message.service:
            data.update(message.service)
        return data

    def message_view(self, message: Message) -> JSON:
        """What a person sees of a message in the chat (for the user-side API)."""
        return {
            "message_id": message.message_id, "chat_id": message.chat_id, "from_bot": message.from_bot,
            "sender_id": message.sender.id, "date": message.date, "text": message.text,
            "entities": message.entities, "caption": message.caption, "parse_mode": message.parse_mode,
            "reply_markup": message.reply_markup, "reply_to_message_id": message.reply_to,
            "edited": message.edit_date is not None, "edit_date": message.edit_date, "history": message.history,
            "deleted": message.deleted, "document": message.document, "photo": message.photo,
            "service": message.service, "disable_notification": message.disable_notification,
        }

    # ---- updates --------------------------------------------------------------------------------

    def emit(self, kind: str, payload: JSON) -> None:
        """Queue an update of `kind` unless the bot's allowed_updates leaves it out."""
        allowed = self.allowed_updates or DEFAULT_UPDATES
        if kind in allowed:
            self.updates.append({"update_id": next(self._update_ids), kind: payload})
            while len(self.updates) > self.max_update_queue:
                self.updates.popleft()
        self.changed.notify()

    def confirm_updates(self, offset: int) -> None:
        """getUpdates' offset: forget every update with a smaller id (a negative offset keeps the last -offset)."""
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def drop_pending_updates(self) -> None:
        self.updates.clear()

    # ---- files ----------------------------------------------------------------------------------

    def store_file(self, data: bytes, *, kind: str, file_name: str | None, mime_type: str | None,
                   width: int | None = None, height: int | None = None) -> StoredFile:
        number = next(self._file_numbers)
        prefix = "AgAC" if kind == "photos" else "BQAC"
        extension = ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1][:8]
        elif kind == "photos":
            extension = ".jpg"
        stored = StoredFile(file_id=f"{prefix}{secrets.token_urlsafe(24)}", file_unique_id=f"AQAD{number:08d}",
                            data=data, file_path=f"{kind}/file_{number}{extension}", file_name=file_name,
                            mime_type=mime_type, width=width, height=height)
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # ---- the people's side ------------------------------------------------------------------------

    def add_user(self, first_name: str, *, last_name: str | None = None, username: str | None = None,
                 language_code: str | None = "vi", user_id: int | None = None) -> User:
        if not first_name.strip():
            raise SandboxUserError("Người dùng cần có tên (first_name).")
        user_id = user_id if user_id is not None else next(self._user_ids)
        if user_id <= 0 or user_id in self.users:
            raise SandboxUserError(f"Mã người dùng {user_id} không hợp lệ hoặc đã có.")
        user = User(id=user_id, first_name=first_name, last_name=last_name, username=username,
                    language_code=language_code)
        self.users[user_id] = user
        return user

    def private_chat(self, user_id: int) -> Chat:
        """The person's chat with the bot (its id is the person's id, as in Telegram); made on first use."""
        user = self.user(user_id)
        chat = self.chats.get(user_id)
        if chat is None:
            chat = Chat(id=user_id, type="private", user=user, members={user_id: "member"})
            self.chats[user_id] = chat
        return chat

    def create_group(self, title: str, *, creator_id: int, member_ids: list[int] = (), supergroup: bool = False,
                     username: str | None = None, with_bot: bool = True, bot_admin: bool = False) -> Chat:
        if not title.strip():
            raise SandboxUserError("Nhóm cần có tên (title).")
        creator = self.user(creator_id)
        number = next(self._group_ids)
        chat_id = (FIRST_SUPERGROUP_ID if supergroup else FIRST_GROUP_ID) - number
        chat = Chat(id=chat_id, type="supergroup" if supergroup else "group", title=title, username=username,
                    members={creator.id: "creator"}, bot_status="left")
        for member_id in member_ids:
            if member_id != creator.id:
                chat.members[self.user(member_id).id] = "member"
        self.chats[chat_id] = chat
        self._service_message(chat, creator, {"group_chat_created": True} if not supergroup else None)
        if with_bot:
            self.set_bot_status(chat_id, by_user_id=creator_id, status="administrator" if bot_admin else "member")
        return chat

    def upgrade_to_supergroup(self, chat_id: int, *, by_user_id: int, announce: bool = True) -> Chat:
        """A group upgraded to a supergroup: a new chat id, the same title, members and bot; the Bot API refuses
        the old id with migrate_to_chat_id. `announce`: the service messages Telegram sends (migrate_to_chat_id
        in the old group, migrate_from_chat_id in the new one); False for a bot that never saw them."""
        old, actor = self.chat(chat_id), self.user(by_user_id)
        if old.type != "group" or old.migrated_to is not None:
            raise SandboxUserError("Chỉ nhóm thường (chưa nâng cấp) mới nâng lên siêu nhóm được.")
        new_id = FIRST_SUPERGROUP_ID - next(self._group_ids)
        new = Chat(id=new_id, type="supergroup", title=old.title, members=dict(old.members), bot_status=old.bot_status)
        self.chats[new_id] = new
        old.migrated_to = new_id
        self._service_message(old, actor, {"migrate_to_chat_id": new_id}, deliver=announce)
        self._service_message(new, actor, {"migrate_from_chat_id": old.id}, deliver=announce)
        return new

    def add_member(self, chat_id: int, user_id: int, *, by_user_id: int | None = None) -> Message:
        chat, user = self.chat(chat_id), self.user(user_id)
        if not chat.is_group:
            raise SandboxUserError("Chỉ thêm được thành viên vào nhóm.")
        if user.id in chat.members:
            raise SandboxUserError(f"{user.first_name} đã ở trong nhóm.")
        chat.members[user.id] = "member"
        actor = self.user(by_user_id) if by_user_id is not None else user
        return self._service_message(chat, actor, {"new_chat_members": [user.to_api()],
                                                   "new_chat_member": user.to_api(),
                                                   "new_chat_participant": user.to_api()})

    def remove_member(self, chat_id: int, user_id: int, *, by_user_id: int | None = None) -> Message:
        chat, user = self.chat(chat_id), self.user(user_id)
        if chat.members.pop(user.id, None) is None:
            raise SandboxUserError(f"{user.first_name} không ở trong nhóm.")
        actor = self.user(by_user_id) if by_user_id is not None else user
        return self._service_message(chat, actor, {"left_chat_member": user.to_api(),
                                                   "left_chat_participant": user.to_api()})

    def set_bot_status(self, chat_id: int, *, by_user_id: int, status: str) -> None:
        """member | administrator | left | kicked in a group; in a private chat kicked = blocked, member = unblocked."""
        chat, actor = self.chat(chat_id), self.user(by_user_id)
        if status not in ("member", "administrator", "left", "kicked"):
            raise SandboxUserError(f"Trạng thái bot không hợp lệ: {status}.")
        if chat.type == "private":
            if actor.id != chat.id or status not in ("member", "kicked"):
                raise SandboxUserError("Trong chat riêng, chỉ chính người đó chặn (kicked) hoặc bỏ chặn (member) bot.")
            old = "kicked" if chat.blocked else "member"
            chat.blocked = status == "kicked"
        else:
            if actor.id not in chat.members:
                raise SandboxUserError(f"{actor.first_name} không ở trong nhóm.")
            old = chat.bot_status
            chat.bot_status = status
        if old == status:
            return
        self.emit("my_chat_member", {
            "chat": chat.to_api(), "from": actor.to_api(), "date": self.now(),
            "old_chat_member": self.member_json(old, self.bot), "new_chat_member": self.member_json(status, self.bot),
        })
        if chat.is_group and old in ("left", "kicked") and status in ("member", "administrator"):
            self._service_message(chat, actor, {"new_chat_members": [self.bot.to_api()],
                                                "new_chat_member": self.bot.to_api(),
                                                "new_chat_participant": self.bot.to_api()})
        elif chat.is_group and status in ("left", "kicked") and old in ("member", "administrator"):
            self._service_message(chat, actor, {"left_chat_member": self.bot.to_api(),
                                                "left_chat_participant": self.bot.to_api()}, deliver=False)

    @staticmethod
    def member_json(status: str, user: User) -> JSON:
        data: JSON = {"status": status, "user": user.to_api()}
        if status == "kicked":
            data["until_date"] = 0
        if status == "creator":
            data["is_anonymous"] = False
        if status == "administrator":
            data.update({"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                         "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                         "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                         "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False})
        return data

    def user_message(self, chat_id: int, user_id: int, text: str, *, reply_to: int | None = None) -> Message:
        """A person writes `text` (commands and mentions get their entities, as Telegram marks them)."""
        chat, user = self._writable(chat_id, user_id)
        if not text.strip():
            raise SandboxUserError("Tin nhắn trống.")
        if len(text) > 4096:
            raise SandboxUserError("Tin nhắn dài quá 4096 ký tự.")
        if reply_to is not None:
            self.message(chat, reply_to)
        message = Message(message_id=chat.new_message_id(), chat_id=chat.id, sender=user, date=self.now(),
                          text=text, entities=detect_entities(text), reply_to=reply_to)
        return self._deliver_new(chat, message)

    def user_messages(self, typed: Iterable[tuple[int, int, str, int | None]]) -> list[tuple[Message, float]]:
        """Many people write at once: each (chat id, user id, text, replied message id) as `user_message`, in
        order, queued for the bot as Telegram would deliver it (through getUpdates). Returns each message with
        the moment it was queued (epoch seconds, the world's clock). For a load generator in the sandbox's own
        process: typing thousands of replies costs no HTTP round trip each."""
        written = []
        for chat_id, user_id, text, reply_to in typed:
            message = self.user_message(chat_id, user_id, text, reply_to=reply_to)
            written.append((message, self.clock.now().timestamp()))
        return written

    def user_document(self, chat_id: int, user_id: int, *, file_name: str, data: bytes, mime_type: str | None,
                      caption: str | None = None) -> Message:
        chat, user = self._writable(chat_id, user_id)
        if not data:
            raise SandboxUserError("Tệp rỗng.")
        stored = self.store_file(data, kind="documents", file_name=file_name, mime_type=mime_type)
        message = Message(message_id=chat.new_message_id(), chat_id=chat.id, sender=user, date=self.now(),
                          document=stored.document_json(), caption=caption or None,
                          caption_entities=detect_entities(caption) if caption else [])
        return self._deliver_new(chat, message)

    def edit_user_message(self, chat_id: int, user_id: int, message_id: int, text: str) -> Message:
        chat, user = self._writable(chat_id, user_id)
        message = self.message(chat, message_id)
        if message.sender.id != user.id or message.text is None:
            raise SandboxUserError("Chỉ sửa được tin nhắn văn bản của chính mình.")
        if not text.strip():
            raise SandboxUserError("Tin nhắn trống.")
        if text != message.text:
            message.history.append(message.text)
            message.text, message.entities = text, detect_entities(text)
        message.edit_date = self.now()
        if self._bot_sees(chat, message):
            self.emit("edited_message", self.message_json(message))
        else:
            self.changed.notify()
        return message

    def press_button(self, chat_id: int, message_id: int, user_id: int, *, data: str | None = None,
                     text: str | None = None) -> CallbackQuery:
        """A person presses the inline button with this callback_data (or this label) under a message."""
        chat = self.chat(chat_id)
        user = self.user(user_id)
        if user.id not in chat.members:
            raise SandboxUserError(f"{user.first_name} không ở trong cuộc trò chuyện này.")
        message = self.message(chat, message_id)
        buttons = [b for row in message.inline_keyboard for b in row if "callback_data" in b]
        button = next((b for b in buttons if (data is not None and b["callback_data"] == data)
                       or (text is not None and b.get("text") == text)), None)
        if button is None:
            wanted = data if data is not None else text
            raise SandboxUserError(f"Tin nhắn {message_id} không có nút «{wanted}».")
        query = CallbackQuery(id=str(next(self._callback_ids)), user=user, chat_id=chat.id,
                              message_id=message.message_id, data=button["callback_data"])
        self.callbacks[query.id] = query
        self.emit("callback_query", {"id": query.id, "from": user.to_api(), "message": self.message_json(message),
                                     "chat_instance": str(abs(chat.id * 7919) % 10**18), "data": query.data})
        return query

    def messages(self, chat_id: int, *, from_bot: bool | None = None, include_deleted: bool = True) -> list[Message]:
        chat = self.chat(chat_id)
        return [m for m in chat.messages.values()
                if (from_bot is None or m.from_bot == from_bot) and (include_deleted or not m.deleted)
                and m.service is None]

    # ---- helpers --------------------------------------------------------------------------------------

    def _writable(self, chat_id: int, user_id: int) -> tuple[Chat, User]:
        chat, user = self.chats.get(chat_id), self.user(user_id)
        if chat is None and chat_id == user_id:
            chat = self.private_chat(user_id)
        if chat is None:
            raise SandboxUserError(f"Không có cuộc trò chuyện {chat_id}.", status=404)
        if user.id not in chat.members:
            raise SandboxUserError(f"{user.first_name} không ở trong cuộc trò chuyện này.")
        if chat.blocked:
            raise SandboxUserError(f"{user.first_name} đã chặn bot; hãy bỏ chặn trước.")
        return chat, user

    def _deliver_new(self, chat: Chat, message: Message) -> Message:
        chat.messages[message.message_id] = message
        if self._bot_sees(chat, message):
            self.emit("message", self.message_json(message))
        else:
            self.changed.notify()
        return message

    def _service_message(self, chat: Chat, actor: User, service: JSON | None, *, deliver: bool = True) -> Message:
        message = Message(message_id=chat.new_message_id(), chat_id=chat.id, sender=actor, date=self.now(),
                          service=service or {"supergroup_chat_created": True})
        chat.messages[message.message_id] = message
        if deliver and chat.bot_status in ("member", "administrator"):
            self.emit("message", self.message_json(message))
        return message

    def _bot_sees(self, chat: Chat, message: Message) -> bool:
        """Telegram's privacy mode: in groups a bot that is not an admin sees only what concerns it."""
        if chat.type == "private":
            return not chat.blocked
        if chat.bot_status not in ("member", "administrator"):
            return False
        if not self.privacy_mode or chat.bot_status == "administrator" or message.service:
            return True
        text = message.text if message.text is not None else message.caption
        entities = message.entities if message.text is not None else message.caption_entities
        command = command_of(text, entities)
        if command is not None and (command[1] is None or command[1].lower() == self.bot.username.lower()):
            return True
        if message.reply_to is not None:
            target = chat.messages.get(message.reply_to)
            if target is not None and target.from_bot:
                return True
        mention = f"@{self.bot.username}".lower()
        return bool(text) and mention in text.lower()


def describe_world(world: World) -> dict[str, Any]:
    """A summary for `/sandbox/state`: the bot, people, chats and queue sizes."""
    return {
        "bot": world.bot.to_api(), "token_claimed": world.token is not None,
        "users": [u.to_api() for u in world.users.values()],
        "chats": [{**c.to_api(), "bot_status": c.bot_status, "blocked": c.blocked,
                   "members": {str(k): v for k, v in c.members.items()}} for c in world.chats.values()],
        "pending_updates": len(world.updates), "webhook": world.webhook.url if world.webhook else "",
        "commands": world.commands,
    }
