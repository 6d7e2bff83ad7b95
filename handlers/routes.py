"""A route: the way into one step, platform-neutral (what arrives, which step answers, how it is run).

Each feature module (handlers/<feature>.py) lists its routes beside its steps in `ROUTES`; handlers/__init__.py
joins them into the one table, in the order the connectors must try them. Each connector builds its
registrations from that table and takes the triggers its platform has:
- Telegram (bot/adapters/telegram.py): commands, buttons, files, replies, edits, other private text and
  "nontext", a private message with no text and no file (a sticker, a photo, a contact);
- a text-only platform (Zalo, bot/adapters/zalo.py): commands typed as "/name args", and "typed" for
  everything else (numbers for the buttons, task codes for replies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.chat.service import Receive, Step

Trigger = Literal["command", "button", "file", "reply", "edit", "text", "nontext", "typed"]


@dataclass(frozen=True)
class Route:
    on: Trigger
    step: Step | Receive  # a Receive for "file" (journal the upload first, download it when it is new)
    names: tuple[str, ...] = ()  # "command": its names, the first one canonical
    prefix: str | None = None  # "button": the prefix of its data ("imp" for "imp|..."); None takes any button
    guarded: bool = True  # flood control per person (replies to task cards are never refused)
    wakes_outbox: bool = False  # the step queues nudges: dispatch them as soon as it is committed
    queued: bool = False  # the answers go through the outbox's answer lane when the runner has one

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.on


def by_command(routes: tuple[Route, ...]) -> dict[str, Route]:
    """Every command name (canonical or Vietnamese) to its route."""
    return {name: route for route in routes if route.on == "command" for name in route.names}
