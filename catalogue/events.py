"""Changes announced inside the writing transaction.

Whatever must commit or fail together with a change (the search outbox, the audit log)
subscribes here, so the services that write data need not know about them. The listeners
are listed in :mod:`catalogue.wiring`, which installs them (``wire(settings)``: the app, the
CLI and any script call it); announcing before that raises :class:`~catalogue.plugs.NotWired`
rather than writing a change the audit log and the index never hear of.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.plugs import Registry


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
    # What the writer already holds of the new state (a dataset's validated document and
    # row values), so a listener need not read it back and validate it again. Only for
    # listeners in this process: never recorded (``extra`` is what the audit log keeps).
    written: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


Listener = Callable[[Change], Awaitable[None]]
BatchListener = Callable[[Sequence[Change]], Awaitable[None]]
_listeners: Registry[Listener] = Registry("transactional listeners")
_batch_listeners: dict[Listener, BatchListener] = {}


def install(listeners: Sequence[Listener], batches: Mapping[Listener, BatchListener]) -> None:
    """Called by :func:`catalogue.wiring.wire`: these listeners, in this order; ``batches``
    gives some of them a faster form for many changes at once (batch writes)."""
    _listeners.install(listeners)
    _batch_listeners.clear()
    _batch_listeners.update(batches)


def subscribe(listener: Listener) -> Listener:
    """Add one more listener after wiring (tests use it to watch the changes)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


async def announce(change: Change) -> None:
    """Call every listener; run this inside the transaction that made the change."""
    for listener in _listeners.required():
        await listener(change)


async def announce_many(changes: Sequence[Change]) -> None:
    """Announce several changes of one transaction; listeners with a batch form get them
    all at once, the others one by one."""
    for listener in _listeners.required():
        batch = _batch_listeners.get(listener)
        if batch is not None:
            await batch(changes)
        else:
            for change in changes:
                await listener(change)
