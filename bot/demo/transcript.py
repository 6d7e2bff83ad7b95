"""Print the demo's conversation as it happens: who said what, when, in which chat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.sandbox.client import ChatMessage, SandboxClient

WIDTH = 110


def first_line(text: str | None, limit: int = 90) -> str:
    line = " ".join((text or "").replace("<b>", "").replace("</b>", "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Transcript:
    """Remembers what each chat already showed and prints what is new, in order of arrival."""

    def __init__(self, people: SandboxClient, tz: ZoneInfo, echo: Callable[[str], None], log_file: Path) -> None:
        self.people, self.tz, self.echo = people, tz, echo
        self.names: dict[int, str] = {}  # chat id -> "Lan (Phòng Tư pháp)"
        self._seen: dict[int, dict[int, int]] = {}  # chat -> message id -> edits seen
        self._log = log_file.open("w", encoding="utf-8")
        self.bot_messages = 0

    def watch(self, chat_id: int, name: str) -> None:
        self.names[chat_id] = name
        self._seen.setdefault(chat_id, {})

    def say(self, when: datetime, text: str) -> None:
        line = f"{when.astimezone(self.tz):%d/%m %H:%M}  {text}"
        self.echo(line[:WIDTH])
        self._log.write(line + "\n")

    def note(self, text: str) -> None:
        self.echo(text)
        self._log.write(text + "\n")

    async def flush(self, now: datetime) -> None:
        """Print the bot's new messages and edits in every watched chat."""
        for chat_id, seen in self._seen.items():
            for message in await self.people.messages(chat_id, sender="bot"):
                edits = len(message.history)
                if message.id not in seen:
                    seen[message.id] = edits
                    self.bot_messages += 1
                    self.say(now, f"🤖 → {self.names[chat_id]}: {self._describe(message)}")
                elif edits > seen[message.id]:
                    seen[message.id] = edits
                    self.say(now, f"🤖 ✎ {self.names[chat_id]}: {self._describe(message)}")

    @staticmethod
    def _describe(message: ChatMessage) -> str:
        if message.document:
            return f"📎 {message.document.get('file_name', 'tệp')}"
        if message.photo:
            return "🖼 biểu đồ"
        return first_line(message.text)

    def close(self) -> None:
        self._log.close()
