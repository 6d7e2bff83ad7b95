"""/web (/trangweb): a one-time sign-in link to the web pages, in a private chat."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.web import handle_web


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["web", "trangweb"], step_handler(handle_web)))
