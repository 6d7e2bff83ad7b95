"""The chat's routes, one table for every platform: each connector builds its registrations from `ROUTES`.

Buttons with their own prefix (imp|, moi|) come before report's, which takes every other button; the reply,
edit and text routes last: they catch plain text.
"""

from bot.chat.browse import handle_help, handle_other_text, handle_report, handle_tasks
from bot.chat.check import handle_check
from bot.chat.importing import handle_import_button, receive_document
from bot.chat.invite import PREFIX, handle_invite, handle_invite_button
from bot.chat.joining import handle_start, handle_unbind
from bot.chat.nudging import handle_nudge, handle_request
from bot.chat.reporting import handle_button, handle_edit, handle_reply
from bot.chat.summary import handle_summary
from bot.chat.typed import handle_typed
from bot.chat.web import handle_web
from handlers.routes import Route

ROUTES: tuple[Route, ...] = (
    Route("command", handle_start, names=("start",)),
    Route("command", handle_unbind, names=("unbind", "gonhom")),
    Route("command", handle_help, names=("help", "huongdan")),
    Route("command", handle_tasks, names=("tasks", "nhiemvu")),
    Route("file", receive_document),
    Route("button", handle_import_button, prefix="imp"),
    Route("command", handle_invite, names=("invite", "moi")),
    Route("button", handle_invite_button, prefix=PREFIX),
    Route("command", handle_report, names=("report", "baocao")),
    Route("button", handle_button),
    Route("command", handle_summary, names=("summary", "tonghop")),
    Route("command", handle_check, names=("check", "kiemtra")),
    Route("command", handle_nudge, names=("nudge", "nhacnho"), wakes_outbox=True),
    Route("command", handle_request, names=("request", "yeucau"), wakes_outbox=True),
    Route("command", handle_web, names=("web", "trangweb")),
    Route("reply", handle_reply, guarded=False, queued=True),
    Route("edit", handle_edit, guarded=False, queued=True),
    Route("text", handle_other_text),
    Route("typed", handle_typed, guarded=False),
)
