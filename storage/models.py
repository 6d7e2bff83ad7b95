"""The tables: the database is the system of record for units, plans, tasks, reports and the outbox."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Role(StrEnum):
    STAFF = "staff"
    HEAD = "head"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class AssignmentRole(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"


class Status(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"
    RETRACTED = "retracted"  # an undo: the previous version no longer stands


REPORTED_KINDS = ("task", "target")  # the kinds of Task that are reported on (group rows, "section", are not)

# A standing report that names a blocker, as SQL over statusreport's columns: the condition of the partial index
# ix_report_blocked, which a query must repeat as written for the index to serve it.
BLOCKED_STANDING_SQL = "current AND (status = 'blocked' OR blocker IS NOT NULL)"
BLOCKED_STANDING = text(BLOCKED_STANDING_SQL)


class NudgeState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


def _utc_column(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _json_column(default: Any) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class Unit(SQLModel, table=True):
    """A department, office or commune: the thing that leads or supports tasks and reports."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, unique=True)
    normalized_name: str = Field(max_length=300, index=True)
    kind: str | None = Field(default=None, max_length=40)  # sở, phòng, xã, ban, ...
    parent_id: int | None = Field(default=None, foreign_key="unit.id")
    head: str | None = Field(default=None, max_length=200)  # who heads it, as the directory file says
    created_at: datetime | None = _utc_column(nullable=False)
    # set when a unit with history is removed: kept for its reports, no longer resolved, listed or nudged
    archived_at: datetime | None = _utc_column()


class UnitAlias(SQLModel, table=True):
    """Another name a unit goes by: an abbreviation (TCHCQT, KH&CN) or a variant spelling."""

    __table_args__ = (UniqueConstraint("normalized_alias", name="uq_unitalias_normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    alias: str = Field(max_length=300)
    normalized_alias: str = Field(max_length=300)


class UnitGroup(SQLModel, table=True):
    """A group name used as an assignee ("Các sở, ban, ngành", "UBND cấp xã")."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, unique=True)
    normalized_name: str = Field(max_length=300, unique=True)


class UnitGroupMember(SQLModel, table=True):
    group_id: int = Field(foreign_key="unitgroup.id", primary_key=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, ondelete="CASCADE")


class Plan(SQLModel, table=True):
    """A "Kế hoạch": its appendix becomes tasks; its body gives the reporting regimes."""

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, max_length=100, index=True)  # "125/KH-UBND"
    title: str = Field(max_length=1000)
    issuer: str | None = Field(default=None, max_length=300)
    year: int
    coordinator_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    regimes: list[dict[str, Any]] = _json_column(list)  # [Regime.to_dict(), ...]
    settings: dict[str, Any] = _json_column(dict)  # per-plan nudge offsets and the like
    active: bool = Field(default=True)
    source_name: str | None = Field(default=None, max_length=300)
    created_at: datetime | None = _utc_column(nullable=False)
    updated_at: datetime | None = _utc_column(nullable=False)


class Task(SQLModel, table=True):
    """One row of a plan's appendix: a task, a numeric target, or a group row above sub-tasks."""

    # ix_task_plan_position: a plan's tasks in plan order (position, then id: the rowid on SQLite), which the
    # overview's first overdue lines are read in and stop at (storage.summary.marked_tasks)
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_task_plan_code"),
                      Index("ix_task_plan_position", "plan_id", "position", "id"))

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=40)  # "II.1.2", "3", "T5" ...
    kind: str = Field(default="task", max_length=10)  # task | target | group
    appendix: str | None = Field(default=None, max_length=100)
    section: str | None = Field(default=None, max_length=500)
    parent_code: str | None = Field(default=None, max_length=40)
    position: int = Field(default=0)
    title: str
    product: str | None = None
    timeframe_raw: str | None = None
    deadlines: list[str] = _json_column(list)  # ISO dates, in order
    recurrence: str = Field(default="unspecified", max_length=20)
    completed: bool = Field(default=False)
    active: bool = Field(default=True)  # False when a re-import no longer lists it (reports are kept)
    # The unit names as the plan wrote them, resolved or not: assignments are recomputed from these whenever the
    # directory changes (an alias, a merge, a group filled). None on tasks imported before they were kept.
    lead_names: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    support_names: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime | None = _utc_column(nullable=False)
    updated_at: datetime | None = _utc_column(nullable=False)


class TaskAssignment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "role", name="uq_assignment"),
        Index("ix_assignment_unit_role", "unit_id", "role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    role: str = Field(max_length=10)  # AssignmentRole
    via_group: str | None = Field(default=None, max_length=300)


class ReportingPeriodRow(SQLModel, table=True):
    """A period a plan collects reports for: calendar periods and ad hoc ("đột xuất") requests."""

    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("plan_id", "key", name="uq_period_plan_key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=40)  # "2026-Q2", "2026-H1", "2026", "ADHOC-3"
    kind: str = Field(max_length=20)  # Frequency
    start: date
    end: date
    cutoff: date = Field(index=True)
    request_text: str | None = None  # for ad hoc requests
    created_at: datetime | None = _utc_column(nullable=False)


class Member(SQLModel, table=True):
    """A person on a chat platform, bound to a unit with a role."""

    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_member_platform_user"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="telegram", max_length=20)
    user_id: str = Field(max_length=64)
    display_name: str | None = Field(default=None, max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    role: str = Field(default="staff", max_length=20)  # Role
    active: bool = Field(default=True)
    joined_at: datetime | None = _utc_column()


class ChatBinding(SQLModel, table=True):
    """A chat (private or group) where a unit's or a coordinator's messages go."""

    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "unit_id", "role", name="uq_binding"),
        Index("ix_binding_unit_active", "unit_id", "active"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="telegram", max_length=20)
    chat_id: str = Field(max_length=64)
    chat_type: str = Field(default="private", max_length=20)  # private | group | supergroup
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    role: str = Field(default="staff", max_length=20)  # Role
    active: bool = Field(default=True)
    inactive_reason: str | None = None
    created_at: datetime | None = _utc_column(nullable=False)


class Invite(SQLModel, table=True):
    """A single-use, expiring code that binds a person or a group chat to a unit and a role."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    role: str = Field(max_length=20)
    created_by: str | None = Field(default=None, max_length=100)
    created_at: datetime | None = _utc_column(nullable=False)
    expires_at: datetime | None = _utc_column(nullable=False)
    used_at: datetime | None = _utc_column()
    used_by: str | None = Field(default=None, max_length=100)


class InviteFailure(SQLModel, table=True):
    """A /start whose code could not be used (unknown, used or expired), kept to stop people guessing codes."""

    __table_args__ = (Index("ix_invitefailure_sender", "platform", "user_id", "failed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="telegram", max_length=20)
    user_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    reason: str = Field(max_length=20)  # unknown | used | expired: recorded, never told to the sender
    failed_at: datetime | None = _utc_column(nullable=False)


class StatusReport(SQLModel, table=True):
    """Append-only: each reply or button press adds a version; the latest version stands."""

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "period_id", "version", name="uq_report_version"),
        Index("ix_report_lookup", "task_id", "unit_id", "period_id", "version"),
        Index("ix_report_period", "period_id", "unit_id"),
        Index("ix_report_message", "platform", "chat_id", "message_id"),
        # the standing reports of a period; with status, task and unit it also answers "done before" alone
        Index("ix_report_current", "period_id", "current", "status", "task_id", "unit_id"),
        # the standing reports that name a blocker: "newly blocked" compares against the previous period's
        Index("ix_report_blocked", "period_id", "task_id", "unit_id", sqlite_where=BLOCKED_STANDING,
              postgresql_where=BLOCKED_STANDING),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    period_id: int | None = Field(default=None, foreign_key="reporting_period.id", ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    version: int = Field(default=1)
    status: str = Field(max_length=20)  # Status
    percent: int | None = None
    expected_date: date | None = None
    blocker: str | None = None
    note: str | None = None
    quantities: list[dict[str, Any]] = _json_column(list)
    document_ref: str | None = Field(default=None, max_length=64)  # "123/BC-UBND" when a letter is cited
    caveat: str | None = None  # what the reply reader adjusted ("vượt kế hoạch: 120%, ghi nhận 100%")
    raw_text: str | None = None
    source: str = Field(default="reply", max_length=20)  # button | reply | edit | undo | import
    platform: str | None = Field(default=None, max_length=20)
    chat_id: str | None = Field(default=None, max_length=64)
    message_id: str | None = Field(default=None, max_length=64)
    late: bool = Field(default=False)
    # True on the standing (highest) version of its (task, unit, period), False on the versions it replaced:
    # set by storage.reports.record_status in the same transaction; any other writer must maintain it too.
    current: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime | None = _utc_column(nullable=False)


class InboundMessage(SQLModel, table=True):
    """A journal of what people sent the bot: kept whatever it said, and the key to idempotent handling
    (an update delivered twice after a crash is recognised and not applied twice)."""

    __table_args__ = (
        UniqueConstraint("platform", "update_key", name="uq_inbound_update"),
        Index("ix_inbound_chat_message", "platform", "chat_id", "message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="telegram", max_length=20)
    update_key: str = Field(max_length=100)  # e.g. "msg:<chat>:<message_id>:<edit_date>" or "cb:<callback id>"
    chat_id: str = Field(max_length=64)
    message_id: str | None = Field(default=None, max_length=64)
    user_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=20)  # reply | edit | button | command | document
    text: str | None = None
    # recorded | asked | refused | note | ignored; an uploaded file's entry ("file:<chat>:<file id>"):
    # reading | previewed | too_complex (see handlers.importing.claim_upload)
    outcome: str | None = Field(default=None, max_length=40)
    report_id: int | None = Field(default=None, foreign_key="statusreport.id", ondelete="SET NULL")
    received_at: datetime | None = _utc_column(nullable=False)


class MessageLink(SQLModel, table=True):
    """What a message the bot sent is about, so that a reply to it can be tied to a task and period."""

    __table_args__ = (UniqueConstraint("platform", "chat_id", "message_id", name="uq_message_link"),
                      Index("ix_messagelink_chat_created", "platform", "chat_id", "created_at"))

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="telegram", max_length=20)
    chat_id: str = Field(max_length=64)
    message_id: str = Field(max_length=64)
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE")
    period_id: int | None = Field(default=None, foreign_key="reporting_period.id", ondelete="CASCADE")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="CASCADE")
    kind: str = Field(default="task_card", max_length=20)  # task_card | nudge | confirmation | question
    report_id: int | None = Field(default=None, foreign_key="statusreport.id", ondelete="SET NULL")
    # in a group, the person a step's message answered (None: the whole chat, e.g. a nudge): platforms without
    # reply-to read a typed answer against the last card sent to that chat and that person
    user_id: str | None = Field(default=None, max_length=64)
    created_at: datetime | None = _utc_column(nullable=False)


class Nudge(SQLModel, table=True):
    """The outbox: one row per intended message, planned before it is sent, claimed atomically."""

    __table_args__ = (
        Index("ix_nudge_state_due", "state", "due_at"),
        Index("ix_nudge_unit", "unit_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)  # e.g. "cutoff:plan1:2026-Q2:unit7:d7:chat-123"
    kind: str = Field(max_length=20)  # cutoff | deadline | escalation | summary | ad_hoc | manual
    plan_id: int | None = Field(default=None, foreign_key="plan.id", ondelete="CASCADE")
    period_id: int | None = Field(default=None, foreign_key="reporting_period.id", ondelete="CASCADE")
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="CASCADE")
    platform: str = Field(default="telegram", max_length=20)
    chat_id: str = Field(max_length=64)
    due_at: datetime | None = _utc_column(nullable=False)
    state: str = Field(default="pending", max_length=20)  # NudgeState
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_at: datetime | None = _utc_column()
    sent_at: datetime | None = _utc_column()
    message_id: str | None = Field(default=None, max_length=64)
    last_error: str | None = None
    payload: dict[str, Any] = _json_column(dict)
    created_at: datetime | None = _utc_column(nullable=False)


class SummaryPush(SQLModel, table=True):
    """A summary sent (or to be sent) to a coordinator's chat: preview, final, or daily changes."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE")
    period_id: int | None = Field(default=None, foreign_key="reporting_period.id", ondelete="CASCADE")
    kind: str = Field(max_length=20)  # preview | final | daily | on_demand
    platform: str = Field(default="telegram", max_length=20)
    chat_id: str = Field(max_length=64)
    state: str = Field(default="pending", max_length=20)
    due_at: datetime | None = _utc_column(nullable=False)
    sent_at: datetime | None = _utc_column()
    message_ids: list[str] = _json_column(list)
    files: list[str] = _json_column(list)
    last_error: str | None = None
    created_at: datetime | None = _utc_column(nullable=False)


class SendBudget(SQLModel, table=True):
    """A bot's shared sending budget: the next instant (epoch seconds) a message of it may go (storage.budget)."""

    bucket: str = Field(primary_key=True, max_length=80)
    next_at: float


class WebLink(SQLModel, table=True):
    """A one-time sign-in link for the web pages: who it signs in as, until when; only a hash of its token."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)  # sha256 hex of the token in the link
    role: str = Field(max_length=20)  # Role
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="CASCADE")
    created_by: str | None = Field(default=None, max_length=100)
    created_at: datetime | None = _utc_column(nullable=False)
    expires_at: datetime | None = _utc_column(nullable=False)
    used_at: datetime | None = _utc_column()


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds the token, the database only its hash."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    link_id: int | None = Field(default=None, foreign_key="weblink.id", ondelete="SET NULL")
    role: str = Field(max_length=20)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="CASCADE")
    created_at: datetime | None = _utc_column(nullable=False)
    last_seen_at: datetime | None = _utc_column(nullable=False)
    expires_at: datetime | None = _utc_column(nullable=False)  # the absolute limit, whatever the activity
    ended_at: datetime | None = _utc_column()  # signed out


class LineTally(SQLModel, table=True):
    """Counters kept at write time (storage.tally): a period's lines of one lead unit counted in groups by what
    the summary's rules look at (recurrence, completed, done in an earlier period, the deadline set, the standing
    report's status, late flag and member); unit_id None groups the tasks no lead unit answers for. Rewritten for
    the units a write touches, in the write's transaction; read by the summary's aggregate path instead of
    grouping 100,000 lines on every first view."""

    # the summary's grouping order (storage.summary.tallied_counts walks it, covered, instead of sorting); its
    # (period_id, unit_id) prefix serves the writes' rewrites of a unit's rows
    __table_args__ = (Index("ix_linetally_groups", "period_id", "unit_id", "recurrence", "completed", "done_class",
                            "status", "late", "member_id", "deadlines", "lines", "first_line"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    period_id: int = Field(foreign_key="reporting_period.id", ondelete="CASCADE")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="CASCADE")
    recurrence: str = Field(max_length=20)
    completed: bool
    done_class: int  # 0: not done earlier; 1: done in an earlier period; 2: done by the previous period's cutoff
    deadlines: str  # Task.deadlines as JSON text, the key the overdue rule is judged on when the tally is read
    status: str | None = Field(default=None, max_length=20)  # of the standing report; None: no report
    late: bool | None = None
    member_id: int | None = None  # who sent the standing report (names are read when the summary is built)
    lines: int
    first_line: int = Field(sa_column=Column(BigInteger, nullable=False))  # min position * 2**32 + task id


class PeriodTally(SQLModel, table=True):
    """A period whose LineTally rows are complete (written whole by storage.tally.refresh_plan, then kept by
    every write), with the plan's counter of its lines; without it the summary groups the lines itself."""

    period_id: int = Field(primary_key=True, foreign_key="reporting_period.id", ondelete="CASCADE")
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    lines: int = Field(default=0)  # lines with a lead unit (the sum of the period's LineTally rows)
