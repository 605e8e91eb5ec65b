"""Following the change log: each batch of changed datasets is applied in one commit, and the
index's position moved on in the same step (a crash in between only means rows applied again);
small segments are merged afterwards, in a commit of their own.
"""

from __future__ import annotations

import asyncio
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
    index_files.write_state(state)
    _merge_small_segments(ix)


def _merge_small_segments(ix: Any) -> None:
    """Once a change can be found, and as a commit of its own: merge the small segments writes
    left (:func:`build.merge_small_segments`). Merging in the change's own commit made the
    change wait for it: 40-300 ms, the slowest twentieth of "a new dataset is found"."""
    if not build.small_segments_to_merge(ix._segments()):
        return
    writer = ix.writer(**WRITER_OPTIONS)
    writer.commit(mergetype=build.merge_small_segments)


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
