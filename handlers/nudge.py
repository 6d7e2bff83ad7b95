"""/nudge (/nhacnho): a coordinator nudges the units still missing, now."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.nudging import handle_nudge


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["nudge", "nhacnho"], step_handler(handle_nudge, wakes_outbox=True)))
