"""The read cache keyed by a version: fresh while cheap, one computation behind when dear.

A national catalogue's dashboard aggregates scan every score; every write moves the
version. A cheap figure is recomputed at once; a dear one is served from its last value
while a single background task recomputes it, so no reader waits for the scan.
"""

from __future__ import annotations

import asyncio

from catalogue.datasets.versions import VersionedCache


class Counter:
    """A computation that counts its calls and can be made to wait."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self) -> int:
        self.calls += 1
        await self.gate.wait()
        return self.calls


async def test_a_cheap_value_is_recomputed_at_once_when_the_version_moves() -> None:
    cache: VersionedCache[int] = VersionedCache()
    compute = Counter()
    assert await cache.get_or_refresh("k", compute, 1, inline_below=10.0) == 1
    assert await cache.get_or_refresh("k", compute, 1, inline_below=10.0) == 1
    assert await cache.get_or_refresh("k", compute, 2, inline_below=10.0) == 2
    assert compute.calls == 2


async def test_the_first_value_is_always_computed_while_the_reader_waits() -> None:
    cache: VersionedCache[int] = VersionedCache()
    assert await cache.get_or_refresh("k", Counter(), 1, inline_below=0.0) == 1


async def test_a_dear_value_is_served_stale_while_one_task_recomputes_it() -> None:
    cache: VersionedCache[int] = VersionedCache()
    compute = Counter()
    await cache.get_or_refresh("k", compute, 1, inline_below=0.0)
    compute.gate.clear()  # the recomputation is slow
    readers = [cache.get_or_refresh("k", compute, 2, inline_below=0.0) for _ in range(5)]
    assert await asyncio.gather(*readers) == [1] * 5
    await asyncio.sleep(0)
    assert compute.calls == 2  # single flight: five readers, one recomputation
    compute.gate.set()
    await cache.settled()
    assert await cache.get_or_refresh("k", compute, 2, inline_below=0.0) == 2
    assert compute.calls == 2


async def test_a_failed_recomputation_keeps_the_last_value_and_is_tried_again() -> None:
    cache: VersionedCache[int] = VersionedCache()
    await cache.get_or_refresh("k", Counter(), 1, inline_below=0.0)

    async def broken() -> int:
        raise RuntimeError("the database went away")

    assert await cache.get_or_refresh("k", broken, 2, inline_below=0.0) == 1
    await cache.settled()
    assert await cache.get_or_refresh("k", broken, 2, inline_below=0.0) == 1
    await cache.settled()
    recovered = Counter()
    recovered.calls = 6
    assert await cache.get_or_refresh("k", recovered, 2, inline_below=0.0) == 1
    await cache.settled()
    assert await cache.get_or_refresh("k", recovered, 2, inline_below=0.0) == 7


async def test_clearing_forgets_the_stale_values_too() -> None:
    cache: VersionedCache[int] = VersionedCache()
    compute = Counter()
    await cache.get_or_refresh("k", compute, 1, inline_below=0.0)
    cache.clear()
    assert await cache.get_or_refresh("k", compute, 2, inline_below=0.0) == 2


async def test_readers_that_miss_together_wait_for_one_computation() -> None:
    cache: VersionedCache[int] = VersionedCache()
    compute = Counter()
    compute.gate.clear()
    readers = [asyncio.create_task(cache.get_or_compute("k", compute, 1)) for _ in range(32)]
    await asyncio.sleep(0.01)
    readers[0].cancel()  # one client gives up: the others still get the value
    compute.gate.set()
    results = await asyncio.gather(*readers[1:])
    assert results == [1] * 31 and compute.calls == 1
    assert await cache.get_or_compute("k", compute, 2) == 2  # a new version: computed anew
    assert compute.calls == 2


async def test_a_failed_computation_reaches_every_waiter_and_is_tried_again() -> None:
    cache: VersionedCache[int] = VersionedCache()
    attempts = 0

    async def failing() -> int:
        nonlocal attempts
        attempts += 1
        await asyncio.sleep(0.01)
        raise RuntimeError("the database went away")

    results = await asyncio.gather(
        *(cache.get_or_compute("k", failing, 1) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(result, RuntimeError) for result in results) and attempts == 1
    assert await cache.get_or_compute("k", Counter(), 1) == 1
