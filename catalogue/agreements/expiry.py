"""Agreements whose last day has passed become ``expired``: on read, on list, and by the
``catalogue agreements expire`` command. Every function takes the day, so tests are exact."""

from __future__ import annotations

import datetime as dt

from catalogue.accounts.principal import Principal
from catalogue.agreements.changes import announce_change
from catalogue.agreements.records import AgreementRecord, find_record, get_record
from catalogue.agreements.tables import Agreement
from catalogue.db import write_transaction
from catalogue.domain.agreement import EXPIRING_STATUSES, AgreementStatus


def today() -> dt.date:
    """The current date (UTC)."""
    return dt.datetime.now(dt.UTC).date()


async def expire_due(on: dt.date | None = None) -> list[str]:
    """Mark every agreement whose period ended before ``on`` as expired; returns references."""
    on = on or today()
    due_statuses = [status.value for status in EXPIRING_STATUSES]
    due = await Agreement.select(Agreement.id).where(
        Agreement.status.is_in(due_statuses) & (Agreement.valid_until < on)
    )
    expired: list[str] = []
    for row in due:
        async with write_transaction():
            record = await find_record(str(row["id"]))
            if record is None or record.status not in EXPIRING_STATUSES:
                continue  # another worker got there first
            reason = f"the agreed period ended on {record.document.valid_until.isoformat()}"
            entry = {
                "action": "expire",
                "status": AgreementStatus.EXPIRED.value,
                "reason": reason,
                "by": "system",
                "by_user_id": None,
                "at": dt.datetime.now(dt.UTC).isoformat(),
            }
            await Agreement.update(
                {
                    Agreement.status: AgreementStatus.EXPIRED.value,
                    Agreement.revision: record.revision + 1,
                    Agreement.modified: dt.datetime.now(dt.UTC),
                    Agreement.decision: [*record.decisions, entry],
                }
            ).where(Agreement.id == record.id)
            saved = await find_record(str(record.id))
            assert saved is not None
            await announce_change("expire", saved, record, None, reason)
            expired.append(record.reference)
    return expired


async def get_fresh(
    agreement_id: str, principal: Principal | None, on: dt.date | None = None
) -> AgreementRecord:
    """Read one agreement after expiring it if its period is over (so no stale status shows)."""
    record = await get_record(agreement_id, principal)
    if record.status in EXPIRING_STATUSES and record.document.valid_until < (on or today()):
        await expire_due(on)
        record = await get_record(agreement_id, principal)
    return record
