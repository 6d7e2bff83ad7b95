"""Free-text replies to task messages, edits of those replies, and other private text."""

from telegram.ext import Application, MessageHandler, filters

from bot.adapters.telegram import step_handler
from bot.chat.browse import handle_other_text
from bot.chat.reporting import handle_edit, handle_reply


def register(app: Application) -> None:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND
    replies = filters.UpdateType.MESSAGE & filters.REPLY & text
    app.add_handler(MessageHandler(replies, step_handler(handle_reply, guarded=False, queued=True)))
    edits = filters.UpdateType.EDITED_MESSAGE & text
    app.add_handler(MessageHandler(edits, step_handler(handle_edit, guarded=False, queued=True)))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & text,
                                   step_handler(handle_other_text)))
