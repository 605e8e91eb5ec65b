"""Whether the index describes the database: the cheap check at start-up and, when the
database was replaced or the log moved past the index's reach, before a search."""

from __future__ import annotations

import asyncio
from typing import Any

from catalogue.search import changelog, index_files
from catalogue.search.index_database import database_facts, database_marker, log_head
from catalogue.search.schema import INDEX_VERSION

FIRST_BUILD = "no index had been built yet"
"""The normal first start (an empty data dir): nothing is wrong, so say so plainly."""


async def consistency_problem() -> str | None:
    """Why the index does not describe the database, or None (cheap: two small queries)."""
    ix = await asyncio.to_thread(index_files.open_index)
    # no table of contents yet:
    if ix is None and not any(index_files.index_dir().glob("_MAIN_*.toc")):
        return FIRST_BUILD
    if ix is None:
        return "the index is missing, corrupt or has an old schema"
    state = index_files.read_state()
    if state.get("version") != INDEX_VERSION:
        return "the index was built by an older version of the catalogue"
    if not state.get("marker") or state["marker"] != await database_marker():
        return "the index was built from another database (marker differs)"
    if problem := log_problem(state, await changelog.last_id(), await changelog.pruned_through()):
        return problem
    count, latest = await database_facts()
    indexed = await asyncio.to_thread(ix.doc_count)
    if indexed != count:
        return f"the index holds {indexed} datasets, the database {count}"
    if state.get("max_modified", "") != latest:
        return "the index is older than the latest change in the database"
    return None


def log_problem(state: dict[str, Any], last: int, pruned: int) -> str | None:
    """Why the index cannot follow the change log from its position, or None."""
    if "position" not in state:
        return "the index was built before the change log"
    position = int(state["position"])
    if position > last:
        return "the change log is behind the index (the database was replaced)"
    if position < pruned:
        return "the index fell behind the change log's retention window"
    return None


async def cannot_follow_log(state: dict[str, Any]) -> bool:
    """Whether this index cannot follow the log: another database, or out of its reach."""
    marker, pruned, last = await log_head()
    return marker is None or marker != state.get("marker") or bool(log_problem(state, last, pruned))
