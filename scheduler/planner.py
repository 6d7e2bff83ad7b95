"""What is due when: pure functions from plain facts about a plan to timed sends (no database, no clock).

Each `Due` is one intended send before its recipients are resolved: a cutoff reminder for a unit, a
deadline reminder for a task's lead unit, an escalation, a summary, and where the plan states a deadline per level
of a report aggregated upward (Nghị định 09/2019/NĐ-CP), a reminder to each level's sender before that level's own
deadline to report upward (the coordinator for the first level). `planning.py` turns them into outbox
rows, one per chat, and `render.py` decides at send time what each says (or drops it).

One message a morning to the coordinator about a period: when its last-day reminder to report upward (d1 of the
first level) falls on the day the units' lateness is escalated to it, the escalation is not planned and the
upward reminder carries it (`Due.escalated`): both would list the same units not reported, and the upward one also
says what the coordinator must do that day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.base.clock import VN_TZ
from bot.calendar import (
    is_working_day,
    next_working_day,
    shortest_per_cutoff,
    working_days_after,
    working_days_before,
)
from scheduler.settings import NudgeSettings

KINDS = ("cutoff", "deadline", "escalation", "summary", "ad_hoc", "manual", "upward")
UPWARD_RECIPIENT = "cấp trên"  # a level whose recipient the plan does not name


@dataclass(frozen=True)
class LevelFact:
    """A level above the units (`bot.calendar.Level`) in one period: who sends the report up, to whom, by when."""

    sender: str
    recipient: str | None
    last_day: date  # the last day to send it up


@dataclass(frozen=True)
class PeriodFact:
    id: int
    key: str
    kind: str  # Frequency value; "ad_hoc" for requests
    start: date
    end: date
    cutoff: date  # the first late day
    label: str
    levels: tuple[LevelFact, ...] = ()  # lowest first; the first is the coordinator's (it collects the units')


@dataclass(frozen=True)
class TaskFact:
    id: int
    code: str
    deadlines: tuple[date, ...]
    lead_unit_ids: tuple[int, ...]


@dataclass(frozen=True)
class PlanFacts:
    plan_id: int
    settings: NudgeSettings
    periods: tuple[PeriodFact, ...]
    tasks: tuple[TaskFact, ...]

    @property
    def lead_unit_ids(self) -> tuple[int, ...]:
        return tuple(sorted({u for t in self.tasks for u in t.lead_unit_ids}))


@dataclass(frozen=True)
class Due:
    """One timed send for a plan, before its recipients (chats) are resolved."""

    at: datetime  # aware, UTC
    kind: str  # cutoff | deadline | escalation | summary | ad_hoc | upward
    plan_id: int
    step: str  # d7 | d3 | d1 | head | coordinator | preview | final | late-2026-06-08
    period: PeriodFact | None = None
    task: TaskFact | None = None
    unit_id: int | None = None  # None: addressed to the coordinator
    deadline: date | None = None
    recipient: str | None = None  # upward: whom the level's sender reports to
    level: int = 0  # upward: which level above the units (0: the coordinator's, collecting the units' reports)
    sender: str | None = None  # upward, levels 1+: who sends that level up, as the plan writes it
    escalated: date | None = None  # upward: also tells the units' lateness (their last day), escalated that day

    def to_json(self, tz: ZoneInfo = VN_TZ) -> dict[str, object]:
        return {
            "at": self.at.astimezone(tz).isoformat(), "kind": self.kind, "step": self.step, "plan_id": self.plan_id,
            "period": self.period.key if self.period else None, "task": self.task.code if self.task else None,
            "task_id": self.task.id if self.task else None, "unit_id": self.unit_id,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            **({"recipient": self.recipient, "level": self.level + 1, "sender": self.sender}
               if self.kind == "upward" else {}),
        }


def local_instant(day: date, hhmm: str, tz: ZoneInfo = VN_TZ) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


def nudged_periods(periods: tuple[PeriodFact, ...] | list[PeriodFact]) -> list[PeriodFact]:
    """The periods that get nudges: per cutoff date the shortest calendar period (the one staff report for,
    `bot.calendar.shortest_per_cutoff`, the rule `collecting_period` applies too), plus every ad hoc request."""
    chosen = [p for p in periods if p.kind == "ad_hoc"] + shortest_per_cutoff(periods)
    return sorted(chosen, key=lambda p: (p.cutoff, p.key))


def plan_dues(facts: PlanFacts, start: date, end: date, tz: ZoneInfo = VN_TZ) -> list[Due]:
    """Every send of the plan whose local day lies in [start, end], in time order."""
    cfg = facts.settings
    dues: list[Due] = []
    units = facts.lead_unit_ids
    for period in nudged_periods(facts.periods):
        kind = "ad_hoc" if period.kind == "ad_hoc" else "cutoff"
        offsets = cfg.ad_hoc_offsets if kind == "ad_hoc" else cfg.cutoff_offsets
        for offset in offsets:
            day = working_days_before(period.cutoff, offset)
            if offset == 0:
                day = next_working_day(period.cutoff)
            elif period.kind == "weekly" and day < period.start:
                continue  # a week's report is not asked for during the week before
            dues += [Due(local_instant(day, cfg.send_time, tz), kind, facts.plan_id, f"d{offset}", period,
                         unit_id=u) for u in units]
        cutoff_day = next_working_day(period.cutoff)
        dues += [Due(local_instant(cutoff_day, cfg.escalation_time, tz), "escalation", facts.plan_id, "head",
                     period, unit_id=u) for u in units]
        upward = upward_dues(facts, period, tz)
        carried = [i for i, d in enumerate(upward)
                   if d.level == 0 and d.step == "d1" and d.at.astimezone(tz).date() == cutoff_day]
        if carried:  # one message that morning, not two (see the module)
            upward[carried[0]] = replace(upward[carried[0]], escalated=period.cutoff - timedelta(days=1))
        else:
            dues.append(Due(local_instant(cutoff_day, cfg.escalation_time, tz), "escalation", facts.plan_id,
                            "coordinator", period))
        dues += upward
        dues.append(Due(local_instant(working_days_before(period.cutoff, 1), cfg.preview_time, tz), "summary",
                        facts.plan_id, "preview", period))
        dues.append(Due(local_instant(cutoff_day, cfg.summary_time, tz), "summary", facts.plan_id, "final", period))
        for n in range(cfg.late_digest_days):
            day = working_days_after(cutoff_day, n)
            if period.kind == "weekly" and day >= next_working_day(period.cutoff + timedelta(days=7)):
                break  # the next week's digest takes over
            dues.append(Due(local_instant(day, cfg.late_digest_time, tz), "summary", facts.plan_id,
                            f"late-{day.isoformat()}", period))
    for task in facts.tasks:
        for deadline in task.deadlines:
            for offset in cfg.deadline_offsets:
                day = working_days_before(deadline, offset)
                dues += [Due(local_instant(day, cfg.send_time, tz), "deadline", facts.plan_id, f"d{offset}",
                             task=task, unit_id=u, deadline=deadline) for u in task.lead_unit_ids]
    chosen = [d for d in dues if start <= d.at.astimezone(tz).date() <= end]
    return sorted(chosen, key=lambda d: (d.at, d.kind, d.step, d.unit_id or 0, d.task.id if d.task else 0))


def upward_dues(facts: PlanFacts, period: PeriodFact, tz: ZoneInfo = VN_TZ) -> list[Due]:
    """Each level's reminders before its own deadline to report the period upward: `upward_offsets` working days
    before the day after its last day, so a last day on a weekend or a holiday is reminded on the working days before
    it. The first level is the coordinator's (it collects the units' reports, step "d2"); a level above it is sent up
    by the body that received the level below ("UBND huyện báo cáo UBND tỉnh"), step "L2-d2" for the second level,
    with that body's name as its sender (`planning.due_targets` finds its chats)."""
    dues = []
    for index, level in enumerate(period.levels):
        first_late = level.last_day + timedelta(days=1)
        prefix = f"L{index + 1}-" if index else ""
        dues += [Due(local_instant(working_days_before(first_late, offset), facts.settings.send_time, tz), "upward",
                     facts.plan_id, f"{prefix}d{offset}", period, deadline=level.last_day,
                     recipient=level.recipient or UPWARD_RECIPIENT, level=index,
                     sender=level.sender if index else None)
                 for offset in facts.settings.upward_offsets if offset > 0]
    return dues


def in_window(when: datetime, settings: NudgeSettings, tz: ZoneInfo = VN_TZ) -> bool:
    """May a message go out at `when`: a working day, between window_start and window_end local time."""
    local = when.astimezone(tz)
    if not is_working_day(local.date()):
        return False
    return settings.at("window_start") <= local.time() < settings.at("window_end")


def next_window_open(when: datetime, settings: NudgeSettings, tz: ZoneInfo = VN_TZ) -> datetime:
    """The first instant at or after `when` at which a message may go out."""
    if in_window(when, settings, tz):
        return when
    local = when.astimezone(tz)
    day = local.date()
    if local.time() >= settings.at("window_start"):
        day += timedelta(days=1)
    return local_instant(next_working_day(day), settings.window_start, tz)
