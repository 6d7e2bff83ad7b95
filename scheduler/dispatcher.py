"""Claim -> render -> send (paced, with retries) -> mark: each outbox row delivered exactly once.

A row is claimed with a conditional UPDATE just in time: once its chat may receive, in the transaction that
also takes its send slot from the pacer (the bot's budget row on a shared pacer: one transaction, and a claim
lost to another sender costs no slot), right before it is sent, so a crash strands only the rows in flight or
within one slot's wait of it. It is marked sent (with the message id, its MessageLink
and its followers) in one transaction after. A crash between the two leaves the row in 'sending'; once its
claim is older than the lease another dispatcher re-claims and re-sends it, and a sender restarted on the same
machine takes back its dead predecessor's rows at once (the worker id names host and pid): the one message in
flight at a crash may arrive twice, nothing is lost. Two dispatchers on one database never send the same row
twice outside that case, because only one of them wins each claim.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.base import messages as msg
from bot.base.clock import VN_TZ, Clock
from bot.base.retry import patiently
from scheduler.notifier import ChatMoved, Notifier, Permanent, RetryLater, Transient
from scheduler.pacer import Limits, Pacer, Reserve
from scheduler.planner import in_window
from scheduler.planning import coordinator_targets
from scheduler.render import Rendered, render
from scheduler.settings import NudgeSettings
from storage import outbox
from storage.answers import KIND as ANSWER
from storage.availability import UNAVAILABLE, database_unavailable
from storage.database import Database
from storage.members import deactivate_chat, move_chat
from storage.models import ChatBinding, Nudge, Plan, SummaryPush, Unit
from storage.reports import link_message

log = logging.getLogger(__name__)
SEND_CONCURRENCY = 8  # nudges sent at once by one dispatcher (each holds its claimed row while it sends)


@dataclass
class DispatchReport:
    sent: int = 0
    dropped: int = 0
    failed: int = 0
    retried: int = 0
    postponed: int = 0  # a round's retries used up on transient errors: tried again in a later round
    rate_limited: int = 0
    lost_races: int = 0
    deferred: int = 0  # due but outside the sending window
    reclaimed: int = 0  # rows taken back from a sender that died mid-send
    no_connector: int = 0  # due for a platform this process does not serve (its token is not set)
    errors: list[str] = field(default_factory=list)
    left_sending: list[dict[str, str]] = field(default_factory=list)  # rows another sender still holds, and why

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Job:
    """A claimed row, rendered, ready to send."""

    row: Nudge
    rendered: Rendered
    is_group: bool


def always_sent(row: Nudge) -> bool:
    """Rows sent whatever the hour and however late: followers of a message sent, answers to people who wrote."""
    return bool(row.payload.get("follower")) or row.kind == ANSWER


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


def dead_local_workers(claimers: list[str], *, host: str | None = None, own_pid: int | None = None) -> frozenset[str]:
    """The claimers that were senders on this machine whose process has ended (a killed or crashed run)."""
    host = host or socket.gethostname()
    own_pid = own_pid or os.getpid()
    dead = set()
    for worker in claimers:
        parts = worker.split(":")
        if len(parts) == 3 and parts[0] == host and parts[1].isdigit():
            pid = int(parts[1])
            if pid != own_pid and not _process_alive(pid):
                dead.add(worker)
    return frozenset(dead)


class Dispatcher:
    def __init__(self, db: Database, notifier: Notifier | Sequence[Notifier], clock: Clock, *,
                 worker_id: str | None = None, limits: Limits | None = None, pacer: Pacer | None = None,
                 pacers: Mapping[str, Pacer] | None = None, lease: timedelta = timedelta(minutes=2),
                 max_attempts: int = 5, backoff: float = 0.5, max_inline_wait: float = 60.0,
                 concurrency: int = SEND_CONCURRENCY, batch: int = 2000, tz: ZoneInfo = VN_TZ,
                 record_patience: float = 90.0, max_rounds: int = 4,
                 retry_later: timedelta = timedelta(minutes=2)) -> None:
        # one connector per platform: a row goes to the notifier (and the pacer) of its own platform
        notifiers = list(notifier) if isinstance(notifier, Sequence) else [notifier]
        self.notifiers: dict[str, Notifier] = {n.platform: n for n in notifiers}
        self.db, self.notifier, self.clock = db, notifiers[0], clock
        self.worker = worker_id or default_worker_id()
        self.pacer = pacer or Pacer(limits)
        self.pacers: dict[str, Pacer] = dict(pacers or {})
        self.lease, self.max_attempts, self.backoff = lease, max_attempts, backoff
        # sends per round (max_attempts), then the row waits retry_later, doubling, for up to max_rounds rounds:
        # a Bot API outage of a few minutes delays a nudge, it does not lose it
        self.max_rounds, self.retry_later = max_rounds, retry_later
        self.max_inline_wait, self.batch, self.tz = max_inline_wait, batch, tz
        self.record_patience = record_patience  # below the lease: after it, another dispatcher may take the row
        self._senders = asyncio.Semaphore(concurrency)
        self._settings: dict[int | None, NudgeSettings] = {}
        self._round_lock = asyncio.Lock()
        self._dead_workers: frozenset[str] = frozenset()
        self._order = random.Random(self.worker)  # an order of work of its own, not a secret
        # kinds another loop of this process sends (the runner's answer lane takes answers to replies)
        self.skip_kinds: tuple[str, ...] = ()

    # ---- the loop ---------------------------------------------------------------------------------------

    async def dispatch_due(self) -> DispatchReport:
        """Send everything due now (and the followers this creates); returns what happened."""
        report = DispatchReport()
        async with self._round_lock:
            self._settings.clear()  # a plan's nudge settings are read afresh each round: a change applies now
            self._dead_workers = dead_local_workers(await self.db.run(outbox.claimers))
            skipped: set[int] = set()
            while True:
                now = self.clock.now()
                rows = await self.db.run(outbox.due_rows, now=now, lease=self.lease, limit=self.batch,
                                         exclude=skipped or None, dead_workers=self._dead_workers,
                                         skip_kinds=self.skip_kinds)
                runnable = []
                for row in rows:
                    if row.platform not in self.notifiers:  # that platform is not served by this process
                        assert row.id is not None
                        skipped.add(row.id)
                        report.no_connector += 1
                    elif always_sent(row) or in_window(now, await self._plan_settings(row.plan_id), self.tz):
                        runnable.append(row)
                    else:
                        assert row.id is not None
                        skipped.add(row.id)
                        report.deferred += 1
                if not runnable:
                    report.left_sending = await self.db.run(self._left_sending)
                    return report
                by_chat: dict[tuple[str, str], list[Nudge]] = defaultdict(list)
                for row in runnable:
                    by_chat[(row.platform, row.chat_id)].append(row)
                groups = await self.db.run(self._group_chats)  # one query, not one per chat before any send
                chats = list(by_chat.items())
                # another sender on this database sees the same rows in the same order: in an order of its own,
                # this one mostly takes rows the other is not about to take (a lost race costs a paced slot)
                self._order.shuffle(chats)
                await asyncio.gather(*(self._run_chat(chat_rows, report, is_group=key in groups)
                                       for key, chat_rows in chats))

    def _pacer(self, platform: str) -> Pacer:
        return self.pacers.get(platform, self.pacer)

    async def _plan_settings(self, plan_id: int | None) -> NudgeSettings:
        if plan_id not in self._settings:
            plan = await self.db.run(lambda session: session.get(Plan, plan_id) if plan_id else None)
            self._settings[plan_id] = NudgeSettings.from_plan(plan.settings if plan else None)
        return self._settings[plan_id]

    async def _run_chat(self, rows: list[Nudge], report: DispatchReport, *, is_group: bool) -> None:
        for row in rows:
            await self._pacer(row.platform).chat_ready(row.chat_id)
            async with self._senders:
                try:
                    await self._process(row, report, is_group=is_group)
                except Exception as exc:  # one row's bug must not stop the others
                    log.exception("nudge %s failed unexpectedly", row.key)
                    report.errors.append(f"{row.key}: {exc.__class__.__name__}")

    # ---- one row ------------------------------------------------------------------------------------------

    async def _process(self, row: Nudge, report: DispatchReport, *, is_group: bool) -> None:
        assert row.id is not None
        urgent = row.kind == ANSWER
        pacer, notifier = self._pacer(row.platform), self.notifiers[row.platform]
        nudge_id = row.id

        def claim(reserve: Reserve | None) -> Any:  # claimed and paced in one transaction, right before sending
            run = self.db.run_urgent if urgent else self.db.run  # an answer's: ahead of the replies being stored
            return run(self._claim_and_render, nudge_id=nudge_id, reserve=reserve)

        job = await pacer.claim_slot(row.chat_id, is_group=is_group, urgent=urgent, claim=claim)
        if job is None:  # another sender on this database took the row meanwhile: no slot was spent on it
            report.lost_races += 1
            return
        if row.state == outbox.SENDING:
            report.reclaimed += 1
        if job.rendered.drop is not None:
            report.dropped += 1
            return
        out = job.rendered.out
        assert out is not None
        retries = moves = 0
        paced = True
        while True:
            if not paced:
                await pacer.slot(job.row.chat_id, is_group=job.is_group, urgent=urgent)
            paced = False
            try:
                message_id = await notifier.send(job.row.chat_id, out)
            except RetryLater as exc:
                report.rate_limited += 1
                await pacer.back_off(job.row.chat_id, exc.seconds)
                if exc.seconds <= self.max_inline_wait:
                    continue
                await self._record(outbox.release, nudge_id=row.id, worker=self.worker, count_attempt=False,
                                  due_at=self.clock.now() + timedelta(seconds=exc.seconds), reason=str(exc))
                return
            except ChatMoved as exc:  # its bindings and unsent rows (this one too) follow, then it goes there
                if exc.new_chat_id == job.row.chat_id or moves >= 2:
                    await self._record(outbox.mark_failed, nudge_id=row.id, worker=self.worker, reason=str(exc))
                    report.failed += 1
                    return
                moves += 1
                await self._record(move_chat, platform=job.row.platform, chat_id=job.row.chat_id,
                                   new_chat_id=exc.new_chat_id, chat_type="supergroup")
                job.row.chat_id = exc.new_chat_id
                continue
            except Transient as exc:
                retries += 1
                report.retried += 1
                if retries < self.max_attempts:  # max_attempts sends in one round
                    await asyncio.sleep(min(30.0, self.backoff * 2 ** (retries - 1)))
                    continue
                rounds = job.row.attempts  # one claim per round, this one included
                if rounds < self.max_rounds:
                    later = self.clock.now() + self.retry_later * 2 ** (rounds - 1)
                    await self._record(outbox.release, nudge_id=row.id, worker=self.worker, due_at=later,
                                       reason=f"lượt {rounds}, {retries} lần thử: {exc}; gửi lại lúc "
                                              f"{later.astimezone(self.tz):%H:%M %d/%m}")
                    report.postponed += 1
                    return
                await self._record(outbox.mark_failed, nudge_id=row.id, worker=self.worker,
                                   reason=f"sau {rounds} lượt gửi, lượt cuối {retries} lần thử: {exc}")
                report.failed += 1
                return
            except Permanent as exc:
                await self._record(self._fail_permanently, row=job.row, error=exc)
                report.failed += 1
                return
            break
        if await self._record(self._mark_sent, row=job.row, rendered=job.rendered, message_id=message_id):
            report.sent += 1
        else:
            log.warning("nudge %s was sent, but another dispatcher took it over meanwhile", row.key)

    async def _record(self, fn: Any, /, **kwargs: Any) -> Any:
        """What happened to a claimed row, written even through a brief database outage: a message that went
        out must be marked sent, not re-sent after the lease as if it had been lost."""
        row = kwargs.get("row")  # an answer sent: marked ahead of the replies being stored
        run = self.db.run_urgent if row is not None and row.kind == ANSWER else self.db.run
        return await patiently(lambda: run(fn, **kwargs), retryable=database_unavailable,
                               patience=self.record_patience, what=UNAVAILABLE)

    def _left_sending(self, *, session: Session) -> list[dict[str, str]]:
        """Rows still in 'sending' after this round: held by a live sender, or by one whose lease has not ended."""
        host = socket.gethostname()
        left = []
        for row in outbox.left_sending(session=session):
            worker = row.claimed_by or "?"
            retake = (row.claimed_at + self.lease).astimezone(self.tz) if row.claimed_at else None
            parts = worker.split(":")
            if len(parts) == 3 and parts[0] == host and parts[1].isdigit() and _process_alive(int(parts[1])):
                why = f"tiến trình {parts[1]} trên máy này đang gửi"
            else:
                why = f"giữ bởi {worker}; nếu tiến trình đó đã dừng, tin được gửi lại sau {retake:%H:%M:%S %d/%m}"
            left.append({"key": row.key, "claimed_by": worker, "why": why,
                         "reclaim_after": retake.isoformat() if retake else ""})
        return left

    @staticmethod
    def _group_chats(*, session: Session) -> set[tuple[str, str]]:
        """The active group chats (platform, chat id): paced as groups. A unit has a few, so all are read at once."""
        rows = session.exec(select(ChatBinding.platform, ChatBinding.chat_id).where(
            ChatBinding.active.is_(True), ChatBinding.chat_type != "private")).all()  # type: ignore[attr-defined]
        return {(platform, chat_id) for platform, chat_id in rows}

    def _claim_and_render(self, *, session: Session, nudge_id: int, reserve: Reserve | None = None) -> _Job | None:
        now = self.clock.now()
        row = outbox.claim(session=session, nudge_id=nudge_id, worker=self.worker, now=now, lease=self.lease,
                           dead_workers=self._dead_workers)
        if row is None:
            return None
        if reserve is not None:
            reserve(session)  # the bot's send slot, in the claim's transaction (one budget across processes)
        session.commit()  # the claim stands before anything is sent, whatever happens next
        reason = None
        answer = row.kind == ANSWER  # an answer to someone who wrote: their chat need not be bound to a unit
        # (nor is it ever late): nothing more to read for it, and on SQLite no second transaction after the claim
        binding = None if answer else session.exec(select(ChatBinding).where(
            ChatBinding.platform == row.platform, ChatBinding.chat_id == row.chat_id,
            ChatBinding.active.is_(True))).first()  # type: ignore[attr-defined]
        if binding is None and not answer:
            reason = "chat không còn nhận tin (đã ngừng hoặc chưa gắn)"
        elif not always_sent(row):
            settings = NudgeSettings.from_plan((session.get(Plan, row.plan_id).settings or {}) if row.plan_id else None)  # type: ignore[union-attr]
            planned = datetime.fromisoformat(str(row.payload.get("planned_at") or row.due_at.isoformat()))  # type: ignore[union-attr]
            if now - planned > settings.grace:
                reason = (f"quá hạn gửi: dự kiến {planned.astimezone(self.tz):%d/%m %H:%M}, "
                          f"quá {settings.grace_days} ngày")
        try:
            rendered = Rendered(drop=reason) if reason else render(session, row, now, self.tz)
        except Exception as exc:  # a bug or bad data in one row: record it, never retry it forever
            session.rollback()
            log.exception("could not compose nudge %s", row.key)
            outbox.mark_failed(session=session, nudge_id=nudge_id, worker=self.worker,
                               reason=f"lỗi khi soạn tin: {exc.__class__.__name__}: {exc}")
            return _Job(row, Rendered(drop="lỗi khi soạn tin"), is_group=False)
        if rendered.drop is not None:
            outbox.mark_dropped(session=session, nudge_id=nudge_id, worker=self.worker, reason=rendered.drop)
            log.info("nudge %s dropped: %s", row.key, rendered.drop)
        group = bool(row.payload.get("group")) if answer else binding is not None and binding.chat_type != "private"
        return _Job(row, rendered, is_group=group)

    def _mark_sent(self, *, session: Session, row: Nudge, rendered: Rendered, message_id: str) -> bool:
        now = self.clock.now()
        assert row.id is not None
        if not outbox.mark_sent(session=session, nudge_id=row.id, worker=self.worker, now=now, message_id=message_id):
            return False
        out = rendered.out
        if out is not None and out.link is not None:
            link_message(session=session, platform=row.platform, chat_id=row.chat_id, message_id=message_id,
                         now=now, task_id=out.link.task_id, period_id=out.link.period_id, unit_id=out.link.unit_id,
                         kind=out.link.kind, report_id=out.link.report_id)
        if rendered.followers:
            outbox.add_rows(session=session, now=now, rows=[outbox.PlannedRow(
                key=f"{row.key}:{suffix}", kind=row.kind, chat_id=row.chat_id, platform=row.platform, due_at=now,
                plan_id=row.plan_id, period_id=row.period_id, task_id=payload.get("task_id"), unit_id=row.unit_id,
                payload={**payload, "follower": True, "planned_at": now.isoformat()},
            ) for suffix, payload in rendered.followers])
        self._record_summary(session, row, rendered, message_id, now)
        return True

    def _record_summary(self, session: Session, row: Nudge, rendered: Rendered, message_id: str,
                        now: datetime) -> None:
        push_key = row.payload.get("push_key")
        if push_key:
            push = session.exec(select(SummaryPush).where(SummaryPush.key == push_key)).first()
            if push is not None:
                push.message_ids = [*push.message_ids, message_id]
                session.add(push)
            return
        if rendered.summary_kind and row.plan_id is not None:
            session.add(SummaryPush(key=row.key, plan_id=row.plan_id, period_id=row.period_id,
                                    kind=rendered.summary_kind, platform=row.platform, chat_id=row.chat_id,
                                    state="sent", due_at=row.due_at, sent_at=now, message_ids=[message_id],
                                    created_at=now))

    def _fail_permanently(self, *, session: Session, row: Nudge, error: Permanent) -> None:
        """Record the failure; when the chat is gone: bindings inactive, its queue dropped, coordinator told."""
        assert row.id is not None
        outbox.mark_failed(session=session, nudge_id=row.id, worker=self.worker, reason=error.reason)
        if not error.chat_gone:
            return
        now = self.clock.now()
        unit_ids = deactivate_chat(session=session, platform=row.platform, chat_id=row.chat_id, reason=error.reason)
        outbox.drop_pending_for_chat(session=session, platform=row.platform, chat_id=row.chat_id,
                                     reason=f"chat ngừng nhận tin: {error.reason}")
        names = [u.name for u in (session.get(Unit, uid) for uid in unit_ids) if u is not None]
        plan = session.get(Plan, row.plan_id) if row.plan_id else None
        targets = coordinator_targets(session, plan) if plan else []
        text = msg.chat_lost(units=names, reason=error.reason)
        day = now.astimezone(self.tz).date().isoformat()
        outbox.add_rows(session=session, now=now, rows=[outbox.PlannedRow(
            key=f"chatlost:{row.platform}:{row.chat_id}:{day}:{t.platform}:{t.chat_id}", kind="escalation",
            chat_id=t.chat_id, platform=t.platform, due_at=now, plan_id=row.plan_id,
            payload={"render": "text", "text": text, "planned_at": now.isoformat()},
        ) for t in targets if t.chat_id != row.chat_id])
        log.warning("chat %s gone (%s): units %s deactivated", row.chat_id, error.reason, unit_ids)

