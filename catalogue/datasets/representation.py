"""A dataset's JSON twin as a reader may see it: internal fields only for those who may
see them, related datasets only when the reader may see them."""

from __future__ import annotations

from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import DatasetRecord, visible_slugs
from catalogue.domain import disclosure


async def represent(record: DatasetRecord, principal: Principal | None) -> dict[str, Any]:
    """The JSON twin of a dataset as ``principal`` may see it (see ``represent_many``); the
    edge adds its links (``catalogue.web.links.with_dataset_links``)."""
    return (await represent_many([record], principal))[0]


async def represent_many(
    records: list[DatasetRecord], principal: Principal | None
) -> list[dict[str, Any]]:
    """JSON twins: internal fields only for those who may see them, related datasets only
    when the reader may see them (one query for the whole list)."""
    related = [
        slug
        for record in records
        for slug in disclosure.related_in(record.document.model_dump(mode="json"))
    ]
    visible = await visible_slugs(related, principal)
    return [_represent(record, principal, visible) for record in records]


def _represent(
    record: DatasetRecord, principal: Principal | None, visible: set[str]
) -> dict[str, Any]:
    body = disclosure.redact(record.document.model_dump(mode="json"), principal, record.publisher)
    body = disclosure.hide_related(body, visible)
    return {
        "id": str(record.id),
        **body,
        "revision": record.revision,
        "created": record.created.isoformat(),
        "modified": record.modified.isoformat(),
        "issued": record.issued.isoformat() if record.issued else None,
        "publisher_name": record.publisher_name,
    }
