"""The nudge service: plan ahead into the outbox, then dispatch what is due (what the jobs and the CLI call)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.base.clock import VN_TZ, Clock
from scheduler.dispatcher import Dispatcher, DispatchReport
from scheduler.planning import plan_ahead
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    planned: int
    dispatch: DispatchReport

    def to_json(self) -> dict[str, object]:
        return {"planned": self.planned, **self.dispatch.to_json()}


class NudgeService:
    def __init__(self, db: Database, dispatcher: Dispatcher, clock: Clock, *, horizon_days: int = 3,
                 tz: ZoneInfo = VN_TZ) -> None:
        self.db, self.dispatcher, self.clock = db, dispatcher, clock
        self.horizon_days, self.tz = horizon_days, tz

    async def plan(self) -> int:
        added = await self.db.run(plan_ahead, now=self.clock.now(), days=self.horizon_days, tz=self.tz)
        if added:
            log.info("planned %d new outbox rows", added)
        return added

    async def dispatch(self) -> DispatchReport:
        return await self.dispatcher.dispatch_due()

    async def tick(self) -> TickReport:
        """Plan, then send everything due as of the clock's now."""
        planned = await self.plan()
        return TickReport(planned, await self.dispatch())
