"""Writing the index: one writer at a time, a durable outbox, and self-healing.

The database is the source of truth. Every dataset change leaves a row in ``search_outbox``
(same transaction); :func:`drain` applies those rows to the index and deletes them, so a crash
anywhere in between only means the rows are applied again (updates are idempotent).
:func:`rebuild` recreates the index from the database; :func:`ensure_index` (start-up) and
:func:`sync` (before every search) compare the index with the database cheaply and rebuild
when it is missing, corrupt or stale.

Only the process holding ``writer.lock`` (``fcntl.flock``) writes; within a process an
asyncio lock serialises drains so a search waits for a drain already under way.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from catalogue.datasets.tables import Dataset
from catalogue.files import write_atomically
from catalogue.progress import Progress
from catalogue.search import build, spelling
from catalogue.search.schema import (
    INDEX_VERSION,
    WRITER_OPTIONS,
    _aware,
    index_document,
    schema,
)
from catalogue.search.tables import SearchOutbox, SearchState
from catalogue.settings import get_settings

logger = logging.getLogger("catalogue.search")

STATE_FILE = "state.json"
LOCK_FILE = "writer.lock"
STATE_NAME = "index"
DRAIN_BATCH = 500
REBUILD_BATCH = 2000
REBUILD_LOCK_SECONDS = 60.0
_loop_locks: dict[int, asyncio.Lock] = {}


def index_dir() -> Path:
    return get_settings().index_dir


def drain_lock() -> asyncio.Lock:
    """One asyncio lock per event loop (the CLI and tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    lock = _loop_locks.get(id(loop))
    if lock is None:
        lock = _loop_locks[id(loop)] = asyncio.Lock()
    return lock


@contextlib.contextmanager
def writer_lock(blocking: bool) -> Iterator[bool]:
    """The cross-process writer lock; yields whether it was acquired."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_state() -> dict[str, Any]:
    try:
        return json.loads((index_dir() / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write_state(state: dict[str, Any]) -> None:
    write_atomically(index_dir() / STATE_FILE, json.dumps(state))


def open_index(*, check: bool = True) -> Any | None:
    """The index if it exists, opens, and has the current schema; None otherwise.

    ``check`` also opens every segment, which catches corrupt files: for start-up and
    rebuild decisions; drains and searchers skip it (they open the segments anyway).
    """
    folder = index_dir()
    try:
        if not whoosh_index.exists_in(str(folder)):
            return None
        ix = whoosh_index.open_dir(str(folder))
        if sorted(ix.schema.names()) != sorted(schema().names()):
            return None
        if check:
            ix.doc_count()
        return ix
    except Exception as error:  # a corrupt index is rebuilt, whatever whoosh raises
        logger.warning("search index at %s is unusable (%s); it will be rebuilt", folder, error)
        return None


async def _database_marker() -> str | None:
    row = await SearchState.select(SearchState.marker).where(SearchState.name == STATE_NAME).first()
    return row["marker"] if row else None


async def _database_facts() -> tuple[int, str]:
    count = await Dataset.count()
    row = await Dataset.select(Dataset.modified).order_by(Dataset.modified, ascending=False).first()
    return count, _stamp(row["modified"]) if row else ""


def _stamp(value: dt.datetime | None) -> str:
    return _aware(value).isoformat() if value else ""


def _documents_query(load_json: bool) -> Any:
    return Dataset.select(
        Dataset.id,
        Dataset.document,
        Dataset.modified,
        Dataset.created,
        Dataset.publisher.name,
    ).output(load_json=load_json)


def _apply(documents: list[dict[str, Any]], stored: list[dict[str, Any]],
           removed: list[str]) -> None:
    """Write one batch of changes as one commit (runs in a thread: whoosh blocks)."""
    ix = open_index(check=False)
    if ix is None:
        raise RuntimeError("the search index is missing; run `catalogue reindex`")
    state = read_state()
    spelling.add(index_dir(), stored)  # before the commit: a new generation has its words
    writer = ix.writer(**WRITER_OPTIONS)
    try:
        for dataset_id in removed:
            writer.delete_by_term("id", dataset_id)
        for document in documents:
            writer.update_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    stamps = [state.get("max_modified", ""), *(_stamp(d["modified"]) for d in documents)]
    state["max_modified"] = max(stamps)
    _write_state(state)


async def drain(*, wait: bool = True) -> int:
    """Apply pending outbox rows, if this process can take the writer lock; how many."""
    lock = drain_lock()
    if not wait and lock.locked():
        return 0
    async with lock:
        with writer_lock(blocking=False) as acquired:
            if not acquired or not whoosh_index.exists_in(str(index_dir())):
                return 0  # no index yet: the start-up check or the next search rebuilds it
            done = 0
            while True:
                rows = (
                    await SearchOutbox.select(SearchOutbox.id, SearchOutbox.dataset_id)
                    .order_by(SearchOutbox.id)
                    .limit(DRAIN_BATCH)
                )
                if not rows:
                    return done
                ids = sorted({row["dataset_id"] for row in rows})
                found = await _documents_query(load_json=True).where(
                    Dataset.id.is_in([uuid.UUID(i) for i in ids])
                )
                stored = [build.stored_document(row["document"]) for row in found]
                documents = [
                    index_document(str(row["id"]), document, row["publisher.name"] or "",
                                   row["modified"], row["created"])
                    for row, document in zip(found, stored, strict=True)
                ]
                present = {d["id"] for d in documents}
                removed = [i for i in ids if i not in present]
                await asyncio.to_thread(_apply, documents, stored, removed)
                await SearchOutbox.delete().where(
                    SearchOutbox.id.is_in([row["id"] for row in rows])
                )
                done += len(rows)


async def pending() -> bool:
    return bool(await SearchOutbox.select(SearchOutbox.id).limit(1))


async def rebuild(progress: Progress | None = None, *, force: bool = True) -> int:
    """Recreate the index from the database (waits for the writer lock); documents indexed.

    With ``force=False`` it first checks again, under the lock, whether another process has
    just rebuilt it (several workers starting at once rebuild once).
    """
    async with drain_lock():
        handle = await _wait_for_writer_lock()
        try:
            if not force and await consistency_problem() is None:
                return 0
            return await _rebuild_locked(progress)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


class IndexBusy(RuntimeError):
    """Another holder kept the writer lock too long; the next search or start retries."""


async def _wait_for_writer_lock(timeout: float = REBUILD_LOCK_SECONDS) -> Any:
    """Take the writer lock, polling without blocking the event loop, or give up.

    Never a blocking ``flock``: the holder may be a task of this very process (two event
    loops in one process, as in tests) that cannot run while we block, which would deadlock.
    """
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "w")  # noqa: SIM115 - released by rebuild()
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise IndexBusy("the search index writer lock is held elsewhere") from None
            await asyncio.sleep(0.05)


async def _rebuild_locked(progress: Progress | None) -> int:
    folder = index_dir()
    last_row = await SearchOutbox.select(SearchOutbox.id).order_by(
        SearchOutbox.id, ascending=False
    ).first()
    total = await Dataset.count()
    if open_index() is None:
        await asyncio.to_thread(whoosh_index.create_in, str(folder), schema())
    latest = {"modified": ""}
    slices = _slices(build.slice_size(total, build.workers_for(total)), latest)
    segments, words, done = await build.build(folder, total, slices, progress)
    spelling.replace(folder, words)
    await asyncio.to_thread(build.publish, folder, segments)
    marker = uuid.uuid4().hex
    _write_state({"marker": marker, "max_modified": latest["modified"], "version": INDEX_VERSION})
    await _store_marker(marker)
    if last_row:
        await SearchOutbox.delete().where(SearchOutbox.id <= last_row["id"])
    logger.info("search index rebuilt: %d datasets in %d segments", done, len(segments))
    return done


async def _slices(size: int, latest: dict[str, str]) -> AsyncIterator[list[build.Row]]:
    """Every stored dataset, in id order, ``size`` at a time (documents left as JSON text:
    the workers decode them). Notes the latest modification time in ``latest``."""
    after, rows = None, []
    while True:
        query = _documents_query(load_json=False).order_by(Dataset.id).limit(REBUILD_BATCH)
        if after is not None:
            query = query.where(Dataset.id > after)
        batch = await query
        for row in batch:
            rows.append((str(row["id"]), row["document"], row["publisher.name"] or "",
                         row["modified"], row["created"]))
            latest["modified"] = max(latest["modified"], _stamp(row["modified"]))
            if len(rows) == size:
                yield rows
                rows = []
        if len(batch) < REBUILD_BATCH:
            break
        after = batch[-1]["id"]
    if rows:
        yield rows


async def _store_marker(marker: str) -> None:
    updated = (
        await SearchState.update({SearchState.marker: marker})
        .where(SearchState.name == STATE_NAME)
        .returning(SearchState.id)
    )
    if not updated:
        await SearchState.insert(SearchState(name=STATE_NAME, marker=marker))


FIRST_BUILD = "no index had been built yet"
"""The normal first start (an empty data dir): nothing is wrong, so say so plainly."""


async def consistency_problem() -> str | None:
    """Why the index does not describe the database, or None (cheap: two small queries)."""
    ix = await asyncio.to_thread(open_index)
    if ix is None and not any(index_dir().glob("_MAIN_*.toc")):  # no table of contents yet
        return FIRST_BUILD
    if ix is None:
        return "the index is missing, corrupt or has an old schema"
    state = read_state()
    if state.get("version") != INDEX_VERSION:
        return "the index was built by an older version of the catalogue"
    if not state.get("marker") or state["marker"] != await _database_marker():
        return "the index was built from another database (marker differs)"
    count, latest = await _database_facts()
    indexed = await asyncio.to_thread(ix.doc_count)
    if indexed != count:
        return f"the index holds {indexed} datasets, the database {count}"
    if state.get("max_modified", "") != latest:
        return "the index is older than the latest change in the database"
    return None


async def ensure_index(progress: Progress | None = None) -> str | None:
    """Start-up check: apply pending changes, then rebuild if still inconsistent (and why)."""
    if await asyncio.to_thread(open_index) is not None and read_state().get("marker"):
        await drain()
    problem = await consistency_problem()
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
    """Before a search: rebuild if the database was replaced, apply pending changes."""
    rows = await SearchState.raw(
        "SELECT (SELECT marker FROM search_state WHERE name = {}) AS marker, "
        "(SELECT MIN(id) FROM search_outbox) AS next_change",
        STATE_NAME,
    )
    row = rows[0] if rows else {"marker": None, "next_change": None}
    if row["marker"] is None or row["marker"] != read_state().get("marker"):
        if await consistency_problem():
            try:
                await rebuild(force=False)
            except IndexBusy:  # another writer is at it; answer from the index we have
                logger.warning("search index busy; answering from the current index")
        return
    if row["next_change"] is not None:
        await drain()
