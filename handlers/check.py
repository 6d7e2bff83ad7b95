"""/kiemtra (/check): who will not be nudged, and why, for coordinators."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.check import handle_check


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["check", "kiemtra"], step_handler(handle_check)))
