"""The change event every agreement write announces inside its transaction (the audit trail
subscribes to ``catalogue.events``)."""

from __future__ import annotations

from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.agreements.records import AgreementRecord
from catalogue.domain.agreement import AgreementDocument
from catalogue.events import Change, announce


def title_of(document: AgreementDocument) -> str:
    return next(iter(document.service.title.values()), document.dataset)


def _snapshot(record: AgreementRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "status": record.status.value,
        "revision": record.revision,
        **record.document.model_dump(mode="json"),
    }


async def announce_change(
    action: str,
    record: AgreementRecord,
    before: AgreementRecord | None,
    actor: Principal | None,
    reason: str = "",
) -> None:
    await announce(
        Change(
            "agreement",
            action,
            str(record.id),
            f"{record.reference}: {title_of(record.document)}",
            actor,
            before=_snapshot(before),
            after=_snapshot(record),
            reason=reason,
            extra={
                "dataset": record.document.dataset,
                "consumer": record.document.consumer,
                "provider": record.provider,
                "outcome": record.outcome,
            },
        )
    )
