"""A full rebuild, in parallel: worker processes each write finished index segments.

whoosh analyses and writes postings in pure Python, so one core indexes a few thousand
datasets a second at best. A rebuild therefore reads the stored documents in slices (in the
order of their ids) and hands each slice to a worker process, which writes it as one
complete segment with its own writer and its own temporary folder. When every slice is
done, the parent publishes all the new segments at once as the index's next generation: one
atomic table-of-contents write, so a searcher sees either the old index or the new one.

Small catalogues (below :data:`PARALLEL_FROM` datasets) are built in this process: starting
workers costs more than it saves there.

This is the one module that uses whoosh below its public writer API (``SegmentWriter`` with
``_lk=False`` and ``_finalize_segment``, ``TOC``), as whoosh's own ``MpWriter`` does.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import shutil
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.writing import SegmentWriter

from catalogue import settings as settings_module
from catalogue.search import spelling
from catalogue.search.schema import WRITER_OPTIONS, index_document
from catalogue.settings import Settings

SEGMENT_SIZE = 20_000
"""Most datasets per segment: a worker keeps a segment's postings in memory (~0.4 GB)."""
POOL_MB = 1024
"""The writer's posting pool: large enough that a segment is sorted in memory, not spilled."""
PARALLEL_FROM = 5_000
Row = tuple[str, Any, str, Any, Any]
"""(dataset id, stored document as JSON text or dict, publisher name, modified, created)."""
Progress = Callable[[int, int], None]


class _PrivateTemporaryStorage(FileStorage):
    """whoosh names a writer's temporary folder after the index, so two writers in one index
    folder would share (and delete) it; each worker's writer gets a folder of its own."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.temporary_name = f"{uuid.uuid4().hex}.tmp"

    def temp_storage(self, name: str | None = None) -> Any:
        return super().temp_storage(self.temporary_name)


def stored_document(document: Any) -> dict[str, Any]:
    """A dataset's stored JSON as a dict (drivers give it as text or already decoded)."""
    return json.loads(document) if isinstance(document, str) else document


def build_segment(folder: str, rows: list[Row]) -> tuple[Any, Counter[str]]:
    """Index ``rows`` as one finished (unpublished) segment; the segment and its words."""
    storage = _PrivateTemporaryStorage(folder)
    writer = SegmentWriter(storage.open_index(), _lk=False, limitmb=POOL_MB, **WRITER_OPTIONS)
    words: Counter[str] = Counter()
    try:
        for dataset_id, document, publisher_name, modified, created in rows:
            stored = stored_document(document)
            writer.add_document(
                **index_document(dataset_id, stored, publisher_name, modified, created)
            )
            words.update(spelling.words_of(stored))
        segment = writer._finalize_segment()
    except BaseException:
        writer.cancel()
        raise
    finally:
        shutil.rmtree(Path(folder) / storage.temporary_name, ignore_errors=True)
    return segment, words


def _start_worker(parent_settings: Settings) -> None:
    settings_module.use_settings(parent_settings)


def workers_for(total: int) -> int:
    if total < PARALLEL_FROM:
        return 0
    wanted = settings_module.get_settings().index_workers or os.cpu_count() or 1
    return max(1, min(wanted, -(-total // 1000)))


def slice_size(total: int, workers: int) -> int:
    """Equal slices, a whole number per worker, none above :data:`SEGMENT_SIZE`."""
    if not workers:
        return max(total, 1)
    slices = -(-total // SEGMENT_SIZE)
    slices = -(-slices // workers) * workers
    return max(1, -(-total // slices))


def publish(folder: Path, segments: list[Any]) -> None:
    """Make ``segments`` (and nothing else) the index's next generation."""
    ix = whoosh_index.open_dir(str(folder))
    generation = ix.latest_generation() + 1
    TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, generation, segments)


async def build(
    folder: Path, total: int, slices: AsyncIterator[list[Row]], progress: Progress | None
) -> tuple[list[Any], Counter[str], int]:
    """Index every slice ``slices`` yields; the segments (in slice order), words, count."""
    for leftover in folder.glob("*.tmp"):  # temporary folders of writers that died
        shutil.rmtree(leftover, ignore_errors=True)
    workers = workers_for(total)
    words: Counter[str] = Counter()
    done = 0
    if not workers:
        segments = []
        async for rows in slices:
            segment, found = await asyncio.to_thread(build_segment, str(folder), rows)
            segments.append(segment)
            words.update(found)
            done += len(rows)
            if progress:
                progress(done, total)
        return segments, words, done
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("spawn")  # no fork of a threaded event loop
    results: dict[int, Any] = {}
    pending: dict[asyncio.Future[Any], int] = {}
    with ProcessPoolExecutor(
        workers, context, _start_worker, (settings_module.get_settings(),)
    ) as pool:
        try:
            number = 0
            async for rows in slices:
                if len(pending) > workers:  # bound memory: a few slices in flight
                    done += await _collect(pending, results, words)
                    if progress:
                        progress(done, total)
                future = loop.run_in_executor(pool, build_segment, str(folder), rows)
                pending[future] = number
                number += 1
            while pending:
                done += await _collect(pending, results, words)
                if progress:
                    progress(done, total)
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return [results[n] for n in sorted(results)], words, done


async def _collect(
    pending: dict[asyncio.Future[Any], int], results: dict[int, Any], words: Counter[str]
) -> int:
    """Wait for at least one slice; how many datasets finished."""
    finished, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    count = 0
    for future in finished:
        segment, found = future.result()
        results[pending.pop(future)] = segment
        words.update(found)
        count += segment.doc_count_all()
    return count


SMALL_SEGMENT = 1_000
"""Segments with fewer datasets than this are the ones changes write (a commit each)."""
MERGE_SMALL_AT = 4
"""How many small segments of one size tier a commit lets stand before it merges them."""
MERGE_TIER = 10
"""Small segments are tiered by size (under 10, 100, 1,000 datasets)."""


def _tier(count: int) -> int:
    tier, bound = 0, MERGE_TIER
    while count >= bound:
        tier, bound = tier + 1, bound * MERGE_TIER
    return tier


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """How small segments are merged (when: see :mod:`.index_drain`): tier by tier, never the
    rebuild's big ones. whoosh's ``MERGE_SMALL`` counts the big segments too: at 1,000,000
    datasets (50 segments) one edit merged 26 of them, 520,000 datasets, for minutes. Merging
    every small segment at once re-merged one growing segment of up to a thousand datasets
    each time; by tier, a merge takes a few datasets, and a thousand once in about
    ``MERGE_SMALL_AT ** 3`` merges. A rebuild compacts everything."""
    return _merge(writer, segments, small_segments_to_merge(segments))


def merge_smallest_tier(writer: Any, segments: list[Any]) -> list[Any]:
    """Only the smallest tier with enough segments: the cheapest merge that lowers the count
    (what a drain does while writes have not paused)."""
    return _merge(writer, segments, small_segments_to_merge(segments, smallest_only=True))


def _merge(writer: Any, segments: list[Any], merged: list[Any]) -> list[Any]:
    from whoosh.reading import SegmentReader

    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if not any(s is m for m in merged)]


def small_segments(segments: list[Any]) -> list[Any]:
    """The segments changes wrote (a rebuild's are never small)."""
    return [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT]


def small_segments_to_merge(segments: list[Any], *, smallest_only: bool = False) -> list[Any]:
    """The small segments of every tier with enough of them (or of the smallest such tier)."""
    tiers: dict[int, list[Any]] = {}
    for segment in small_segments(segments):
        tiers.setdefault(_tier(segment.doc_count_all()), []).append(segment)
    full = [tiers[tier] for tier in sorted(tiers) if len(tiers[tier]) >= MERGE_SMALL_AT]
    return (full[0] if full else []) if smallest_only else [s for tier in full for s in tier]
