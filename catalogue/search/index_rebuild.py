"""Rebuilding the index from the database: the datasets read in slices for the parallel
build (:mod:`catalogue.search.build`), under the writer lock, and the log position kept."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import time
import uuid
from collections.abc import AsyncIterator

from whoosh import index as whoosh_index

from catalogue.datasets.tables import Dataset
from catalogue.progress import Progress
from catalogue.search import build, changelog, index_files, spelling
from catalogue.search.index_consistency import consistency_problem
from catalogue.search.index_database import database_marker, documents_query, stamp, store_marker
from catalogue.search.schema import INDEX_VERSION, schema

logger = logging.getLogger(__name__)

REBUILD_BATCH = 2000


async def rebuild(progress: Progress | None = None, *, force: bool = True) -> int:
    """Recreate the index from the database (waits for the writer lock); documents indexed.

    With ``force=False`` it first checks again, under the lock, whether another process has
    just rebuilt it (several workers starting at once rebuild once).
    """
    async with index_files.drain_lock():
        handle = await index_files.wait_for_writer_lock()
        try:
            if not force and await consistency_problem() is None:
                return 0
            return await rebuild_locked(progress)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


async def rebuild_locked(progress: Progress | None) -> int:
    folder = index_files.index_dir()
    position = await changelog.last_id()  # before reading: later changes are applied after
    total = await Dataset.count()
    if index_files.open_index() is None:
        await asyncio.to_thread(whoosh_index.create_in, str(folder), schema())
    latest = {"modified": ""}
    slices = _slices(build.slice_size(total, build.workers_for(total)), latest)
    segments, words, done = await build.build(folder, total, slices, progress)
    spelling.replace(folder, words)
    await asyncio.to_thread(build.publish, folder, segments)
    marker = await database_marker() or await store_marker(uuid.uuid4().hex)
    index_files.write_state(
        {
            "marker": marker,
            "max_modified": latest["modified"],
            "version": INDEX_VERSION,
            "position": position,
            "built_at": time.time(),
            "gaps": await changelog.gaps_below(position),
        }
    )
    changelog.advance(position)
    logger.info("search index rebuilt: %d datasets in %d segments", done, len(segments))
    return done


async def _slices(size: int, latest: dict[str, str]) -> AsyncIterator[list[build.Row]]:
    """Every stored dataset, in id order, ``size`` at a time (documents left as JSON text:
    the workers decode them). Notes the latest modification time in ``latest``."""
    after, rows = None, []
    while True:
        query = documents_query(load_json=False).order_by(Dataset.id).limit(REBUILD_BATCH)
        if after is not None:
            query = query.where(Dataset.id > after)
        batch = await query
        for row in batch:
            rows.append(
                (
                    str(row["id"]),
                    row["document"],
                    row["publisher.name"] or "",
                    row["modified"],
                    row["created"],
                )
            )
            latest["modified"] = max(latest["modified"], stamp(row["modified"]))
            if len(rows) == size:
                yield rows
                rows = []
        if len(batch) < REBUILD_BATCH:
            break
        after = batch[-1]["id"]
    if rows:
        yield rows
