"""A stop while a nudge job is running: the job ends quietly (APScheduler would log anything it raised, with its
traceback, at ERROR), and an error that is not a stop is still logged."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from scheduler.jobs import NudgeJobs


class _Hanging:
    """A service whose planning and dispatch wait until cancelled, as a dispatch does while it paces sends."""

    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def plan(self) -> None:
        self.started.set()
        await asyncio.Event().wait()

    async def dispatch(self) -> None:
        self.started.set()
        await asyncio.Event().wait()


class _Failing:
    async def plan(self) -> None:
        raise RuntimeError("database gone")

    async def dispatch(self) -> None:
        raise RuntimeError("database gone")


@pytest.mark.parametrize("job", ["_plan", "_dispatch"])
async def test_a_job_cancelled_by_the_stop_ends_without_a_traceback(job: str, caplog: Any) -> None:
    service = _Hanging()
    jobs = NudgeJobs(service)  # type: ignore[arg-type]
    caplog.set_level(logging.INFO, logger="scheduler.jobs")
    task = asyncio.create_task(getattr(jobs, job)())
    await asyncio.wait_for(service.started.wait(), 5)
    task.cancel()
    assert await asyncio.wait_for(task, 5) is None  # it returned instead of raising CancelledError
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert any("stopped mid-run" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("job", ["_plan", "_dispatch"])
async def test_a_job_that_fails_is_still_logged_with_its_error(job: str, caplog: Any) -> None:
    jobs = NudgeJobs(_Failing())  # type: ignore[arg-type]
    await getattr(jobs, job)()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info is not None and "the next run retries" in errors[0].getMessage()
