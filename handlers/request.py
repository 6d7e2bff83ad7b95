"""/request (/yeucau) DATE TEXT: a coordinator's ad hoc ("đột xuất") report request."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.nudging import handle_request


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["request", "yeucau"], step_handler(handle_request, wakes_outbox=True)))
