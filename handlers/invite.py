"""/invite (/moi): coordinators, admins and unit heads create single-use invite codes in chat."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.browse import handle_invite


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["invite", "moi"], step_handler(handle_invite)))
