"""A plan file sent to the bot: preview, then import on a button (coordinators and admins)."""

from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.adapters.telegram import document_handler, step_handler
from bot.chat.importing import handle_import_button, receive_document


def register(app: Application) -> None:  # type: ignore[type-arg]
    documents = filters.UpdateType.MESSAGE & filters.Document.ALL
    app.add_handler(MessageHandler(documents, document_handler(receive_document)))
    app.add_handler(CallbackQueryHandler(step_handler(handle_import_button), pattern=r"^imp\|"))
