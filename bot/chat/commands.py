"""The chat commands by name, for platforms where commands arrive as plain text (Zalo).

Telegram's handlers/ register the same steps with python-telegram-bot's CommandHandler; this table is what a
text-only connector looks a "/name args" message up in.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.browse import handle_help, handle_report, handle_tasks
from bot.chat.check import handle_check
from bot.chat.invite import handle_invite
from bot.chat.joining import handle_start, handle_unbind
from bot.chat.nudging import handle_nudge, handle_request
from bot.chat.service import Step
from bot.chat.summary import handle_summary
from bot.chat.web import handle_web


@dataclass(frozen=True)
class Command:
    name: str
    step: Step
    guarded: bool = True  # flood control per person
    wakes_outbox: bool = False  # the step queues nudges: dispatch them as soon as it is committed


def _table(*commands: tuple[tuple[str, ...], Command]) -> dict[str, Command]:
    return {name: command for names, command in commands for name in names}


COMMANDS = _table(
    (("start",), Command("start", handle_start)),
    (("help", "huongdan"), Command("help", handle_help)),
    (("tasks", "nhiemvu"), Command("tasks", handle_tasks)),
    (("report", "baocao"), Command("report", handle_report)),
    (("summary", "tonghop"), Command("summary", handle_summary)),
    (("check", "kiemtra"), Command("check", handle_check)),
    (("invite", "moi"), Command("invite", handle_invite)),
    (("unbind", "gonhom"), Command("unbind", handle_unbind)),
    (("web", "trangweb"), Command("web", handle_web)),
    (("nudge", "nhacnho"), Command("nudge", handle_nudge, wakes_outbox=True)),
    (("request", "yeucau"), Command("request", handle_request, wakes_outbox=True)),
)
