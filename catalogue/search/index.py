"""Writing the index: one writer at a time, following the change log, and self-healing.

The database is the source of truth. Every change leaves a row in ``change_log`` (same
transaction); :func:`~.index_drain.drain` applies the rows past the index's position (kept in
its state file, with the gaps :mod:`.changelog` explains) and moves the position on in the same
step, so a crash in between only means rows are applied again (updates are idempotent). Nothing
is deleted: every node follows the same log with its own index. :func:`~.index_rebuild.rebuild`
recreates the index from the database; :func:`ensure_index` (start-up) and :func:`sync` (before
every search) compare the index with the database cheaply (:mod:`.index_consistency`) and
rebuild when it is missing, corrupt, built from another database, or behind the log's retention
window.

Only the process holding ``writer.lock`` (``fcntl.flock``, :mod:`.index_files`) writes; within a
process an asyncio lock serialises drains so a search waits for a drain already under way.
"""

from __future__ import annotations

import asyncio
import logging

from catalogue.progress import Progress
from catalogue.search import changelog
from catalogue.search.index_consistency import FIRST_BUILD, cannot_follow_log, consistency_problem
from catalogue.search.index_drain import drain
from catalogue.search.index_files import IndexBusy, open_index, read_state
from catalogue.search.index_rebuild import rebuild

__all__ = ["ensure_index", "sync"]

logger = logging.getLogger(__name__)


async def ensure_index(progress: Progress | None = None) -> str | None:
    """Start-up check: apply the log, then rebuild if still inconsistent (and why).

    Another node may write between the catch-up and the check; a count that differs is
    therefore checked again after one more catch-up before it costs a rebuild.
    """
    problem = None
    for _ in range(3):
        if await asyncio.to_thread(open_index) is not None and read_state().get("marker"):
            await drain()
        problem = await consistency_problem()
        if problem is None or not problem.startswith(("the index holds", "the index is older")):
            break
    if problem:
        if problem == FIRST_BUILD:
            logger.info("building the search index for the first time")
        else:
            logger.info("rebuilding the search index: %s", problem)
        try:
            await rebuild(progress, force=False)
        except IndexBusy:
            logger.warning("search index busy at start-up; the next search will heal it")
    return problem


async def sync() -> None:
    """Before a search: rebuild if the database was replaced or the log moved past this
    index's reach; apply the changes it has not seen."""
    state = read_state()
    if await cannot_follow_log(state):
        if await consistency_problem():
            try:
                await rebuild(force=False)
            except IndexBusy:  # another writer is at it; answer from the index we have
                logger.warning("search index busy; answering from the current index")
        return
    if changelog.current_position() > int(state["position"]) or state.get("gaps"):
        await drain()
