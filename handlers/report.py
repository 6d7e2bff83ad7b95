"""/report (/baocao) and the status, skip and undo buttons."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.browse import handle_report
from bot.chat.reporting import handle_button


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["report", "baocao"], step_handler(handle_report)))
    app.add_handler(CallbackQueryHandler(step_handler(handle_button)))
