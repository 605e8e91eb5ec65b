"""Changes reach every node's index through the change log (:mod:`.changelog`).

The listener appends the log rows inside the writing transaction, so they commit or roll
back with the change. Once that transaction has committed, the same process applies the log
to its index at once (a change is searchable within milliseconds). Other nodes learn of it
from PostgreSQL's ``NOTIFY`` (immediately) or from the periodic poll, and the check before
every search covers whatever is left; the poll also merges the small segments writes left
once they pause, and prunes rows past the retention window.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

from catalogue.events import Change
from catalogue.search import changelog
from catalogue.search.index import ensure_index
from catalogue.search.index_drain import drain, merge_when_idle, pending
from catalogue.settings import get_settings

logger = logging.getLogger(__name__)

COMMIT_WAIT_SECONDS = 30.0
PRUNE_EVERY_SECONDS = 600.0
_tasks: set[asyncio.Task[Any]] = set()
_waiting: set[int] = set()
_wake: dict[int, asyncio.Event] = {}


def _engine() -> Any:
    return changelog.ChangeLog._meta.db


async def record_change(change: Change) -> None:
    """Append the log row in the change's transaction, then drain once it commits."""
    await record_changes([change])


async def record_changes(changes: Sequence[Change]) -> None:
    await changelog.append(changes)
    if not any(change.kind == "dataset" for change in changes):
        return  # nothing for the index; the poll moves the position on
    transaction = _engine().current_transaction.get()
    if transaction is not None and id(transaction) in _waiting:
        return  # one drain per transaction, however many changes it made
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
        await drain()
    except Exception:  # the periodic poll and the next search retry; the log keeps the row
        logger.exception("applying the change log to the search index failed")


async def wait_for_pending_drains() -> None:
    """Let drains started on this event loop finish (tests and the benchmarks use it)."""
    loop = asyncio.get_running_loop()
    while mine := [task for task in _tasks if task.get_loop() is loop]:
        await asyncio.gather(*mine, return_exceptions=True)


def _wake_event() -> asyncio.Event:
    loop = id(asyncio.get_running_loop())
    if loop not in _wake:
        _wake[loop] = asyncio.Event()
    return _wake[loop]


async def follow_once() -> None:
    """Read the log's head and apply what this index has not seen (one poll); with nothing
    to apply, merge the small segments writes left once they have paused."""
    changelog.observe(await changelog.last_id())
    if await pending():
        await drain(wait=False)
    else:
        await merge_when_idle()


async def _follow() -> None:
    """Poll the log; a NOTIFY (PostgreSQL) wakes the poll at once. Prune now and then."""
    settings, wake, pruned_at = get_settings(), _wake_event(), time.monotonic()
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=settings.change_poll_seconds)
        wake.clear()
        try:
            await follow_once()
            if time.monotonic() - pruned_at > PRUNE_EVERY_SECONDS:
                pruned_at = time.monotonic()
                await changelog.prune(settings.change_log_retention)
        except Exception:
            logger.exception("following the change log failed")


async def _listen() -> None:
    """On PostgreSQL: a connection of its own that LISTENs and wakes the poll (reconnects)."""
    import asyncpg

    wake = _wake_event()
    while True:
        try:
            connection = await asyncpg.connect(get_settings().database_url)
            try:
                await connection.add_listener(changelog.CHANNEL, lambda *_: wake.set())
                wake.set()  # catch up on whatever came before the listener
                while not connection.is_closed():
                    await asyncio.sleep(5)
            finally:
                connection.terminate()  # at once: a shutdown must not wait for the server
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("listening for change notifications failed; retrying")
            await asyncio.sleep(5)


@contextlib.asynccontextmanager
async def search_lifespan(_: Any = None) -> AsyncIterator[None]:
    """At start-up: heal the index if needed and merge what earlier writes left; while
    running: follow the change log."""
    problem = await ensure_index()
    if problem:
        logger.info("search index rebuilt at start-up: %s", problem)
    await merge_when_idle()  # now, not beside the first requests (and before the warm-up)
    loop = asyncio.get_running_loop()
    tasks = [loop.create_task(_follow())]
    if changelog.is_postgres():
        tasks.append(loop.create_task(_listen()))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks, timeout=5)  # a task stuck in a connect cannot hold us
