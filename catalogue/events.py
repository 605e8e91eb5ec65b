"""Changes announced inside the writing transaction.

Whatever must commit or fail together with a change (the search outbox, the audit log)
subscribes here, so the services that write data need not know about them. The modules
holding those listeners are imported on the first announcement, so every program that uses
the services (the app, the CLI, a script) keeps the audit log and the index in step.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.accounts.principal import Principal


@dataclass(frozen=True)
class Change:
    kind: str  # "dataset", "organisation", "user", "token", "agreement", ...
    action: str  # "create", "update", "publish", "withdraw", "revoke", ...
    object_id: str
    label: str = ""
    actor: Principal | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[Change], Awaitable[None]]
BatchListener = Callable[[Sequence[Change]], Awaitable[None]]
LISTENER_MODULES = (
    "catalogue.audit.listener",
    "catalogue.search.outbox",
    "catalogue.dcat.snapshot",
    "catalogue.onceonly.index",
    "catalogue.webhooks.listener",
)
_listeners: list[Listener] = []
_batch_listeners: dict[Listener, BatchListener] = {}
_installed = False


def subscribe(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def subscribe_batch(single: Listener) -> Callable[[BatchListener], BatchListener]:
    """Give the listener ``single`` a faster way to take many changes at once (batch writes)."""

    def register(batch: BatchListener) -> BatchListener:
        _batch_listeners[single] = batch
        return batch

    return register


def install_listeners() -> None:
    global _installed
    if not _installed:
        for name in LISTENER_MODULES:
            importlib.import_module(name)
        _installed = True


async def announce(change: Change) -> None:
    """Call every listener; run this inside the transaction that made the change."""
    install_listeners()
    for listener in list(_listeners):
        await listener(change)


async def announce_many(changes: Sequence[Change]) -> None:
    """Announce several changes of one transaction; listeners with a batch form get them
    all at once, the others one by one."""
    install_listeners()
    for listener in list(_listeners):
        batch = _batch_listeners.get(listener)
        if batch is not None:
            await batch(changes)
        else:
            for change in changes:
                await listener(change)
