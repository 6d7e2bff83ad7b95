"""A coordinator sends a plan file in chat: a preview first, then an all-or-nothing import on a button."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from sqlmodel import Session

from bot import messages as msg
from bot.chat.context import ChatDeps, journal, resolve_actor
from bot.chat.types import Button, Incoming, Outgoing
from bot.errors import UserError
from bot.importer.service import commit_import, preview_import

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
_YEAR = re.compile(r"\b20\d\d\b")


def _stash(deps: ChatDeps, name: str, data: bytes) -> str:
    """Keep the uploaded file on disk until the coordinator confirms (a restart loses nothing)."""
    token = secrets.token_urlsafe(9)
    deps.upload_dir.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix.lower()[:8]
    (deps.upload_dir / f"{token}{suffix}").write_bytes(data)
    (deps.upload_dir / f"{token}.name").write_text(name, encoding="utf-8")
    return token


def _unstash(deps: ChatDeps, token: str) -> tuple[str, bytes] | None:
    if not _TOKEN.match(token):
        return None
    name_file = deps.upload_dir / f"{token}.name"
    if not name_file.is_file():
        return None
    name = name_file.read_text(encoding="utf-8")
    data_file = deps.upload_dir / f"{token}{Path(name).suffix.lower()[:8]}"
    return (name, data_file.read_bytes()) if data_file.is_file() else None


def _discard(deps: ChatDeps, token: str) -> None:
    for path in deps.upload_dir.glob(f"{token}*"):
        path.unlink(missing_ok=True)


def _year_hint(caption: str, deps: ChatDeps) -> int:
    """The plan year from the file's caption ("năm 2026"), else this year; the document's own year wins."""
    found = _YEAR.search(caption or "")
    return int(found.group(0)) if found else deps.today().year


def parts_year(token: str, deps: ChatDeps) -> str:
    caption = deps.upload_dir / f"{token}.caption"
    return caption.read_text(encoding="utf-8") if caption.is_file() else ""


def handle_document(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text=msg.IMPORT_COORDINATOR_ONLY if actor.member else msg.STRANGER)]
    if event.file is None:
        return [Outgoing(text=msg.IMPORT_TOO_LARGE.format(mb=deps.max_upload_mb))]
    name, data = event.file
    try:
        preview = preview_import(data, name, session=session, plan_year=_year_hint(event.text, deps),
                                 max_bytes=deps.max_upload_mb * 1024 * 1024)
    except UserError as exc:
        return [Outgoing(text=msg.import_failed(name, str(exc)), reply_to=event.message_id)]
    token = _stash(deps, name, data)
    (deps.upload_dir / f"{token}.caption").write_text(event.text or "", encoding="utf-8")
    buttons = [[Button(msg.BUTTON_IMPORT, f"imp|{token}|i")]]  # every task is imported, whatever the names say
    if preview.unknown_leads:
        buttons.append([Button(msg.BUTTON_IMPORT_CREATE, f"imp|{token}|c")])
    buttons.append([Button(msg.BUTTON_CANCEL, f"imp|{token}|x")])
    return [Outgoing(text=msg.import_preview(preview.summary_vi()), buttons=buttons, reply_to=event.message_id)]


def handle_import_button(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    if journal(session=session, event=event, kind="button", now=deps.now()) is None:
        return []
    parts = event.text.split("|")
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text="", toast=msg.IMPORT_COORDINATOR_ONLY)]
    if len(parts) != 3 or parts[2] not in ("i", "c", "x"):
        return [Outgoing(text="", toast="Nút này không còn dùng được.")]
    token, mode = parts[1], parts[2]
    stashed = _unstash(deps, token)
    if stashed is None:
        return [Outgoing(text=msg.IMPORT_GONE, edit_message_id=event.message_id)]
    if mode == "x":
        _discard(deps, token)
        return [Outgoing(text=msg.IMPORT_CANCELLED, edit_message_id=event.message_id, toast="Đã huỷ")]
    name, data = stashed
    try:
        preview = preview_import(data, name, session=session, plan_year=_year_hint(parts_year(token, deps), deps),
                                 max_bytes=deps.max_upload_mb * 1024 * 1024)
        result = commit_import(preview, session=session, now=deps.now(), create_units=mode == "c")
    except UserError as exc:
        session.rollback()
        return [Outgoing(text=msg.import_failed(name, str(exc)), edit_message_id=event.message_id)]
    _discard(deps, token)
    return [Outgoing(text=msg.import_done(result.summary_vi()), edit_message_id=event.message_id,
                     toast="Đã nhập kế hoạch")]
