"""Read caches that can never answer from before a change: keyed by the catalogue version.

Every committed change to a dataset, its themes, an organisation or an agreement moves the
one-row ``catalogue_read_version`` forward (database triggers, see the ``datasets``
migration of 2026-12-01 and the ``agreements`` one of 2026-12-04), on every worker and node
alike. A cache entry remembers the version it was
computed at and is used only while the version is unchanged. The version is always read
*before* the data an entry is computed from, so an entry may hold data newer than its
version (harmless: the next change replaces it) but never older.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from catalogue.datasets.tables import Dataset
from catalogue.db import read_rows

T = TypeVar("T")
log = logging.getLogger(__name__)
# A box holding the version read once for a stretch of reads ([None] until first asked).
_held: ContextVar[list[int | None] | None] = ContextVar("held_catalogue_version", default=None)


async def _read_version() -> int:
    rows = await read_rows(Dataset, "SELECT value FROM catalogue_read_version LIMIT 1")
    return int(rows[0]["value"]) if rows else 0


async def current_version() -> int:
    """The catalogue's version now (one indexed read of a one-row table), or the one held
    by :func:`held_version` / :func:`version_held_lazily`."""
    box = _held.get()
    if box is None:
        return await _read_version()
    held = box[0]
    if held is None:
        held = box[0] = await _read_version()
    return held


@contextlib.asynccontextmanager
async def held_version() -> AsyncIterator[int]:
    """The version read once for a stretch of reads that writes nothing (a batch write's
    checks of a chunk ask the publishers' snapshot once per item: one read, not hundreds)."""
    token = _held.set([await _read_version()])
    try:
        yield await current_version()
    finally:
        _held.reset(token)


@contextlib.contextmanager
def version_held_lazily() -> Iterator[None]:
    """Within this block the version is read at its first use and then held: a page that
    asks five caches reads it once (on PostgreSQL each read is a round trip). For requests
    that write nothing: a cache filled after a write would be keyed by the earlier version
    (harmless, as the module says, but a waste)."""
    token = _held.set([None])
    try:
        yield
    finally:
        _held.reset(token)


class VersionedCache(Generic[T]):
    """A bounded LRU of values computed at a version (the catalogue's, or a record's)."""

    def __init__(
        self,
        max_entries: int = 1024,
        max_bytes: int | None = None,
        size_of: Callable[[T], int] | None = None,
    ) -> None:
        """``max_bytes`` bounds the values' sizes: a text's or bytes' length, or ``size_of``."""
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size_of = size_of
        self._entries: OrderedDict[Hashable, tuple[Hashable, T, int]] = OrderedDict()
        self._bytes = 0
        self._stale: dict[Hashable, tuple[T, float]] = {}  # last value, seconds it took
        self._refreshing: dict[Hashable, asyncio.Task[None]] = {}
        self._flights: dict[tuple[Hashable, Hashable], asyncio.Future[T]] = {}

    def get(self, key: Hashable, version: Hashable) -> T | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] != version:
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: Hashable, version: Hashable, value: T, size: int | None = None) -> None:
        if size is None and self.size_of is not None:
            size = self.size_of(value)
        elif size is None:
            size = len(value) if isinstance(value, bytes | str) else 0
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[2]
        self._entries[key] = (version, value, size)
        self._bytes += size
        while len(self._entries) > self.max_entries or (
            self.max_bytes is not None and self._bytes > self.max_bytes and self._entries
        ):
            _, (_, _, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped

    async def get_or_compute(
        self, key: Hashable, compute: Callable[[], Awaitable[T]], version: Hashable = None
    ) -> T:
        """The cached value for ``key`` at the current version, computing it when absent.

        Once per worker: requests that miss together wait for the one computation (32
        connections arriving at a cold or just-changed cache computed an aggregate 32 times
        at once). A caller that gives up does not stop it for the others."""
        if version is None:
            version = await current_version()
        value = self.get(key, version)
        if value is not None:
            return value
        flight = (key, version)
        task = self._flights.get(flight)
        if task is None:
            task = asyncio.ensure_future(self._compute_and_keep(key, compute, version))
            self._flights[flight] = task
            task.add_done_callback(lambda done: self._landed(flight, done))
        return await asyncio.shield(task)

    async def _compute_and_keep(
        self, key: Hashable, compute: Callable[[], Awaitable[T]], version: Hashable
    ) -> T:
        value = await compute()
        self.put(key, version, value)
        return value

    def _landed(self, flight: tuple[Hashable, Hashable], task: asyncio.Future[T]) -> None:
        self._flights.pop(flight, None)
        if not task.cancelled():
            task.exception()  # retrieved here too: every waiter may have given up

    async def get_or_refresh(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        version: Hashable,
        inline_below: float = 0.05,
    ) -> T:
        """Like :meth:`get_or_compute`, but an aggregate that took ``inline_below`` seconds
        or more to compute is served from its last value while one background task (per key,
        per worker) computes the new one: at national scale a dashboard read after a change
        costs nothing and is at most one computation behind; a small catalogue, whose
        figures are cheap, always answers fresh."""
        value = self.get(key, version)
        if value is not None:
            return value
        last = self._stale.get(key)
        if last is not None and last[1] >= inline_below:
            if key not in self._refreshing:
                task = asyncio.create_task(self._refresh(key, compute, version))
                self._refreshing[key] = task
            return last[0]
        return await self._compute(key, compute, version)

    async def _compute(
        self, key: Hashable, compute: Callable[[], Awaitable[T]], version: Hashable
    ) -> T:
        started = time.perf_counter()
        value = await compute()
        self._stale[key] = (value, time.perf_counter() - started)
        self.put(key, version, value)
        return value

    async def _refresh(
        self, key: Hashable, compute: Callable[[], Awaitable[T]], version: Hashable
    ) -> None:
        try:
            await self._compute(key, compute, version)
        except Exception:  # the stale value stays; the next read tries again
            log.exception("recomputing the cached %r failed", key)
        finally:
            self._refreshing.pop(key, None)

    async def settled(self) -> None:
        """Wait for the background recomputations running now (tests, shutdown)."""
        while self._refreshing:
            await asyncio.gather(*self._refreshing.values(), return_exceptions=True)

    def clear(self) -> None:
        self._entries.clear()
        self._stale.clear()
        self._bytes = 0


def visibility_key(principal: Any) -> Hashable:
    """Who sees the same datasets: anonymous, everything, or public plus these organisations."""
    if principal is None:
        return "public"
    if principal.reads_everything:
        return "everything"
    return ("organisations", tuple(sorted(principal.organisations)))
