"""Queues webhook deliveries in the transaction of the change that makes them.

Imported by :func:`catalogue.events.install_listeners`, so every program that writes (the
app, the CLI, the seed) queues them; the row commits with the change or not at all. After
the commit the worker of this process is woken, so a delivery leaves within milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.events import Change, subscribe, subscribe_batch
from catalogue.webhooks import service, worker


@subscribe
async def queue_deliveries(change: Change) -> None:
    await queue_many([change])


@subscribe_batch(queue_deliveries)
async def queue_many(changes: Sequence[Change]) -> None:
    if await service.enqueue(changes):
        worker.wake_after_commit()
