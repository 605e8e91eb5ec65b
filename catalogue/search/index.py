"""Writing the index: one writer at a time, following the change log, and self-healing.

The database is the source of truth. Every change leaves a row in ``change_log`` (same
transaction); :func:`drain` applies the rows past the index's position (kept in its state
file, with the gaps :mod:`.changelog` explains) and moves the position on in the same step,
so a crash in between only means rows are applied again (updates are idempotent). Nothing is
deleted: every node follows the same log with its own index. :func:`rebuild` recreates the
index from the database; :func:`ensure_index` (start-up) and :func:`sync` (before every
search) compare the index with the database cheaply and rebuild when it is missing, corrupt,
built from another database, or behind the log's retention window.

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
from catalogue.db import read_rows
from catalogue.files import write_atomically
from catalogue.progress import Progress
from catalogue.search import build, changelog, spelling
from catalogue.search.schema import (
    INDEX_VERSION,
    WRITER_OPTIONS,
    _aware,
    index_document,
    schema,
)
from catalogue.search.tables import SearchState
from catalogue.settings import get_settings

logger = logging.getLogger(__name__)

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


def _apply(
    documents: list[dict[str, Any]],
    stored: list[dict[str, Any]],
    removed: list[str],
    position: int,
    gaps: dict[str, float],
) -> None:
    """Write one batch of changes as one commit, then the new log position (runs in a
    thread: whoosh blocks)."""
    state = read_state()
    state.update(position=position, gaps=gaps)
    if not documents and not removed:
        _write_state(state)
        return
    ix = open_index(check=False)
    if ix is None:
        raise RuntimeError("the search index is missing; run `catalogue reindex`")
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
    writer.commit(mergetype=build.merge_small_segments)
    stamps = [state.get("max_modified", ""), *(_stamp(d["modified"]) for d in documents)]
    state["max_modified"] = max(stamps)
    _write_state(state)


async def drain(*, wait: bool = True) -> int:
    """Apply the change log past the index's position, if this process can take the writer
    lock; how many datasets were (re)indexed."""
    lock = drain_lock()
    if not wait and lock.locked():
        return 0
    async with lock:
        with writer_lock(blocking=False) as acquired:
            if not acquired or not whoosh_index.exists_in(str(index_dir())):
                return 0  # no index yet: the start-up check or the next search rebuilds it
            if await _replaced(read_state()):  # an emptied or restored database
                return await _rebuild_locked(None)
            done = 0
            while True:
                state = read_state()
                position, gaps = int(state["position"]), dict(state.get("gaps") or {})
                entries = await changelog.read(position, [int(g) for g in gaps], DRAIN_BATCH)
                new_position, new_gaps = changelog.follow_gaps(position, gaps, entries)
                if new_position == position and new_gaps == gaps:
                    changelog.advance(position)
                    return done
                ids = sorted({e.object_id for e in entries if e.kind == "dataset"})
                documents, stored, removed = await _documents_for(ids)
                await asyncio.to_thread(_apply, documents, stored, removed, new_position, new_gaps)
                changelog.advance(new_position)
                done += len(ids)


async def _documents_for(
    ids: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The index documents of the datasets ``ids``, their stored form, and the ids gone."""
    found = (
        await _documents_query(load_json=True).where(Dataset.id.is_in([uuid.UUID(i) for i in ids]))
        if ids
        else []
    )
    stored = [build.stored_document(row["document"]) for row in found]
    documents = [
        index_document(
            str(row["id"]), document, row["publisher.name"] or "", row["modified"], row["created"]
        )
        for row, document in zip(found, stored, strict=True)
    ]
    present = {d["id"] for d in documents}
    return documents, stored, [i for i in ids if i not in present]


async def pending() -> bool:
    """Whether the log holds changes this index has not applied."""
    state = read_state()
    return bool(state.get("gaps")) or await changelog.last_id() > int(state.get("position", 0))


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
    position = await changelog.last_id()  # before reading: later changes are applied after
    total = await Dataset.count()
    if open_index() is None:
        await asyncio.to_thread(whoosh_index.create_in, str(folder), schema())
    latest = {"modified": ""}
    slices = _slices(build.slice_size(total, build.workers_for(total)), latest)
    segments, words, done = await build.build(folder, total, slices, progress)
    spelling.replace(folder, words)
    await asyncio.to_thread(build.publish, folder, segments)
    marker = await _database_marker() or await _store_marker(uuid.uuid4().hex)
    _write_state(
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
        query = _documents_query(load_json=False).order_by(Dataset.id).limit(REBUILD_BATCH)
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
            latest["modified"] = max(latest["modified"], _stamp(row["modified"]))
            if len(rows) == size:
                yield rows
                rows = []
        if len(batch) < REBUILD_BATCH:
            break
        after = batch[-1]["id"]
    if rows:
        yield rows


async def _store_marker(marker: str) -> str:
    """Name this database (once: every node's index keeps the same name beside it)."""
    from catalogue.db import is_unique_violation

    try:
        await SearchState.insert(SearchState(name=STATE_NAME, marker=marker))
    except Exception as error:
        if not is_unique_violation(error):
            raise
        return await _database_marker() or marker  # another node named it first
    return marker


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
    if log_problem := _log_problem(
        state, await changelog.last_id(), await changelog.pruned_through()
    ):
        return log_problem
    count, latest = await _database_facts()
    indexed = await asyncio.to_thread(ix.doc_count)
    if indexed != count:
        return f"the index holds {indexed} datasets, the database {count}"
    if state.get("max_modified", "") != latest:
        return "the index is older than the latest change in the database"
    return None


def _log_problem(state: dict[str, Any], last: int, pruned: int) -> str | None:
    """Why the index cannot follow the change log from its position, or None."""
    if "position" not in state:
        return "the index was built before the change log"
    position = int(state["position"])
    if position > last:
        return "the change log is behind the index (the database was replaced)"
    if position < pruned:
        return "the index fell behind the change log's retention window"
    return None


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


async def _head() -> tuple[str | None, int, int]:
    """The database's marker, the last pruned and the newest change-log id (one query)."""
    rows = await read_rows(
        SearchState,
        "SELECT (SELECT marker FROM search_state WHERE name = {}) AS marker, "
        "(SELECT marker FROM search_state WHERE name = {}) AS pruned, "
        "(SELECT MAX(id) FROM change_log) AS last",
        STATE_NAME,
        changelog.PRUNED_NAME,
    )
    row = rows[0] if rows else {"marker": None, "pruned": None, "last": None}
    last = int(row["last"] or 0)
    changelog.observe(last)
    return row["marker"], int(row["pruned"] or 0), last


async def _replaced(state: dict[str, Any]) -> bool:
    """Whether this index cannot follow the log: another database, or out of its reach."""
    marker, pruned, last = await _head()
    return (
        marker is None or marker != state.get("marker") or bool(_log_problem(state, last, pruned))
    )


async def sync() -> None:
    """Before a search: rebuild if the database was replaced or the log moved past this
    index's reach; apply the changes it has not seen."""
    state = read_state()
    if await _replaced(state):
        if await consistency_problem():
            try:
                await rebuild(force=False)
            except IndexBusy:  # another writer is at it; answer from the index we have
                logger.warning("search index busy; answering from the current index")
        return
    if changelog.current_position() > int(state["position"]) or state.get("gaps"):
        await drain()
