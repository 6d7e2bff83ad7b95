"""A coordinator sends a plan file in chat: a preview first, then an all-or-nothing import on a button."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.buttons import ImportItemPress, ImportPress, is_token, parse_press
from bot.base.chat import Button, Incoming, Outgoing
from bot.base.errors import UserError
from bot.base.text import fold
from bot.chat.context import ChatDeps, journal, resolve_actor
from bot.chat.service import ChatService
from bot.importer.items import ParsedPlan, without_items
from bot.importer.limits import TooComplex
from bot.importer.service import commit_import, preview_parsed, unit_names
from handlers.routes import Route
from storage.journal import inbound, last_previewed
from storage.models import InboundMessage

_YEAR = re.compile(r"\b20\d\d\b")
READ_LEASE = timedelta(minutes=5)  # a file still "reading" this long after its claim was stranded by a crash
PAGE = 8  # items per page of the "Bỏ bớt mục" list
_LABEL = 44  # characters of an item's button: its code, then the start of its title


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


def _keep_items(deps: ChatDeps, token: str, parsed: ParsedPlan, preview_text: str) -> None:
    """Beside the stashed file: its items (code and title, in order) for the "Bỏ bớt mục" list, and the preview's
    text to show again, so that the list and the preview need no second reading of the file, and survive a
    restart."""
    items = [[item.code, item.title[:120]] for item in parsed.items]
    (deps.upload_dir / f"{token}.items").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    (deps.upload_dir / f"{token}.preview").write_text(preview_text, encoding="utf-8")


def _items(deps: ChatDeps, token: str) -> list[tuple[str, str]]:
    path = deps.upload_dir / f"{token}.items"
    if not path.is_file():
        return []
    return [(str(code), str(title)) for code, title in json.loads(path.read_text(encoding="utf-8"))]


def _left_out(deps: ChatDeps, token: str) -> list[str]:
    """The codes the coordinator left out at the preview, in the file's order (kept beside the stashed file)."""
    path = deps.upload_dir / f"{token}.skip"
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line] if path.is_file() else []


def _set_left_out(deps: ChatDeps, token: str, codes: list[str]) -> None:
    (deps.upload_dir / f"{token}.skip").write_text("\n".join(codes), encoding="utf-8")


def _preview_buttons(token: str, *, unknown_leads: bool) -> list[list[Button]]:
    buttons = [[Button(msg.BUTTON_IMPORT, ImportPress(token, "i").data)]]  # every task is imported, whatever the names
    if unknown_leads:
        buttons.append([Button(msg.BUTTON_IMPORT_CREATE, ImportPress(token, "c").data)])
    buttons.append([Button(msg.BUTTON_IMPORT_LEAVE_OUT, ImportPress(token, "s").data)])
    buttons.append([Button(msg.BUTTON_CANCEL, ImportPress(token, "x").data)])
    return buttons


def _leave_out_page(deps: ChatDeps, token: str, page: int, event: Incoming) -> list[Outgoing]:
    """A page of the file's items as toggle buttons (❌ left out), with what is left out so far."""
    items = _items(deps, token)
    pages = max(1, -(-len(items) // PAGE))
    if not items or not 0 <= page < pages:
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    left_out = set(_left_out(deps, token))
    buttons: list[list[Button]] = []
    for index in range(page * PAGE, min(len(items), (page + 1) * PAGE)):
        code, title = items[index]
        mark = "❌" if code in left_out else "☑️"
        label = f"{mark} {code} · {title}"
        buttons.append([Button(label if len(label) <= _LABEL else label[:_LABEL - 1] + "…",
                               ImportItemPress(token, "t", index).data)])
    nav = []
    if page > 0:
        nav.append(Button(msg.BUTTON_PAGE_BACK, ImportItemPress(token, "p", page - 1).data))
    if page + 1 < pages:
        nav.append(Button(msg.BUTTON_PAGE_NEXT, ImportItemPress(token, "p", page + 1).data))
    if nav:
        buttons.append(nav)
    buttons.append([Button(msg.BUTTON_LEAVE_OUT_DONE, ImportPress(token, "b").data)])
    ordered = [code for code, _ in items if code in left_out]
    return [Outgoing(text=msg.import_leave_out_list(len(items), page, pages, ordered), buttons=buttons,
                     edit_message_id=event.message_id)]


def _toggle(deps: ChatDeps, token: str, index: int, event: Incoming) -> list[Outgoing]:
    items = _items(deps, token)
    if not 0 <= index < len(items):  # a forged or stale place: nothing changes
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    code = items[index][0]
    left_out = set(_left_out(deps, token)) ^ {code}
    _set_left_out(deps, token, [c for c, _ in items if c in left_out])
    return _leave_out_page(deps, token, index // PAGE, event)


def _back_to_preview(deps: ChatDeps, token: str, event: Incoming) -> list[Outgoing]:
    path = deps.upload_dir / f"{token}.preview"
    if not path.is_file():
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    text = path.read_text(encoding="utf-8")
    line = msg.left_out_line(_left_out(deps, token))
    unknown = (deps.upload_dir / f"{token}.unknown").is_file()
    return [Outgoing(text=f"{text}\n\n{line}" if line else text, buttons=_preview_buttons(token, unknown_leads=unknown),
                     edit_message_id=event.message_id)]


_TYPED_LEAVE_OUT = re.compile(r"^\s*(?P<verb>bỏ|bo|giữ|giu)\s+(?P<codes>[\w.\-]+(?:[\s,;]+[\w.\-]+)*)\s*\.?\s*$",
                              re.IGNORECASE)


_CODE_PREFIX = re.compile(r"^(?:nv|p\.|t\.?)\s*(?=\d)", re.IGNORECASE)


def item_codes(typed: str, codes: list[str]) -> list[str]:
    """The preview's item codes a typed code names: the code itself ("P.IV.1.3", "2"); else, with the prefix a
    coordinator adds or leaves off ("NV3", "P.3", "T3", "3") set aside on both sides, every code that is the same
    number (more than one: the caller asks which); else a bare number is the item's place in the preview."""
    exact = [code for code in codes if code.casefold() == typed.casefold()]
    if exact:
        return exact[:1]
    bare = _CODE_PREFIX.sub("", typed).casefold()
    same = [code for code in codes if _CODE_PREFIX.sub("", code).casefold() == bare]
    if same or not bare.isdigit():
        return same
    # a number that is no item's code ("bỏ 3, 5" at a preview of prose duties coded "P.III.1.2"): the item at that
    # place in the preview's order; the answer names the codes left out, so a misreading shows (and "giữ" undoes it)
    place = int(bare)
    return [codes[place - 1]] if 1 <= place <= len(codes) else []


def typed_leave_out(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing] | None:
    """"bỏ 2 P.IV.1.3" (or "giữ 2" to take one back), typed by a coordinator while a plan preview waits in this
    chat: the same skip set as the «✂️ Bỏ bớt mục» buttons, for a chat without buttons or a coordinator who
    prefers typing. None when the text is not that, or no preview waits here (the caller handles it then)."""
    found = _TYPED_LEAVE_OUT.match(event.text or "")
    if found is None or not resolve_actor(session=session, event=event).is_coordinator:
        return None
    claim = last_previewed(session=session, platform=event.platform, chat_id=event.chat_id)
    token = claim.text if claim is not None else None
    if not token or _unstash(deps, token) is None:
        return None
    items = _items(deps, token)
    asked = [c.rstrip(".") for c in re.split(r"[\s,;]+", found.group("codes")) if c.rstrip(".")]
    matched = {c: item_codes(c, [code for code, _ in items]) for c in asked}
    unknown = [c for c, codes in matched.items() if not codes]
    if unknown:
        return [Outgoing(text=msg.typed_leave_out_unknown(unknown), reply_to=event.message_id)]
    if ambiguous := {c: codes for c, codes in matched.items() if len(codes) > 1}:
        return [Outgoing(text=msg.typed_leave_out_ambiguous(ambiguous), reply_to=event.message_id)]
    codes = {code for found_codes in matched.values() for code in found_codes}
    left_out = set(_left_out(deps, token))
    left_out = left_out | codes if fold(found.group("verb")) == "bo" else left_out - codes
    ordered = [code for code, _ in items if code in left_out]
    _set_left_out(deps, token, ordered)
    return [Outgoing(text=msg.typed_left_out(msg.left_out_line(ordered)), reply_to=event.message_id)]


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
    claim = inbound(session=session, platform=event.platform, update_key=key) if key else None
    upload = Upload(names=unit_names(session=session), plan_year=_year_hint(event.text, deps))
    if inbound(session=session, platform=event.platform, update_key=event.update_key) is not None:  # a redelivery
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
    claim = inbound(session=session, platform=event.platform, update_key=key) if key else None
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
    text = msg.import_preview(preview.summary_vi(), examples=[item.code for item in parsed.items[:2]])
    _keep_items(deps, token, parsed, text)
    if preview.unknown_leads:
        (deps.upload_dir / f"{token}.unknown").write_text("", encoding="utf-8")
    buttons = _preview_buttons(token, unknown_leads=bool(preview.unknown_leads))
    return [Outgoing(text=text, buttons=buttons, reply_to=event.message_id)]


def release_upload(session: Session, deps: ChatDeps, event: Incoming) -> None:
    """The file could not be fetched: forget its reading, so that sending it again reads it."""
    key = _file_claim_key(event)
    claim = inbound(session=session, platform=event.platform, update_key=key) if key else None
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
    if not isinstance(press, ImportPress | ImportItemPress):
        return [Outgoing(text="", toast=msg.BUTTON_GONE)]
    token = press.token
    stashed = _unstash(deps, token)
    if stashed is None:
        return [Outgoing(text=msg.IMPORT_GONE, edit_message_id=event.message_id)]
    if isinstance(press, ImportItemPress):
        if press.action == "t":
            return _toggle(deps, token, press.number, event)
        return _leave_out_page(deps, token, press.number, event)
    mode = press.mode
    if mode == "s":
        return _leave_out_page(deps, token, 0, event)
    if mode == "b":
        return _back_to_preview(deps, token, event)
    if mode == "x":
        _discard(deps, token)
        return [Outgoing(text=msg.IMPORT_CANCELLED, edit_message_id=event.message_id, toast="Đã huỷ")]
    name, data = stashed
    left_out = _left_out(deps, token)
    dropped: list[str] = []
    try:
        # read again in the worker (time and memory capped); the file was read within bounds for its preview
        parsed = deps.parser.parse(data, name, plan_year=_year_hint(parts_year(token, deps), deps),
                                   max_bytes=deps.max_upload_mb * 1024 * 1024, protected_names=unit_names(
                                       session=session))
        if left_out:  # the items the coordinator left out at the preview (a group takes its sub-items)
            parsed, dropped, _gone = without_items(parsed, left_out)
        preview = preview_parsed(parsed, session=session)
        result = commit_import(preview, session=session, now=deps.now(), create_units=mode == "c")
    except UserError as exc:
        session.rollback()
        return [Outgoing(text=msg.import_failed(name, str(exc)), edit_message_id=event.message_id)]
    _discard(deps, token)
    summary = result.summary_vi()
    if left_out:
        summary += f"\nĐã bỏ theo yêu cầu {len(dropped)} mục: {', '.join(dropped)}."
    return [Outgoing(text=msg.import_done(summary), edit_message_id=event.message_id, toast="Đã nhập kế hoạch")]


ROUTES = (
    Route("file", receive_document),
    Route("button", handle_import_button, prefix="imp"),
)
