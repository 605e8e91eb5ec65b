"""Following the change log: each batch of changed datasets is applied in one commit, and the
index's position moved on in the same step (a crash in between only means rows applied again).

A change's commit never merges segments: merging small segments in whoosh costs 2-3 ms a
dataset (40 ms for a few single-dataset segments, a second for a few hundred datasets) and
made the change wait for it. Small segments are merged in a pause between writes
(:func:`merge_when_idle`, from each node's follow loop); a run of writes that has left
``MAX_SMALL_SEGMENTS`` of them merges the smallest tier, in a commit after the change's.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from whoosh import index as whoosh_index

from catalogue.datasets.tables import Dataset
from catalogue.search import build, changelog, index_files, spelling
from catalogue.search.index_consistency import cannot_follow_log
from catalogue.search.index_database import documents_query, stamp
from catalogue.search.index_rebuild import rebuild_locked
from catalogue.search.schema import WRITER_OPTIONS, index_document

DRAIN_BATCH = 500
MAX_SMALL_SEGMENTS = 8
"""Small segments writes may leave before a drain merges them without waiting for a pause
(each costs a search a few term look-ups)."""
MERGE_IDLE_SECONDS = 1.0
"""How long no change must have been applied before small segments are merged."""
_nothing_to_merge_at: tuple[Any, Any, float] | None = None
"""The index state (database marker, log position, last write) at which this process last
found nothing to merge: the poll, every few seconds on every node, then reads only the state
file until the index changes."""


def _apply(
    documents: list[dict[str, Any]],
    stored: list[dict[str, Any]],
    removed: list[str],
    position: int,
    gaps: dict[str, float],
) -> None:
    """Write one batch of changes as one commit, then the new log position (runs in a
    thread: whoosh blocks)."""
    state = index_files.read_state()
    state.update(position=position, gaps=gaps)
    if not documents and not removed:
        index_files.write_state(state)
        return
    ix = index_files.open_index(check=False)
    if ix is None:
        raise RuntimeError("the search index is missing; run `catalogue reindex`")
    spelling.add(
        index_files.index_dir(), stored
    )  # before the commit: a new generation has its words
    writer = ix.writer(**WRITER_OPTIONS)
    try:
        for dataset_id in removed:
            writer.delete_by_term("id", dataset_id)
        for document in documents:
            writer.update_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    stamps = [state.get("max_modified", ""), *(stamp(d["modified"]) for d in documents)]
    state["max_modified"] = max(stamps)
    state["applied_at"] = time.time()
    index_files.write_state(state)
    if len(build.small_segments(ix._segments())) > MAX_SMALL_SEGMENTS:
        _merge_small_segments(ix, smallest_only=True)


def _merge_small_segments(ix: Any, *, smallest_only: bool = False) -> bool:
    """Merge the small segments writes left, in a commit of its own
    (:func:`build.merge_small_segments`); whether there was anything to merge."""
    if not build.small_segments_to_merge(ix._segments(), smallest_only=smallest_only):
        return False
    policy = build.merge_smallest_tier if smallest_only else build.merge_small_segments
    writer = ix.writer(**WRITER_OPTIONS)
    writer.commit(mergetype=policy)
    return True


async def drain(*, wait: bool = True) -> int:
    """Apply the change log past the index's position, if this process can take the writer
    lock; how many datasets were (re)indexed."""
    lock = index_files.drain_lock()
    if not wait and lock.locked():
        return 0
    async with lock:
        with index_files.writer_lock(blocking=False) as acquired:
            if not acquired or not whoosh_index.exists_in(str(index_files.index_dir())):
                return 0  # no index yet: the start-up check or the next search rebuilds it
            if await cannot_follow_log(index_files.read_state()):  # an emptied or restored database
                return await rebuild_locked(None)
            return await _follow_log()


async def merge_when_idle() -> bool:
    """In a pause between writes: merge the small segments they left, then apply whatever
    the log gained meanwhile (a drain elsewhere found the writer lock taken and left it);
    whether anything was merged. The locks are taken only when there is something to merge,
    so a poll finding nothing never makes another worker's drain step aside."""
    global _nothing_to_merge_at
    state = index_files.read_state()
    applied_at = float(state.get("applied_at") or 0)
    looked_at = (state.get("marker"), state.get("position"), applied_at)
    if time.time() - applied_at < MERGE_IDLE_SECONDS or looked_at == _nothing_to_merge_at:
        return False  # writes go on, or the index has not changed since a look found nothing
    ix = index_files.open_index(check=False)
    if ix is None or not build.small_segments_to_merge(ix._segments()):
        _nothing_to_merge_at = looked_at
        return False
    lock = index_files.drain_lock()
    if lock.locked():
        return False
    async with lock:
        with index_files.writer_lock(blocking=False) as acquired:
            if not acquired:
                return False
            merged = await asyncio.to_thread(_merge_small_segments, ix)
            if not await cannot_follow_log(index_files.read_state()):
                await _follow_log()
            return merged


async def _follow_log() -> int:
    """Apply the log in batches until the index has it all (both locks held)."""
    done = 0
    while True:
        state = index_files.read_state()
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
        await documents_query(load_json=True).where(Dataset.id.is_in([uuid.UUID(i) for i in ids]))
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
    state = index_files.read_state()
    return bool(state.get("gaps")) or await changelog.last_id() > int(state.get("position", 0))
