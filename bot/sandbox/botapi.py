"""The bot side: each Bot API method the sandbox speaks, over a World, answering Telegram's JSON shapes.

`BotApi.call(method, params)` returns the `result` of a successful call or raises BotApiError with
Telegram's code and description. Method names are case-insensitive, as in Telegram.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.errors import BotApiError, bad_request, forbidden, too_many_requests
from bot.sandbox.limits import RateLimiter
from bot.sandbox.markup import parse_html, utf16_len
from bot.sandbox.media import guess_mime, image_size
from bot.sandbox.models import JSON, Chat, Message, StoredFile, Webhook
from bot.sandbox.params import Params, UploadedFile
from bot.sandbox.world import World

Handler = Callable[["BotApi", Params], Any]
METHODS: dict[str, Handler] = {}

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_LONG_POLL = 50
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
BUTTON_KINDS = {"callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
                "switch_inline_query_chosen_chat", "web_app", "callback_game", "pay", "copy_text"}
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are exactly the same "
                "as a current content and reply markup of the message")


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = handler
        return handler

    return register


def loopback_only(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


class BotApi:
    def __init__(self, world: World, limiter: RateLimiter | None = None, *,
                 webhook_host_allowed: Callable[[str], bool] = loopback_only) -> None:
        self.world = world
        self.limiter = limiter or RateLimiter()
        self.webhook_host_allowed = webhook_host_allowed
        self._poll_generation = 0

    async def call(self, name: str, params: Params) -> Any:
        handler = METHODS.get(name.lower())
        if handler is None:
            raise BotApiError(404, "Not Found")
        result = handler(self, params)
        if isinstance(result, Awaitable):
            result = await result
        return result

    # ---- shared checks --------------------------------------------------------------------------------

    def target_chat(self, params: Params, name: str = "chat_id") -> Chat:
        """The chat a method acts on, refusing chats the bot is not in (as Telegram does)."""
        ref = params.chat_id(name)
        chat = self.world.find_chat(ref)
        if chat is None and ref in self.world.users:
            raise forbidden("bot can't initiate conversation with a user")
        if chat is None:
            raise bad_request("chat not found")
        if chat.type == "private":
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
            return chat
        if chat.migrated_to is not None:
            raise BotApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                              migrate_to_chat_id=chat.migrated_to)
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {kind}")
        if chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {kind}")
        return chat

    def bot_message(self, chat: Chat, params: Params, *, missing: str) -> Message:
        message_id = params.int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted or message.service is not None:
            raise bad_request(missing)
        return message

    def limit(self, chat: Chat) -> None:
        retry_after = self.limiter.acquire(chat.id, is_group=chat.is_group)
        if retry_after is not None:
            raise too_many_requests(retry_after)

    @staticmethod
    def formatted(text: str, params: Params, *, mode_key: str = "parse_mode",
                  entities_key: str = "entities") -> tuple[str, list[JSON], str | None]:
        mode = params.str(mode_key) or None
        if mode is None:
            entities = params.json(entities_key, error=f"can't parse {entities_key} JSON object") or []
            return text, entities, None
        if mode.lower() == "html":
            plain, entities = parse_html(text)
            return plain, entities, mode
        if mode.lower() in ("markdown", "markdownv2"):
            return text, [], mode  # stored as given: the sandbox does not parse Markdown
        raise bad_request("unsupported parse_mode")

    def reply_target(self, chat: Chat, params: Params) -> int | None:
        reply = params.json("reply_parameters", error="can't parse reply parameters JSON object")
        if reply is None and params.has("reply_to_message_id"):
            reply = {"message_id": params.int("reply_to_message_id"),
                     "allow_sending_without_reply": params.bool("allow_sending_without_reply")}
        if reply is None:
            return None
        if not isinstance(reply, dict):
            raise bad_request("can't parse reply parameters JSON object")
        inner = Params(reply)
        message_id = inner.int("message_id", required=True)
        other_chat = inner.chat_id("chat_id", required=False)
        target = chat.messages.get(message_id)
        if other_chat is not None and self.world.find_chat(other_chat) is not chat:
            target = None  # replies across chats are not modelled
        if target is None or target.deleted or target.service is not None:
            if inner.bool("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return message_id

    @staticmethod
    def markup(params: Params) -> JSON | None:
        markup = params.json("reply_markup", error="can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays")
            for button in (b for row in rows for b in row):
                if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
                    raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the "
                                      "inline keyboard")
                if not BUTTON_KINDS & button.keys():
                    raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the "
                                      "inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            return markup
        if not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def store(self, chat: Chat, message: Message) -> JSON:
        chat.messages[message.message_id] = message
        self.world.changed.notify()
        return self.world.message_json(message)

    def new_bot_message(self, chat: Chat, params: Params, **content: Any) -> Message:
        return Message(message_id=chat.new_message_id(), chat_id=chat.id, sender=self.world.bot,
                       date=self.world.now(), disable_notification=params.bool("disable_notification"), **content)

    def media(self, params: Params, field: str, *, photo: bool) -> StoredFile:
        source = params.file(field)
        if source is None:
            raise bad_request(f"there is no {field} in the request")
        if isinstance(source, UploadedFile):
            if len(source.data) > MAX_UPLOAD:
                raise BotApiError(413, "Request Entity Too Large")
            if not source.data:
                raise bad_request("file must be non-empty")
            if photo:
                size = image_size(source.data)
                if size is None:
                    raise bad_request("IMAGE_PROCESS_FAILED")
                return self.world.store_file(source.data, kind="photos", file_name=None, mime_type="image/jpeg",
                                             width=size[0], height=size[1])
            name = source.filename or "document"
            return self.world.store_file(source.data, kind="documents", file_name=name,
                                         mime_type=guess_mime(name, source.content_type))
        stored = self.world.files.get(source)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if photo and not stored.file_path.startswith("photos/"):
            raise bad_request("type of file mismatch")
        return stored


# ---- identity and updates ---------------------------------------------------------------------------

@method("getMe")
def get_me(api: BotApi, params: Params) -> JSON:
    return {**api.world.bot.to_api(), "can_join_groups": True,
            "can_read_all_group_messages": not api.world.privacy_mode, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False}


@method("logOut")
@method("close")
def log_out(api: BotApi, params: Params) -> bool:
    return True


@method("getUpdates")
async def get_updates(api: BotApi, params: Params) -> list[JSON]:
    world = api.world
    if world.webhook is not None:
        raise BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
                               "to delete the webhook first")
    offset = params.int("offset")
    if offset is not None:
        world.confirm_updates(offset)
    limit = min(100, max(1, params.int("limit", default=100) or 100))
    timeout = min(MAX_LONG_POLL, max(0, int(params.float("timeout", default=0) or 0)))
    allowed = params.json("allowed_updates", error="can't parse allowed_updates JSON object")
    if allowed is not None:
        world.allowed_updates = [str(kind) for kind in allowed] or None
    api._poll_generation += 1
    mine = api._poll_generation
    world.changed.notify()  # an older long poll wakes up and answers 409
    await world.changed.wait_for(
        lambda: bool(world.updates) or api._poll_generation != mine or world.webhook is not None, timeout)
    if api._poll_generation != mine:
        raise BotApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot "
                               "instance is running")
    return list(islice(world.updates, limit))


@method("setWebhook")
def set_webhook(api: BotApi, params: Params) -> bool:
    url = params.str("url") or ""
    if params.bool("drop_pending_updates"):
        api.world.drop_pending_updates()
    allowed = params.json("allowed_updates", error="can't parse allowed_updates JSON object")
    if allowed is not None:
        api.world.allowed_updates = [str(kind) for kind in allowed] or None
    if not url:
        api.world.webhook = None
        return True
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if not api.webhook_host_allowed(parts.hostname):
        raise bad_request(f"bad webhook: the sandbox delivers only to allowed hosts, not {parts.hostname}")
    secret = params.str("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = min(100, max(1, params.int("max_connections", default=40) or 40))
    api.world.webhook = Webhook(url=url, secret_token=secret, max_connections=max_connections)
    api.world.changed.notify()
    return True


@method("deleteWebhook")
def delete_webhook(api: BotApi, params: Params) -> bool:
    api.world.webhook = None
    if params.bool("drop_pending_updates"):
        api.world.drop_pending_updates()
    api.world.changed.notify()
    return True


@method("getWebhookInfo")
def get_webhook_info(api: BotApi, params: Params) -> JSON:
    hook = api.world.webhook
    info: JSON = {"url": hook.url if hook else "", "has_custom_certificate": False,
                  "pending_update_count": len(api.world.updates)}
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        if api.world.allowed_updates:
            info["allowed_updates"] = api.world.allowed_updates
    return info


# ---- messages ------------------------------------------------------------------------------------------

@method("sendMessage")
def send_message(api: BotApi, params: Params) -> JSON:
    chat = api.target_chat(params)
    raw = params.str("text")
    if raw is None or not raw.strip():
        raise bad_request("message text is empty")
    text, entities, mode = api.formatted(raw, params)
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    reply_to = api.reply_target(chat, params)
    markup = api.markup(params)
    preview = params.json("link_preview_options", error="can't parse link preview options JSON object")
    api.limit(chat)
    message = api.new_bot_message(chat, params, text=text, entities=entities, parse_mode=mode, reply_to=reply_to,
                                  reply_markup=markup, link_preview_options=preview)
    return api.store(chat, message)


def _send_media(api: BotApi, params: Params, field: str, *, photo: bool) -> JSON:
    chat = api.target_chat(params)
    stored = api.media(params, field, photo=photo)
    caption, caption_entities, mode = None, [], None
    raw_caption = params.str("caption")
    if raw_caption:
        caption, caption_entities, mode = api.formatted(raw_caption, params, entities_key="caption_entities")
        if utf16_len(caption) > MAX_CAPTION:
            raise bad_request("message caption is too long")
    reply_to = api.reply_target(chat, params)
    markup = api.markup(params)
    api.limit(chat)
    content: JSON = {"photo": stored.photo_json()} if photo else {"document": stored.document_json()}
    message = api.new_bot_message(chat, params, caption=caption, caption_entities=caption_entities, parse_mode=mode,
                                  reply_to=reply_to, reply_markup=markup, **content)
    return api.store(chat, message)


@method("sendDocument")
def send_document(api: BotApi, params: Params) -> JSON:
    return _send_media(api, params, "document", photo=False)


@method("sendPhoto")
def send_photo(api: BotApi, params: Params) -> JSON:
    return _send_media(api, params, "photo", photo=True)


def _editable(api: BotApi, params: Params) -> tuple[Chat, Message]:
    """The chat and the bot's own message an edit names (Telegram refuses to edit anyone else's)."""
    chat = api.target_chat(params)
    message = api.bot_message(chat, params, missing="message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


@method("editMessageText")
def edit_message_text(api: BotApi, params: Params) -> JSON:
    if params.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat, message = _editable(api, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    raw = params.str("text")
    if raw is None or not raw.strip():
        raise bad_request("message text is empty")
    text, entities, mode = api.formatted(raw, params)
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    markup = api.markup(params)  # Telegram drops the inline keyboard of an edit that leaves reply_markup out
    if text == message.text and entities == message.entities and markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    api.limit(chat)
    if text != message.text:
        message.history.append(message.text)
    message.text, message.entities, message.parse_mode = text, entities, mode
    message.reply_markup, message.edit_date = markup, api.world.now()
    return api.store(chat, message)


@method("editMessageCaption")
def edit_message_caption(api: BotApi, params: Params) -> JSON:
    chat, message = _editable(api, params)
    if message.document is None and message.photo is None:
        raise bad_request("there is no caption in the message to edit")
    raw = params.str("caption") or ""
    caption, entities, mode = api.formatted(raw, params, entities_key="caption_entities")
    markup = api.markup(params)
    if (caption or None) == message.caption and entities == message.caption_entities and markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    api.limit(chat)
    message.history.append(message.caption or "")
    message.caption, message.caption_entities, message.parse_mode = caption or None, entities, mode
    message.reply_markup, message.edit_date = markup, api.world.now()
    return api.store(chat, message)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(api: BotApi, params: Params) -> JSON:
    chat, message = _editable(api, params)
    markup = api.markup(params)
    if markup == message.reply_markup or (not markup and not message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    api.limit(chat)
    message.reply_markup, message.edit_date = markup, api.world.now()
    return api.store(chat, message)


@method("deleteMessage")
def delete_message(api: BotApi, params: Params) -> bool:
    chat = api.target_chat(params)
    message = api.bot_message(chat, params, missing="message to delete not found")
    if chat.is_group and not message.from_bot and chat.bot_status != "administrator":
        raise bad_request("message can't be deleted")
    message.deleted = True
    api.world.changed.notify()
    return True


@method("answerCallbackQuery")
def answer_callback_query(api: BotApi, params: Params) -> bool:
    query = api.world.callbacks.get(params.str("callback_query_id", required=True) or "")
    if query is None or query.answered:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    answer: JSON = {"text": params.str("text"), "show_alert": params.bool("show_alert"), "url": params.str("url"),
                    "cache_time": params.int("cache_time", default=0)}
    if answer["text"] is not None and len(answer["text"]) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered, query.answer = True, answer
    api.world.changed.notify()
    return True


@method("sendChatAction")
def send_chat_action(api: BotApi, params: Params) -> bool:
    chat = api.target_chat(params)
    action = params.str("action", required=True)
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.actions.append(action or "")
    return True


# ---- files ------------------------------------------------------------------------------------------

@method("getFile")
def get_file(api: BotApi, params: Params) -> JSON:
    stored = api.world.files.get(params.str("file_id", required=True) or "")
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.file_json()


# ---- commands -------------------------------------------------------------------------------------------

def _commands_key(params: Params) -> str:
    scope = params.json("scope", error="can't parse BotCommandScope JSON object") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps(scope, sort_keys=True) + "|" + (params.str("language_code") or "")


@method("setMyCommands")
def set_my_commands(api: BotApi, params: Params) -> bool:
    commands = params.json("commands", error="can't parse commands JSON object")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be an Array of at most 100 BotCommand")
    cleaned: list[JSON] = []
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND_NAME.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(item.get("description", ""))
        if not 1 <= len(description) <= 256:
            raise bad_request("command description is empty" if not description else "BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": item["command"], "description": description})
    api.world.commands[_commands_key(params)] = cleaned
    return True


@method("getMyCommands")
def get_my_commands(api: BotApi, params: Params) -> list[JSON]:
    return api.world.commands.get(_commands_key(params), [])


@method("deleteMyCommands")
def delete_my_commands(api: BotApi, params: Params) -> bool:
    api.world.commands.pop(_commands_key(params), None)
    return True


# ---- chats ------------------------------------------------------------------------------------------

@method("getChat")
def get_chat(api: BotApi, params: Params) -> JSON:
    chat = api.target_chat(params)
    return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                    "premium_subscription": False, "gifts_from_channels": False}}


@method("getChatMember")
def get_chat_member(api: BotApi, params: Params) -> JSON:
    chat = api.target_chat(params)
    user_id = params.int("user_id", required=True)
    if user_id == api.world.bot.id:
        return api.world.member_json(chat.bot_status if chat.is_group else "member", api.world.bot)
    user = api.world.users.get(user_id or 0)
    if user is None:
        raise bad_request("user not found")
    return api.world.member_json(chat.members.get(user.id, "left"), user)


@method("getChatMemberCount")
@method("getChatMembersCount")
def get_chat_member_count(api: BotApi, params: Params) -> int:
    chat = api.target_chat(params)
    return len(chat.members) + 1


@method("getChatAdministrators")
def get_chat_administrators(api: BotApi, params: Params) -> list[JSON]:
    chat = api.target_chat(params)
    admins = [api.world.member_json(status, api.world.users[uid]) for uid, status in chat.members.items()
              if status in ("creator", "administrator")]
    if chat.bot_status == "administrator":
        admins.append(api.world.member_json("administrator", api.world.bot))
    return admins


@method("leaveChat")
def leave_chat(api: BotApi, params: Params) -> bool:
    chat = api.target_chat(params)
    if not chat.is_group:
        raise bad_request("chat member status can't be changed in private chats")
    chat.bot_status = "left"
    api.world.changed.notify()
    return True
