"""The simulated people of the demo and how each unit behaves when nudged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# How a unit answers its nudges; assigned to units in this order, round robin.
BEHAVIOURS = ("buttons", "reply", "blocked", "late", "unclear", "silent")

FIRST_NAMES = ("Lan", "Minh", "Hà", "Tuấn", "Hương", "Dũng", "Thảo", "Nam", "Linh", "Quang", "Mai", "Sơn")

# Typical short replies, written the way staff type them (often without diacritics).
REPLIES = {
    "reply": ("dang lam 60% du kien xong 20/6", "Đã hoàn thành, đã đăng 3 tin bài ạ", "xong roi a"),
    "blocked": ("vướng: chưa có kinh phí", "Chua trien khai do chua co huong dan cua So"),
    "late": ("ht", "da xong 100%", "Hoàn thành"),
    "unclear": ("ok",),
}


@dataclass
class Persona:
    """One unit's people: a staff member answering nudges, and the unit's head (escalations)."""

    unit: str
    behaviour: str
    staff: str
    head: str
    staff_id: int = 0
    head_id: int = 0
    chat_id: int = 0  # where the unit's nudges arrive (the staff member's private chat)
    handled: set[int] = field(default_factory=set)  # task cards already answered
    first_reply: tuple[Any, date] | None = None  # (the message, the day it was sent), for the edit
    edited: bool = False

    def label(self) -> str:
        return f"{self.staff} ({self.unit})"


def cast(units: list[str]) -> list[Persona]:
    names = iter(FIRST_NAMES * (2 + len(units) // len(FIRST_NAMES)))
    return [Persona(unit=u, behaviour=BEHAVIOURS[i % len(BEHAVIOURS)], staff=next(names), head=f"Trưởng {next(names)}")
            for i, u in enumerate(units)]
