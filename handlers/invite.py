"""/invite (/moi): coordinators, admins and unit heads create single-use invite codes in chat; a suggested
unit's button (`moi|ROLE|UNIT`) creates the code for that unit."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.adapters.telegram import step_handler
from bot.chat.invite import PREFIX, handle_invite, handle_invite_button


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["invite", "moi"], step_handler(handle_invite)))
    app.add_handler(CallbackQueryHandler(step_handler(handle_invite_button), pattern=rf"^{PREFIX}\|"))
