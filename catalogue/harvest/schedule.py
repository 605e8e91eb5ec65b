"""Scheduled sources run from a background loop in each server process; the guarded source
row makes sure only one node runs a given source's job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from catalogue.harvest import jobs
from catalogue.settings import get_settings

logger = logging.getLogger("catalogue.harvest")


async def _loop(every: float) -> None:
    while True:
        try:
            started = await jobs.run_due()
            if started:
                logger.info("started scheduled harvest job(s) %s", started)
        except Exception:
            logger.exception("the harvest scheduler could not look for due sources")
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def harvest_lifespan(_: Any) -> AsyncIterator[None]:
    every = get_settings().harvest_poll_seconds
    task = asyncio.create_task(_loop(every)) if every > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for running in list(jobs._tasks):
            running.cancel()
