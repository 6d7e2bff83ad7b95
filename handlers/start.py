"""/start CODE (join a unit) and /help (/huongdan)."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.browse import handle_help, handle_start


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", step_handler(handle_start)))
    app.add_handler(CommandHandler(["help", "huongdan"], step_handler(handle_help)))
