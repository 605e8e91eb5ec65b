"""The audit log as a transactional listener (listed in ``catalogue.wiring``)."""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.audit.service import record_change, record_changes
from catalogue.events import Change


async def audit_change(change: Change) -> None:
    """Runs inside the writing transaction: the event commits or rolls back with the write."""
    await record_change(change)


async def audit_changes(changes: Sequence[Change]) -> None:
    """A batch write's events, chained in one go inside its transaction."""
    await record_changes(changes)
