"""/tasks (/nhiemvu): the unit's tasks with deadline and latest status."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.browse import handle_tasks


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["tasks", "nhiemvu"], step_handler(handle_tasks)))
