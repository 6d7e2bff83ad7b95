"""A coordinator sends a plan file in chat: a preview first, then an all-or-nothing import on a button."""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.buttons import ImportPress, is_token, parse_press
from bot.base.chat import Button, Incoming, Outgoing
from bot.base.errors import UserError
from bot.chat.context import ChatDeps, journal, resolve_actor
from bot.chat.service import ChatService
from bot.importer.items import ParsedPlan
from bot.importer.limits import TooComplex
from bot.importer.service import commit_import, preview_parsed, unit_names
from storage.models import InboundMessage

_YEAR = re.compile(r"\b20\d\d\b")
READ_LEASE = timedelta(minutes=5)  # a file still "reading" this long after its claim was stranded by a crash


def _stash(deps: ChatDeps, name: str, data: bytes) -> str:
    """Keep the uploaded file on disk until the coordinator confirms (a restart loses nothing)."""
    token = secrets.token_urlsafe(9)
    deps.upload_dir.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix.lower()[:8]
    (deps.upload_dir / f"{token}{suffix}").write_bytes(data)
    (deps.upload_dir / f"{token}.name").write_text(name, encoding="utf-8")
    return token


def _unstash(deps: ChatDeps, token: str) -> tuple[str, bytes] | None:
    if not is_token(token):
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


@dataclass(frozen=True)
class Upload:
    """A plan file claimed for reading: the unit names its cells must not be split inside, and its year."""

    names: list[str]
    plan_year: int


def _entry(session: Session, platform: str, key: str) -> InboundMessage | None:
    return session.exec(select(InboundMessage).where(
        InboundMessage.platform == platform, InboundMessage.update_key == key)).first()


def _file_claim_key(event: Incoming) -> str | None:
    return f"file:{event.chat_id}:{event.file_key}"[:100] if event.file_key else None


def _stale(entry: InboundMessage, now: datetime) -> bool:
    return entry.received_at is None or entry.received_at < now - READ_LEASE


def claim_upload(session: Session, deps: ChatDeps, event: Incoming) -> Upload | list[Outgoing]:
    """Journal an uploaded plan file before it is downloaded and read, so that it is read once.

    Two journal entries: the delivery (its update key, like every other update) and the file (the chat and
    the platform's id of its content), whose `outcome` says where its reading stands: "reading", "previewed"
    (`text` is the stash token), "too_complex" (`text` is the refusal, given again without reading). A
    redelivered update is ignored, unless its reading was stranded by a crash (still "reading" after
    READ_LEASE); the same file sent again while it is read, or while its preview waits for a button, is
    answered without reading it again."""
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text=msg.IMPORT_COORDINATOR_ONLY if actor.member else msg.STRANGER)]
    now = deps.now()
    key = _file_claim_key(event)
    claim = _entry(session, event.platform, key) if key else None
    upload = Upload(names=unit_names(session=session), plan_year=_year_hint(event.text, deps))
    if _entry(session, event.platform, event.update_key) is not None:  # a redelivery
        if claim is None or claim.outcome != "reading" or claim.message_id != event.message_id or not _stale(
                claim, now):
            return []
        claim.received_at = now  # its reading died with the process: read it now
        return upload
    session.add(InboundMessage(platform=event.platform, update_key=event.update_key, chat_id=event.chat_id,
                               message_id=event.message_id, user_id=event.user_id, kind="document",
                               text=event.text or None, received_at=now))
    if key is None:
        return upload
    if claim is not None:
        if claim.outcome == "reading" and not _stale(claim, now):
            return [Outgoing(text=msg.IMPORT_BEING_READ, reply_to=event.message_id)]
        if claim.outcome == "previewed" and claim.text and _unstash(deps, claim.text) is not None:
            return [Outgoing(text=msg.IMPORT_ALREADY_PREVIEWED, reply_to=event.message_id)]
        if claim.outcome == "too_complex" and claim.text:
            return [Outgoing(text=claim.text, reply_to=event.message_id)]
        claim.outcome, claim.text, claim.received_at = "reading", None, now
        claim.message_id, claim.user_id = event.message_id, event.user_id
        return upload
    session.add(InboundMessage(platform=event.platform, update_key=key, chat_id=event.chat_id,
                               message_id=event.message_id, user_id=event.user_id, kind="document",
                               outcome="reading", received_at=now))
    return upload


def finish_upload(session: Session, deps: ChatDeps, event: Incoming, *, name: str, data: bytes | None,
                  parsed: ParsedPlan | None, refusal: UserError | None) -> list[Outgoing]:
    """The preview of a file read in the worker (or its refusal), and where its reading now stands."""
    key = _file_claim_key(event)
    claim = _entry(session, event.platform, key) if key else None
    if parsed is None or data is None:
        text = msg.IMPORT_TOO_LARGE.format(mb=deps.max_upload_mb) if refusal is None else msg.import_failed(
            name, str(refusal))
        if claim is not None and isinstance(refusal, TooComplex):  # the same file again: refused without reading
            claim.outcome, claim.text = "too_complex", text
        elif claim is not None:
            session.delete(claim)
        return [Outgoing(text=text, reply_to=event.message_id)]
    preview = preview_parsed(parsed, session=session)
    token = _stash(deps, name, data)
    (deps.upload_dir / f"{token}.caption").write_text(event.text or "", encoding="utf-8")
    if claim is not None:
        claim.outcome, claim.text = "previewed", token
    buttons = [[Button(msg.BUTTON_IMPORT, ImportPress(token, "i").data)]]  # every task is imported, whatever the names
    if preview.unknown_leads:
        buttons.append([Button(msg.BUTTON_IMPORT_CREATE, ImportPress(token, "c").data)])
    buttons.append([Button(msg.BUTTON_CANCEL, ImportPress(token, "x").data)])
    return [Outgoing(text=msg.import_preview(preview.summary_vi()), buttons=buttons, reply_to=event.message_id)]


def release_upload(session: Session, deps: ChatDeps, event: Incoming) -> None:
    """The file could not be fetched: forget its reading, so that sending it again reads it."""
    key = _file_claim_key(event)
    claim = _entry(session, event.platform, key) if key else None
    if claim is not None and claim.outcome == "reading":
        session.delete(claim)


async def receive_document(chat: ChatService, event: Incoming,
                           download: Callable[[], Awaitable[tuple[str, bytes] | None]]) -> list[Outgoing]:
    """A plan file sent in chat: claimed in the journal, downloaded, read in a worker process (bounded in size,
    time and memory, off the event loop), then previewed. None of it runs twice for one upload."""
    deps = chat.deps
    claimed: list[Upload] = []

    def claim(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
        claimed.clear()  # a try whose commit lost a race (IntegrityError) is run again: only the last one counts
        found = claim_upload(session, deps, event)
        if isinstance(found, Upload):
            claimed.append(found)
            return []
        return found

    answer = await chat.handle(claim, event)
    if not claimed:
        return answer
    upload = claimed[0]
    try:
        file = await download()
    except Exception:
        await chat.run(release_upload, deps=deps, event=event)
        raise
    name, data = file if file is not None else ("tệp", None)
    parsed: ParsedPlan | None = None
    refusal: UserError | None = None
    if data is not None:
        try:
            parsed = await deps.parser.parse_async(data, name, plan_year=upload.plan_year,
                                                   max_bytes=deps.max_upload_mb * 1024 * 1024,
                                                   protected_names=upload.names)
        except UserError as exc:
            refusal = exc
        except Exception:  # the worker could not even start: sending the file again must read it
            await chat.run(release_upload, deps=deps, event=event)
            raise
    return await chat.run(finish_upload, deps=deps, event=event, name=name, data=data, parsed=parsed,
                          refusal=refusal)


def handle_import_button(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    if journal(session=session, event=event, kind="button", now=deps.now()) is None:
        return []
    press = parse_press(event.text)
    actor = resolve_actor(session=session, event=event)
    if not actor.is_coordinator:
        return [Outgoing(text="", toast=msg.IMPORT_COORDINATOR_ONLY)]
    if not isinstance(press, ImportPress):
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    token, mode = press.token, press.mode
    stashed = _unstash(deps, token)
    if stashed is None:
        return [Outgoing(text=msg.IMPORT_GONE, edit_message_id=event.message_id)]
    if mode == "x":
        _discard(deps, token)
        return [Outgoing(text=msg.IMPORT_CANCELLED, edit_message_id=event.message_id, toast="Đã huỷ")]
    name, data = stashed
    try:
        # read again in the worker (time and memory capped); the file was read within bounds for its preview
        parsed = deps.parser.parse(data, name, plan_year=_year_hint(parts_year(token, deps), deps),
                                   max_bytes=deps.max_upload_mb * 1024 * 1024, protected_names=unit_names(
                                       session=session))
        preview = preview_parsed(parsed, session=session)
        result = commit_import(preview, session=session, now=deps.now(), create_units=mode == "c")
    except UserError as exc:
        session.rollback()
        return [Outgoing(text=msg.import_failed(name, str(exc)), edit_message_id=event.message_id)]
    _discard(deps, token)
    return [Outgoing(text=msg.import_done(result.summary_vi()), edit_message_id=event.message_id,
                     toast="Đã nhập kế hoạch")]
