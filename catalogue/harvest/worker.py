"""Reading DCAT pages in a worker process, so parsing and mapping page N+1 uses the second
core while this process stores page N (rdflib holds the GIL: a thread would not overlap).

One long-lived worker serves every job of the process: it is started on first use (from a
forkserver that has the mapping code imported, so a new worker costs a fork, not an
import), reused, and shut down with the app (:func:`worker_lifespan`). A worker that dies
(kill -9, out of memory) fails the page it held with :class:`HarvestFailed`; the next page
given to it, in this job or the next, gets a new worker. A worker whose harvesting process
died exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from rdflib import Graph

from catalogue.harvest.fetch import FetchLimits, HarvestFailed, next_page, parse_rdf
from catalogue.harvest.records import HarvestRecord, records_from_graph
from catalogue.vocabularies import default_vocabularies

PARENT_POLL_SECONDS = 1.0
_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def graph_records(graph: Graph, url: str, base_url: str, language: str) -> list[HarvestRecord]:
    """The records of a parsed page; HarvestFailed when the mapping breaks on it."""
    try:
        return list(
            records_from_graph(
                graph,
                default_vocabularies(),
                source_url=url,
                base_url=base_url,
                default_language=language,
            )
        )
    except Exception as error:
        raise HarvestFailed(f"{url} could not be read as DCAT: {error}"[:1000]) from None


def read_page(
    body: bytes, fmt: str, url: str, max_triples: int, base_url: str, language: str
) -> tuple[list[HarvestRecord], str | None]:
    """In the worker: a page's bytes to its records and the next page's URL."""
    graph = parse_rdf(body, fmt, max_triples, url)
    following = next_page(graph, url)
    return graph_records(graph, url, base_url, language), following


def _watch_parent(parent: int) -> None:
    """The worker's initializer: exit once the harvesting process is gone (kill -9). Its
    queues cannot tell (the worker holds both ends), nor can the forkserver in between,
    which waits for the worker to end first."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid was reused: the parent is gone
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")  # no fork of the event loop
            context.set_forkserver_preload([__name__])
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool: the next page gets a new worker."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _submit(*args: Any) -> tuple[ProcessPoolExecutor, Future[Any]]:
    pool = _executor()
    try:
        return pool, pool.submit(read_page, *args)
    except BrokenProcessPool:  # the worker died while idle: nothing of this job was lost
        _discard(pool)
        pool = _executor()
        return pool, pool.submit(read_page, *args)


async def read_in_worker(
    body: bytes, fmt: str, url: str, limits: FetchLimits, base_url: str, language: str
) -> tuple[list[HarvestRecord], str | None]:
    """:func:`read_page` in the worker; its HarvestFailed as it raised it."""
    pool, future = _submit(body, fmt, url, limits.max_page_triples, base_url, language)
    try:
        return await asyncio.wrap_future(future)
    except BrokenProcessPool:
        _discard(pool)
        raise HarvestFailed(
            f"{url} could not be read: the harvest worker process ended while reading it"
        ) from None


def shutdown() -> None:
    """Stop the worker (it finishes nothing more); a later page starts a new one."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.asynccontextmanager
async def worker_lifespan(_: Any = None) -> AsyncIterator[None]:
    """The app's: the worker, if one was started, ends with the app."""
    try:
        yield
    finally:
        await asyncio.to_thread(shutdown)
