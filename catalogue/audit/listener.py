"""Subscribes the audit log to every announced change (imported by the app and the CLI)."""

from __future__ import annotations

from catalogue.audit.service import record_change
from catalogue.events import Change, subscribe


@subscribe
async def audit_change(change: Change) -> None:
    """Runs inside the writing transaction: the event commits or rolls back with the write."""
    await record_change(change)
