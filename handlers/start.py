"""/start CODE (join a unit, or bind a group chat), /unbind (/gonhom) and /help (/huongdan)."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.browse import handle_help
from bot.chat.joining import handle_start, handle_unbind


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", step_handler(handle_start)))
    app.add_handler(CommandHandler(["unbind", "gonhom"], step_handler(handle_unbind)))
    app.add_handler(CommandHandler(["help", "huongdan"], step_handler(handle_help)))
