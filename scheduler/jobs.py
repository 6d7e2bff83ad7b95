"""APScheduler is the clock, not the record: two jobs rebuilt from nothing at every start.

- "plan ahead" (every 15 minutes, and at start): plans the next days into the outbox (idempotent);
- "dispatch due" (every 30 seconds, and at start): sends what the outbox says is due.
Both coalesce missed runs into one and never overlap (max_instances=1); a misfire is harmless because the
database, not the scheduler, knows what is due. `wake()` runs a dispatch now: the runner hands it to the chat,
which calls it once /nhacnho or /yeucau has committed its nudges.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.base.clock import Clock
from scheduler.dispatcher import Dispatcher
from scheduler.notifier import Notifier
from scheduler.pacer import Pacer
from scheduler.service import NudgeService
from storage.database import Database

log = logging.getLogger(__name__)
PLAN_EVERY_MINUTES = 15
DISPATCH_EVERY_SECONDS = 30
MISFIRE_GRACE_SECONDS = 60


class NudgeJobs:
    def __init__(self, service: NudgeService, *, plan_minutes: int = PLAN_EVERY_MINUTES,
                 dispatch_seconds: int = DISPATCH_EVERY_SECONDS) -> None:
        self.service = service
        self.scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS})
        self.plan_minutes, self.dispatch_seconds = plan_minutes, dispatch_seconds

    def start(self) -> None:
        first = datetime.now(UTC)  # APScheduler's own trigger time, not domain time
        self.scheduler.add_job(self._plan, "interval", minutes=self.plan_minutes, id="plan_ahead",
                               next_run_time=first, replace_existing=True)
        self.scheduler.add_job(self._dispatch, "interval", seconds=self.dispatch_seconds, id="dispatch_due",
                               next_run_time=first, replace_existing=True)
        self.scheduler.start()
        log.info("nudge jobs started (plan every %d min, dispatch every %d s)", self.plan_minutes,
                 self.dispatch_seconds)

    def wake(self) -> None:
        """Dispatch now instead of waiting for the next interval."""
        job = self.scheduler.get_job("dispatch_due")
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC))

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def _plan(self) -> None:
        try:
            await self.service.plan()
            await self.service.dispatch()
        except asyncio.CancelledError:
            _stopped_mid_run("plan ahead")
        except Exception:
            log.exception("planning nudges failed; the next run retries")

    async def _dispatch(self) -> None:
        try:
            await self.service.dispatch()
        except asyncio.CancelledError:
            _stopped_mid_run("dispatch due")
        except Exception:
            log.exception("dispatching nudges failed; the next run retries")


def _stopped_mid_run(job: str) -> None:
    """A stop (SIGTERM) cancels a job that is running: the job ends quietly instead of raising into APScheduler,
    which logs any exception with its traceback. Nothing is lost: planning is idempotent, a claimed nudge's row
    is reclaimed by the next start (its run id), and what was not sent stays due in the outbox."""
    log.info("job %s stopped mid-run by the shutdown; the next start resumes from the outbox", job)


def build_nudge_service(*, db: Database, clock: Clock, tz: ZoneInfo,
                        senders: Sequence[tuple[Notifier, Pacer]]) -> NudgeService:
    """The service the bot runs: one notifier per platform, each with its own pacer, all on one outbox. The
    wiring picks the notifiers (bot/app.py, bot/runner.py); the scheduler knows no platform."""
    notifiers = [notifier for notifier, _ in senders]
    pacers = {notifier.platform: pacer for notifier, pacer in senders}
    dispatcher = Dispatcher(db, notifiers, clock, tz=tz, pacers=pacers)
    return NudgeService(db, dispatcher, clock, tz=tz)
