"""Changes announced inside the writing transaction.

Whatever must commit or fail together with a change (the search outbox, the audit log)
subscribes here, so the services that write data need not know about them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


async def announce(change: Change) -> None:
    """Call every listener; run this inside the transaction that made the change."""
    for listener in list(_listeners):
        await listener(change)
