"""Ad hoc ("đột xuất") requests and manual nudges: a coordinator asks, the outbox does the rest.

`create_request` adds an ad hoc period (key ADHOC-<n>, cutoff = the deadline) and queues its first nudge
now; the planner then nudges it like any period (3 and 1 working days before, escalation, summaries).
`queue_manual_nudge` nudges the units still missing for the collecting period, once per minute at most.
The chat steps that call these (/nhacnho, /yeucau) are in handlers/nudge.py and handlers/request.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.clock import VN_TZ
from bot.base.errors import UserError
from bot.periods import as_period, collecting_period
from bot.readers.dates import find_dates
from scheduler.planner import Due, PeriodFact, in_window, next_window_open
from scheduler.planning import rows_for
from scheduler.render import missing_units
from scheduler.settings import NudgeSettings
from storage import tally
from storage.models import Plan, ReportingPeriodRow
from storage.outbox import add_rows

MAX_REQUEST_TEXT = 1000


@dataclass(frozen=True)
class Queued:
    period_key: str
    period_label: str
    units: int
    later: datetime | None  # when the messages will go, if not now (outside the sending window)


def _fact(row: ReportingPeriodRow) -> PeriodFact:
    assert row.id is not None
    return PeriodFact(row.id, row.key, row.kind, row.start, row.end, row.cutoff, as_period(row).label_vi())


def _queue(session: Session, plan: Plan, period: ReportingPeriodRow, kind: str, step: str, now: datetime,
           tz: ZoneInfo) -> Queued:
    assert plan.id is not None
    missing, _total = missing_units(session, plan.id, period)
    rows = []
    for unit_id, _count in missing:
        rows += rows_for(session, plan, Due(now, kind, plan.id, step, _fact(period), unit_id=unit_id))
    add_rows(session=session, rows=rows, now=now)
    settings = NudgeSettings.from_plan(plan.settings)
    later = None if in_window(now, settings, tz) else next_window_open(now, settings, tz)
    return Queued(period.key, as_period(period).label_vi(), len(missing), later)


def create_request(*, session: Session, plan_id: int, deadline: date, text: str, now: datetime,
                   tz: ZoneInfo = VN_TZ) -> Queued:
    """A new ad hoc period ADHOC-<n> with cutoff = deadline, and its first nudge queued now."""
    text = " ".join(text.split())
    today = now.astimezone(tz).date()
    if not text:
        raise UserError(msg.REQUEST_NO_TEXT)
    if len(text) > MAX_REQUEST_TEXT:
        raise UserError(f"Nội dung yêu cầu quá dài (tối đa {MAX_REQUEST_TEXT} ký tự).")
    if deadline < today:
        raise UserError(msg.REQUEST_PAST.format(deadline=msg.fmt_date(deadline)))
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UserError("Không tìm thấy kế hoạch.")
    before = tally.periods_of(session, plan_id=plan_id)
    for _attempt in range(5):
        keys = session.exec(select(ReportingPeriodRow.key).where(
            ReportingPeriodRow.plan_id == plan_id, ReportingPeriodRow.kind == "ad_hoc")).all()
        number = 1 + max((int(k.split("-")[1]) for k in keys if k.split("-")[-1].isdigit()), default=0)
        row = ReportingPeriodRow(plan_id=plan_id, key=f"ADHOC-{number}", kind="ad_hoc", start=today, end=deadline,
                                 cutoff=deadline, request_text=text, created_at=now)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
                # the new period's lines counted (and any period whose previous one it becomes)
                tally.refresh_periods(session, plan_id=plan_id, before=before, touched={row.id} if row.id else set())
            break
        except IntegrityError:  # another request took this number: count again
            continue
    else:
        raise UserError("Không tạo được yêu cầu lúc này; vui lòng thử lại.")
    return _queue(session, plan, row, "ad_hoc", "now", now, tz)


def queue_manual_nudge(*, session: Session, plan_id: int, now: datetime, tz: ZoneInfo = VN_TZ) -> Queued:
    """Nudge now every unit still missing for the collecting period (a double tap in the same minute is one)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UserError("Không tìm thấy kế hoạch.")
    period = collecting_period(session=session, plan=plan, today=now.astimezone(tz).date(), now=now)
    step = f"m{now.astimezone(tz):%Y%m%d%H%M}"
    return _queue(session, plan, period, "manual", step, now, tz)


def read_deadline(text: str, today: date) -> date:
    """A request's deadline as written ("30/11", "30/11/2026", "2026-11-30"); a day without a year is in this
    year. The one reading for the chat and the CLI; `create_request` refuses a past day for both."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    dates = find_dates(text, default_year=today.year)
    if not dates:
        raise UserError(msg.REQUEST_BAD_DATE.format(text=msg.escape(text)))
    return dates[0]


def parse_request_args(args: tuple[str, ...] | list[str], today: date) -> tuple[date, str]:
    """"30/11 Báo cáo nhanh ..." -> (30/11 of this year; the text)."""
    if not args:
        raise UserError(msg.REQUEST_USAGE)
    return read_deadline(args[0], today), " ".join(args[1:])
