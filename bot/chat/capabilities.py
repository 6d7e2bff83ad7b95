"""What a chat platform can show, and one neutral Outgoing made fit for a platform that lacks some of it.

The conversation writes one way for every platform (cards with status buttons, confirmations with an undo
button, replies threaded to the message they answer). A platform without buttons gets the buttons as a
numbered line ("Trả lời: 1 Hoàn thành · 2 ..."), which handlers/typed.py reads back; without reply-to or
edits, a new message; without documents, a download link from the file-link hook; long texts in pieces
under the platform's limit, cut at line boundaries.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.base import messages as msg
from bot.base.chat import FileRef, Outgoing
from bot.base.clock import Clock
from bot.web.links import download_url

FileLink = Callable[["FileRef | None"], "str | None"]  # the file an Outgoing carries -> a signed, expiring URL


@dataclass(frozen=True)
class Capabilities:
    buttons: bool = True
    reply_to: bool = True
    edits: bool = True
    documents: bool = True
    html: bool = True
    photo_upload: bool = True  # a photo sent as bytes (False: only by URL)
    deep_links: bool = True  # t.me/<bot>?start=CODE invite links
    max_text: int = 4096


TELEGRAM = Capabilities()
ZALO = Capabilities(buttons=False, reply_to=False, edits=False, documents=False, html=False, photo_upload=False,
                    deep_links=False, max_text=2000)
_BY_PLATFORM = {"telegram": TELEGRAM, "zalo": ZALO}


def capabilities_of(platform: str) -> Capabilities:
    return _BY_PLATFORM.get(platform, TELEGRAM)


def file_download_link(ref: FileRef | None) -> str | None:
    """No web pages configured: no link (the text summary still goes out, and a line says where to get the file)."""
    return None


def signed_file_links(*, base_url: str | None, secret: str | None, clock: Clock) -> FileLink:
    """THE file-link hook for a platform that takes no documents (Zalo): a signed download address of the web pages
    (bot/web/links.py, valid a week) for each summary file, when WEB_BASE_URL and WEB_SECRET are set."""
    if not base_url or not secret:
        return file_download_link

    def link(ref: FileRef | None) -> str | None:
        if ref is None:
            return None
        return download_url(base_url=base_url, secret=secret, plan_id=ref.plan_id, period_key=ref.period_key,
                            fmt=ref.fmt, unit_id=ref.unit_id, now=clock.now())

    return link


_TAG = re.compile(r"</?(?:b|i|u|s|code|pre|a(?:\s[^>]*)?)>", re.IGNORECASE)


def plain_text(text: str) -> str:
    """Telegram HTML (b, i, code, a) as plain text."""
    return html.unescape(_TAG.sub("", text))


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line boundaries (a longer line at a space, else hard)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def answer_line(out: Outgoing) -> str | None:
    """The typed equivalent of an Outgoing's buttons, or None when it has none the reader understands."""
    data = [b.data for row in out.buttons for b in row]
    if not data:
        return None
    if any(d.startswith("s|") for d in data):
        line = msg.TYPED_STATUS_ANSWERS
        return line + msg.TYPED_SKIP if any(d.startswith("k|") for d in data) else line
    if any(d.startswith("u|") for d in data):
        return msg.TYPED_UNDO
    if any(d.startswith("imp|") for d in data):
        return msg.TYPED_IMPORT_ELSEWHERE
    return None


def present(out: Outgoing, caps: Capabilities, *, file_link: FileLink = file_download_link) -> list[Outgoing]:
    """`out` as the platform can show it: one or more Outgoing, each within its limits (the link on the last)."""
    if caps.buttons and caps.reply_to and caps.edits and caps.documents and caps.html:
        return [out]
    text = out.text or (out.toast or "" if not caps.buttons else "")  # a button's toast, said in the chat
    extra: list[str] = []
    if not caps.buttons:
        for telegram_words, typed_words in msg.TYPED_INSTEAD.items():
            text = text.replace(telegram_words, typed_words)
        if line := answer_line(out):
            extra.append(line)
    document, photo_url = out.document, None
    if out.document is not None and not caps.documents:
        name, _content = out.document
        url = file_link(out.file_ref)
        extra.append(msg.file_link_line(name, url))
        document = None
    photo = out.photo
    if out.photo is not None and not caps.photo_upload:
        url = file_link(out.file_ref)
        if url is None:
            extra.append(msg.file_link_line("bieu-do.png", None))
        photo_url = url
        photo = None
    if extra:
        text = "\n\n".join(t for t in (text, *extra) if t)
    if not caps.html:
        text = plain_text(text)
    base = replace(out, text=text, buttons=[] if not caps.buttons else out.buttons,
                   reply_to=out.reply_to if caps.reply_to else None,
                   edit_message_id=out.edit_message_id if caps.edits else None, document=document, photo=photo)
    pieces = split_text(text, caps.max_text) if len(text) > caps.max_text else [text]
    result = [replace(base, text=p, link=None) for p in pieces[:-1]]
    result.append(replace(base, text=pieces[-1] if pieces else ""))
    if photo_url is not None:
        result.append(Outgoing(text=msg.CHART_CAPTION, photo_url=photo_url))
    return result
