"""/summary (/tonghop) [kỳ] [đơn vị]: the aggregated summary, with its files, for coordinators."""

from telegram.ext import Application, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.summary import handle_summary


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["summary", "tonghop"], step_handler(handle_summary)))
