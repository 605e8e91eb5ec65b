"""Keeps the once-only tables in step with datasets and agreements, inside each write.

The listener runs in the writing transaction (``catalogue.events``), so the map never shows
a dataset or agreement state that did not commit. ``rebuild`` fills the tables from scratch
(the migration calls it once for databases that existed before them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from catalogue.datasets.queries import PUBLIC_STATUSES
from catalogue.db import insert_rows
from catalogue.events import Change
from catalogue.onceonly import facts
from catalogue.onceonly.tables import RegisterAttribute, RegisterTerm, ServiceUse
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies


def _category_labels() -> dict[str, list[str]]:
    scheme = default_vocabularies()["personal-data"]
    langs = get_settings().languages
    return {
        concept.code: [concept.label(lang) for lang in langs]
        for concept in scheme.concepts.values()
    }


async def index_dataset(dataset_id: str, document: Mapping[str, Any] | None) -> None:
    """Replace the dataset's attribute rows (none unless it is published)."""
    key = UUID(str(dataset_id))
    old = await RegisterAttribute.select(RegisterAttribute.id).where(
        RegisterAttribute.dataset_id == key
    )
    if old:
        ids = [row["id"] for row in old]
        await RegisterTerm.delete().where(RegisterTerm.attribute.is_in(ids))
        await RegisterAttribute.delete().where(RegisterAttribute.dataset_id == key)
    public = document is not None and bool(document) and document.get("status") in PUBLIC_STATUSES
    if document:
        await ServiceUse.update({ServiceUse.dataset_public: public}).where(
            ServiceUse.dataset_slug == document.get("slug", "")
        )
    if not public or document is None:
        return
    labels = _category_labels()
    base = facts.is_base_register(document)
    for row in facts.attribute_rows(document, labels):
        saved = await RegisterAttribute.insert(
            RegisterAttribute(
                dataset_id=key,
                dataset_slug=document["slug"],
                dataset_title=document.get("title") or {},
                publisher=(document.get("organisational") or {}).get("publisher") or "",
                is_base_register=base,
                name=row.name,
                description=row.description,
                personal_data_category=row.personal_data_category,
                identifier_scheme=row.identifier_scheme,
                is_key=row.is_key,
                fact=row.fact,
            )
        ).returning(RegisterAttribute.id)
        attribute_id = saved[0]["id"]
        if row.words:
            await RegisterTerm.insert(
                *[
                    RegisterTerm(
                        word=word[:100],
                        attribute=attribute_id,
                        is_base_register=base,
                        dataset_slug=document["slug"],
                    )
                    for word in sorted(row.words)
                ]
            )


async def index_agreement(
    agreement_id: str, reference: str, state: Mapping[str, Any] | None
) -> None:
    """Upsert the agreement's service row from its snapshot (status, service, attributes)."""
    key = UUID(str(agreement_id))
    if state is None:
        await ServiceUse.delete().where(ServiceUse.agreement_id == key)
        return
    service = state.get("service") or {}
    values: dict[Any, Any] = {
        ServiceUse.reference: reference,
        ServiceUse.service_slug: facts.service_slug(service.get("title") or {}, service.get("url")),
        ServiceUse.service_title: service.get("title") or {},
        ServiceUse.service_url: service.get("url") or "",
        ServiceUse.dataset_slug: state.get("dataset", ""),
        ServiceUse.consumer: state.get("consumer", ""),
        ServiceUse.status: state.get("status", ""),
        ServiceUse.attributes: list(state.get("attributes") or []),
        ServiceUse.valid_from: dt.date.fromisoformat(str(state["valid_from"])),
        ServiceUse.valid_until: dt.date.fromisoformat(str(state["valid_until"])),
        ServiceUse.modified: dt.datetime.now(dt.UTC),
    }
    updated = (
        await ServiceUse.update(values)
        .where(ServiceUse.agreement_id == key)
        .returning(ServiceUse.id)
    )
    if not updated:
        await ServiceUse.insert(
            ServiceUse(agreement_id=key, **{c._meta.name: v for c, v in values.items()})
        )


async def keep_the_map_in_step(change: Change) -> None:
    if change.kind == "dataset":
        await index_dataset(change.object_id, change.after)
    elif change.kind == "agreement":
        reference = change.label.split(":", 1)[0]
        await index_agreement(change.object_id, reference, change.after)


async def keep_the_map_in_step_batch(changes: Sequence[Change]) -> None:
    """A batch write's datasets in a few multi-row statements (harvests, loads)."""
    datasets = {change.object_id: change.after for change in changes if change.kind == "dataset"}
    if datasets:
        await index_datasets(datasets)
    for change in changes:
        if change.kind == "agreement":
            await keep_the_map_in_step(change)


ATTRIBUTE_INSERT = (
    RegisterAttribute.dataset_id,
    RegisterAttribute.dataset_slug,
    RegisterAttribute.dataset_title,
    RegisterAttribute.publisher,
    RegisterAttribute.is_base_register,
    RegisterAttribute.name,
    RegisterAttribute.description,
    RegisterAttribute.personal_data_category,
    RegisterAttribute.identifier_scheme,
    RegisterAttribute.is_key,
    RegisterAttribute.fact,
)
TERM_INSERT = (
    RegisterTerm.word,
    RegisterTerm.attribute,
    RegisterTerm.is_base_register,
    RegisterTerm.dataset_slug,
)


async def index_datasets(documents: Mapping[str, Mapping[str, Any] | None]) -> None:
    """``index_dataset`` for many datasets at once (the same rows, few statements)."""
    keys = [UUID(str(dataset_id)) for dataset_id in documents]
    old = [
        row["id"]
        for row in await RegisterAttribute.select(RegisterAttribute.id).where(
            RegisterAttribute.dataset_id.is_in(keys)
        )
    ]
    for start in range(0, len(old), 500):
        await RegisterTerm.delete().where(RegisterTerm.attribute.is_in(old[start : start + 500]))
    if old:
        await RegisterAttribute.delete().where(RegisterAttribute.dataset_id.is_in(keys))
    public = {
        str(key): doc is not None and doc.get("status") in PUBLIC_STATUSES
        for key, doc in zip(keys, documents.values(), strict=True)
    }
    for flag in (True, False):
        slugs = [
            doc.get("slug", "")
            for key, doc in zip(keys, documents.values(), strict=True)
            if doc and public[str(key)] is flag
        ]
        if slugs:
            await ServiceUse.update({ServiceUse.dataset_public: flag}).where(
                ServiceUse.dataset_slug.is_in(slugs)
            )
    labels = _category_labels()
    pending: list[tuple[UUID, Mapping[str, Any], Any]] = []
    for key, document in zip(keys, documents.values(), strict=True):
        if document and public[str(key)]:
            pending += [(key, document, row) for row in facts.attribute_rows(document, labels)]
    if not pending:
        return
    await insert_rows(
        RegisterAttribute,
        ATTRIBUTE_INSERT,
        [
            (
                key,
                document["slug"],
                document.get("title") or {},
                (document.get("organisational") or {}).get("publisher") or "",
                facts.is_base_register(document),
                row.name,
                row.description,
                row.personal_data_category,
                row.identifier_scheme,
                row.is_key,
                row.fact,
            )
            for key, document, row in pending
        ],
    )
    # The new rows in the order they were inserted (ids grow), matched to their attributes.
    written = (
        await RegisterAttribute.select(RegisterAttribute.id, RegisterAttribute.dataset_id)
        .where(RegisterAttribute.dataset_id.is_in(keys))
        .order_by(RegisterAttribute.id)
    )
    ids: dict[UUID, list[int]] = {}
    for written_row in written:
        ids.setdefault(written_row["dataset_id"], []).append(written_row["id"])
    terms: list[tuple[str, int, bool, str]] = []
    positions: dict[UUID, int] = {}
    for key, document, row in pending:
        position = positions.get(key, 0)
        positions[key] = position + 1
        attribute_id = ids[key][position]
        base = facts.is_base_register(document)
        terms += [(word[:100], attribute_id, base, document["slug"]) for word in sorted(row.words)]
    await insert_rows(RegisterTerm, TERM_INSERT, terms)


async def rebuild(batch: int = 500) -> None:
    """Fill the tables from every dataset and agreement, a batch at a time."""
    from catalogue.agreements.tables import Agreement
    from catalogue.datasets.tables import Dataset

    await RegisterTerm.delete(force=True)
    await RegisterAttribute.delete(force=True)
    await ServiceUse.delete(force=True)
    async for rows in _batches(Dataset, [Dataset.id, Dataset.document], batch):
        await index_datasets({str(row["id"]): row["document"] for row in rows})
    columns = [
        Agreement.id,
        Agreement.reference,
        Agreement.status,
        Agreement.document,
        Agreement.dataset.status,
    ]
    async for rows in _batches(Agreement, columns, batch):
        for row in rows:
            state = {**row["document"], "status": row["status"]}
            await index_agreement(str(row["id"]), row["reference"], state)
            if row["dataset.status"] not in PUBLIC_STATUSES:
                await ServiceUse.update({ServiceUse.dataset_public: False}).where(
                    ServiceUse.agreement_id == row["id"]
                )


async def _batches(table: Any, columns: Iterable[Any], size: int) -> Any:
    """Rows in primary-key order, ``size`` at a time (keyset paging, no OFFSET)."""
    last: Any = None
    while True:
        query = table.select(*columns).order_by(table.id).limit(size).output(load_json=True)
        if last is not None:
            query = query.where(table.id > last)
        rows = await query
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]
