"""Queues webhook deliveries in the transaction of the change that makes them.

Wired in :mod:`catalogue.wiring`, so every program that writes (the
app, the CLI, the seed) queues them; the row commits with the change or not at all. After
the commit the worker of this process is woken, so a delivery leaves within milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.events import Change
from catalogue.webhooks import service, worker


async def queue_deliveries(change: Change) -> None:
    await queue_many([change])


async def queue_many(changes: Sequence[Change]) -> None:
    if await service.enqueue(changes):
        worker.wake_after_commit()
