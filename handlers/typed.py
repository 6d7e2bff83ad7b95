"""The conversation on a platform without buttons and reply-to (Zalo): everything arrives as typed text.

The connector (bot/adapters/zalo.py) looks a typed "/tonghop Q2", "/start CODE" ("@bot" suffix allowed) up in the
route table's commands, the same steps Telegram runs (`unknown_command` answers a name no route has); everything
else goes to `handle_typed`:
- a bare invite code -> joining, as "/start CODE";
- else it knows which task a reply is about from
  - a task code at the start: "NV3 xong", "NV 3: đang làm 60%", "3: đang làm 60%";
  - else the last card the bot sent to this chat (in a group: to this person, or to the whole group);
  and reads "1".."4" as the card's numbered answers (the buttons, as `present` numbered them), "5" as skip on
  a guided card, "hoàn tác" as the undo button of the last confirmation. When it cannot know, it asks with the
  unit's open tasks by code. In a group it stays silent unless it is addressed (a code, a number, a readable
  status for the last card): people talk about other things in groups.
Flood control is Telegram's rule (bot/chat/flood.py): a typed report on a task is never refused; a numbered
answer or "hoàn tác" (Telegram's buttons), a bare invite code (its /start) and every other answer are, per
person, checked before anything is done; silence in a group costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.base.text import fold
from bot.chat import flood
from bot.chat.context import ChatDeps, resolve_actor
from bot.chat.service import Step
from bot.periods import collecting_period, unit_task_lines
from bot.readers.status import read_reply
from handlers.importing import typed_leave_out
from handlers.report import handle_button, report_on_task, unit_task_by_code
from handlers.routes import Route
from handlers.start import handle_start
from storage.members import invite_exists
from storage.reports import active_plans, last_link

_UNDO_WORDS = {"hoan tac", "huy", "huy bao cao", "undo"}
_NUMBER = re.compile(r"^([1-5])\s*[.)]?$")
_CODE = r"(?P<code>[0-9a-z]+(?:\.[0-9a-z]+)*)"
_WITH_PREFIX = re.compile(rf"^nv\s*{_CODE}(?:\s*[:.)\-–]\s*|\s+)(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
_WITH_COLON = re.compile(rf"^{_CODE}\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
_INVITE = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
STATUS_ORDER = tuple(code for code, _ in msg.BUTTON_STATUS)  # the numbered answers: 1 done ... 4 blocked
ASK_LIST = 12


def unknown_command(name: str) -> Step:
    """The answer to a typed "/name" no route has: a hint in a private chat, silence in a group."""
    def step(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
        if event.chat_type != "private":
            return []
        return [Outgoing(text=msg.TYPED_UNKNOWN_COMMAND.format(name=msg.escape(name[:30])))]
    return step


def handle_typed(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    text = event.text.strip()
    group = event.chat_type != "private"

    def unless_flooding(then: Callable[[], list[Outgoing]]) -> list[Outgoing]:
        refused = flood.refusal(deps.flood, event)
        return then() if refused is None else refused

    if not text:  # a sticker, a photo: the bot reads only text
        return [] if group else unless_flooding(lambda: [Outgoing(text=msg.TYPED_TEXT_ONLY)])
    if _INVITE.match(text) and invite_exists(session=session, code=text):
        return unless_flooding(lambda: handle_start(session, deps, replace(event, args=(text,))))
    actor = resolve_actor(session=session, event=event)
    if actor.member is None:
        return [] if group else unless_flooding(lambda: [Outgoing(text=msg.STRANGER)])
    person = event.user_id if group else None
    if fold(text).rstrip(".!") in _UNDO_WORDS:
        return unless_flooding(lambda: _undo(session, deps, event, person))
    if not group and (typed := typed_leave_out(session, deps, event)) is not None:  # "bỏ 2 3" at a plan preview
        return typed
    coded = _WITH_PREFIX.match(text) or _WITH_COLON.match(text)
    if coded and actor.chat_unit_id is not None:
        task = unit_task_by_code(session, actor.chat_unit_id, coded.group("code"))
        if task is not None and task.id is not None:  # the period of the card about it, if one was sent
            card = last_link(session=session, platform=event.platform, chat_id=event.chat_id, user_id=person,
                             task_id=task.id)
            return report_on_task(session, deps, replace(event, text=coded.group("rest").strip()), task_id=task.id,
                                  period_id=card.period_id if card else None)
        if _WITH_PREFIX.match(text):
            code = msg.escape(coded.group("code"))
            return unless_flooding(lambda: [Outgoing(text=msg.REPORT_CODE_UNKNOWN.format(code=code))])
    link = last_link(session=session, platform=event.platform, chat_id=event.chat_id, user_id=person)
    number = _NUMBER.match(text)
    if link is not None and link.task_id is not None and link.period_id is not None and number:
        choice = int(number.group(1))
        if choice <= len(STATUS_ORDER):
            data = f"s|{link.task_id}|{link.period_id}|{STATUS_ORDER[choice - 1]}"
        elif link.kind == "guided":
            data = f"k|{link.task_id}|{link.period_id}"
        else:
            data = ""
        if data:
            pressed = replace(event, text=data, message_id=link.message_id)
            return unless_flooding(lambda: handle_button(session, deps, pressed))
    if link is not None and link.task_id is not None:
        if group and link.user_id is None and read_reply(text, today=deps.today()).status == "unknown":
            return []  # group chatter after a nudge: not necessarily about the task
        return report_on_task(session, deps, event, task_id=link.task_id, period_id=link.period_id,
                              link_kind=link.kind, link_report_id=link.report_id)
    if group:
        return []
    return unless_flooding(lambda: [_ask_which_task(session, deps, actor.chat_unit_id)])


def _undo(session: Session, deps: ChatDeps, event: Incoming, person: str | None) -> list[Outgoing]:
    """"hoàn tác": the undo button of the last confirmation in this chat (to this person, in a group)."""
    link = last_link(session=session, platform=event.platform, chat_id=event.chat_id, user_id=person,
                     kinds=("confirmation",))
    if link is None or link.report_id is None:
        return [Outgoing(text=msg.TYPED_NOTHING_TO_UNDO)]
    return handle_button(session, deps, replace(event, text=f"u|{link.report_id}", message_id=link.message_id))


def _ask_which_task(session: Session, deps: ChatDeps, unit_id: int | None) -> Outgoing:
    if unit_id is None:
        return Outgoing(text=msg.TYPED_NO_CARD)
    tasks: list[tuple[str, str]] = []
    for plan in active_plans(session=session):
        assert plan.id is not None
        period = collecting_period(session=session, plan=plan, today=deps.today(), now=deps.now())
        tasks += [(line.task.code, line.task.title)
                  for line in unit_task_lines(session=session, plan_id=plan.id, unit_id=unit_id, period=period)]
    if not tasks:
        return Outgoing(text=msg.NO_TASKS)
    return Outgoing(text=msg.which_task(tasks[:ASK_LIST], more=max(0, len(tasks) - ASK_LIST)))


# Text-only platforms (Zalo): everything that is not a typed command; a typed report on a task is never refused.
ROUTES = (Route("typed", handle_typed, guarded=False),)
