"""Neutral shapes exchanged between a platform connector and the conversation: what comes in, what goes out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Incoming:
    """Something a person did: a message, a command, a reply, an edit or a button press."""

    platform: str
    chat_id: str
    chat_type: str  # private | group | supergroup
    user_id: str
    user_name: str | None
    update_key: str  # unique per delivery of the same action (for idempotency)
    message_id: str | None = None
    text: str = ""
    reply_to_message_id: str | None = None
    args: tuple[str, ...] = ()
    file_key: str | None = None  # the platform's id of an uploaded file's content (Telegram's file_unique_id)


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # at most 64 bytes (Telegram's callback_data limit)


@dataclass(frozen=True)
class Link:
    """What the message about to be sent is about, recorded with its id once sent."""

    task_id: int | None = None
    period_id: int | None = None
    unit_id: int | None = None
    kind: str = "task_card"
    report_id: int | None = None


@dataclass(frozen=True)
class FileRef:
    """Which summary file an Outgoing carries (plan, period, format, one lead unit or all): what a download link
    for it names, on a platform that takes no documents."""

    plan_id: int
    period_key: str
    fmt: str
    unit_id: int | None = None


@dataclass
class Outgoing:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    reply_to: str | None = None
    edit_message_id: str | None = None  # edit this message instead of sending a new one
    link: Link | None = None
    toast: str | None = None  # a short answer to a button press
    document: tuple[str, bytes] | None = None  # (file name, content)
    photo: bytes | None = None
    photo_url: str | None = None  # a photo by address (platforms that take no uploads)
    file_ref: FileRef | None = None  # the summary file in `document` or `photo`, for a download link
