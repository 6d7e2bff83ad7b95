"""The task card: a task, its period and its standing report as one message with the status buttons.

The same card answers /baocao in the chat and goes out in a nudge, so it sits below both (handlers/, scheduler/).
"""

from __future__ import annotations

from bot.base import messages as msg
from bot.base.buttons import SkipPress, status_buttons
from bot.base.chat import Button, Link, Outgoing
from bot.periods import as_period
from storage.models import ReportingPeriodRow, StatusReport, Task


def card(task: Task, period: ReportingPeriodRow, report: StatusReport | None, *, kind: str = "task_card",
         unit_id: int | None = None, reply_to: str | None = None) -> Outgoing:
    assert task.id is not None and period.id is not None
    buttons = status_buttons(task.id, period.id)
    if kind == "guided":
        buttons.append([Button(msg.BUTTON_SKIP, SkipPress(task.id, period.id).data)])
    return Outgoing(
        text=msg.task_card(code=task.code, title=task.title, deadlines=task.deadlines, recurrence=task.recurrence,
                           period_label=as_period(period).label_vi(), status=report.status if report else None,
                           product=task.product),
        buttons=buttons, reply_to=reply_to,
        link=Link(task_id=task.id, period_id=period.id, unit_id=unit_id, kind=kind),
    )
