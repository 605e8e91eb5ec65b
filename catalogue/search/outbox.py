"""Dataset changes reach the index through a durable outbox.

The listener runs inside the writing transaction, so its outbox row commits or rolls back
with the change. Once that transaction has committed, the same process drains the outbox at
once (a change is searchable within milliseconds); a periodic drain, and the check before
every search, cover changes made by other processes or left behind by a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from catalogue.events import Change, subscribe
from catalogue.search import index
from catalogue.search.tables import SearchOutbox

logger = logging.getLogger("catalogue.search")

COMMIT_WAIT_SECONDS = 30.0
PERIODIC_DRAIN_SECONDS = 2.0
_tasks: set[asyncio.Task[Any]] = set()
_waiting: set[int] = set()


def _engine() -> Any:
    return SearchOutbox._meta.db


@subscribe
async def record_dataset_change(change: Change) -> None:
    """Write the outbox row in the change's transaction, then drain once it commits."""
    if change.kind != "dataset":
        return
    await SearchOutbox.insert(SearchOutbox(dataset_id=change.object_id, action=change.action))
    transaction = _engine().current_transaction.get()
    if transaction is not None and id(transaction) in _waiting:
        return  # one drain per transaction, however many datasets it changed
    # A fresh context: the drain must not run inside (or wait on) the writer's transaction.
    task = asyncio.get_running_loop().create_task(
        _drain_after_commit(transaction), context=contextvars.Context()
    )
    if transaction is not None:
        _waiting.add(id(transaction))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _drain_after_commit(transaction: Any) -> None:
    """Piccolo has no after-commit hook, so watch the transaction's own flags."""
    deadline = time.monotonic() + COMMIT_WAIT_SECONDS
    try:
        while transaction is not None and time.monotonic() < deadline:
            if getattr(transaction, "_rolled_back", False):
                return
            if getattr(transaction, "_committed", False):
                break
            await asyncio.sleep(0.001)
    finally:
        _waiting.discard(id(transaction))
    try:
        await index.drain()
    except Exception:  # the periodic drain and the next search retry; never lose the row
        logger.exception("draining the search outbox failed")


async def wait_for_pending_drains() -> None:
    """Let drains started by this process finish (tests and the benchmark use it)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


async def _periodic_drain() -> None:
    while True:
        await asyncio.sleep(PERIODIC_DRAIN_SECONDS)
        try:
            if await index.pending():
                await index.drain(wait=False)
        except Exception:
            logger.exception("periodic search drain failed")


@contextlib.asynccontextmanager
async def search_lifespan(_: Any = None) -> AsyncIterator[None]:
    """At start-up: heal the index if needed; while running: drain the outbox periodically."""
    problem = await index.ensure_index()
    if problem:
        logger.info("search index rebuilt at start-up: %s", problem)
    task = asyncio.get_running_loop().create_task(_periodic_drain())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
