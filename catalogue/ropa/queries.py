"""The reads of the record of processing, each bounded by one controller and a page.

At national scale one ministry controls thousands of personal datasets and consumes
thousands of agreements, and a base register has thousands of recipients: a page reads a
page of each (seek-paged by slug or reference), and a dataset lists a bounded number of its
recipients with their total. Nothing here reads every personal dataset.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.engine.postgres import PostgresEngine
from piccolo.query.functions.aggregate import Count

from catalogue.accounts.principal import Principal
from catalogue.agreements import records as agreements
from catalogue.agreements.tables import Agreement
from catalogue.datasets.queries import visibility_clause
from catalogue.datasets.tables import Dataset
from catalogue.datasets.versions import VersionedCache, visibility_key
from catalogue.domain.agreement import AgreementStatus
from catalogue.domain.dataset import DatasetDocument, Status

PERSONAL = "personal"
WITHDRAWN = Status.WITHDRAWN.value
APPROVED = AgreementStatus.APPROVED.value
RECIPIENTS_PER_DATASET = 50
"""Recipients a dataset's activity lists (the total is given beside them)."""


def _processed(principal: Principal | None) -> list[Any]:
    """Personal datasets that are processed (not withdrawn) and the reader may see."""
    clauses: list[Any] = [Dataset.classification == PERSONAL, Dataset.status != WITHDRAWN]
    if (visible := visibility_clause(principal)) is not None:
        clauses.append(visible)
    return clauses


async def datasets_of(
    principal: Principal | None, controller: str, after: str | None, limit: int | None
) -> list[DatasetDocument]:
    """The controller's personal datasets in slug order after ``after``."""
    clauses = [*_processed(principal), Dataset.controller == controller]
    if after:
        clauses.append(Dataset.slug > after)
    query = Dataset.select(Dataset.document).where(*clauses).order_by(Dataset.slug)
    if limit is not None:
        query = query.limit(limit)
    rows = await query.output(load_json=True)
    return [DatasetDocument.model_validate(row["document"]) for row in rows]


DPO_STATED = {
    "sqlite": "json_type(\"dataset\".\"document\", '$.legal.personal_data.dpo_contact') = 'object'",
    "postgres": "jsonb_typeof(\"dataset\".\"document\"::jsonb -> 'legal' -> 'personal_data' "
    "-> 'dpo_contact') = 'object'",
}


_dpo_cache: VersionedCache[tuple[DatasetDocument | None]] = VersionedCache(max_entries=2048)


async def first_with_dpo(principal: Principal | None, controller: str) -> DatasetDocument | None:
    """The controller's first personal dataset (by slug) that names a DPO: the record's DPO
    is that one on every page of it. Kept per catalogue version (a controller that names
    none would otherwise have its documents scanned on every page)."""

    async def find() -> tuple[DatasetDocument | None]:
        dialect = "postgres" if isinstance(Dataset._meta.db, PostgresEngine) else "sqlite"
        row = (
            await Dataset.select(Dataset.document)
            .where(
                *_processed(principal),
                Dataset.controller == controller,
                WhereRaw(DPO_STATED[dialect]),
            )
            .order_by(Dataset.slug)
            .first()
            .output(load_json=True)
        )
        return (DatasetDocument.model_validate(row["document"]) if row else None,)

    key = (controller, visibility_key(principal))
    return (await _dpo_cache.get_or_compute(key, find))[0]


async def sources(slugs: Iterable[str]) -> dict[str, DatasetDocument]:
    """The personal datasets a page's reuses take data from (their categories, subjects)."""
    wanted = sorted(set(slugs))
    if not wanted:
        return {}
    rows = (
        await Dataset.select(Dataset.document)
        .where(Dataset.slug.is_in(wanted), Dataset.classification == PERSONAL)
        .output(load_json=True)
    )
    documents = [DatasetDocument.model_validate(row["document"]) for row in rows]
    return {document.slug: document for document in documents}


def _approved(principal: Principal | None) -> list[Any]:
    clauses: list[Any] = [
        Agreement.status == APPROVED,
        Agreement.dataset.classification == PERSONAL,
        Agreement.dataset.status != WITHDRAWN,
    ]
    if (visible := agreements.visibility_clause(principal)) is not None:
        clauses.append(visible)
    return clauses


async def reuses_by(
    principal: Principal | None, consumer: str, after: str | None, limit: int | None
) -> list[agreements.AgreementRecord]:
    """The approved agreements under which ``consumer`` uses personal data, by reference."""
    clauses = [*_approved(principal), agreements.refers_to("consumer", [consumer])]
    if after:
        clauses.append(Agreement.reference > after)
    query = Agreement.select(*agreements.COLUMNS).where(*clauses).order_by(Agreement.reference)
    if limit is not None:
        query = query.limit(limit)
    return [agreements.record_from_row(row) for row in await query.output(load_json=True)]


async def recipients_of(
    principal: Principal | None, slugs: Collection[str]
) -> tuple[list[agreements.AgreementRecord], dict[str, int]]:
    """The first :data:`RECIPIENTS_PER_DATASET` approved agreements on each dataset (by
    reference), and how many each has."""
    if not slugs:
        return [], {}
    clauses = [*_approved(principal), agreements.refers_to("dataset", sorted(slugs))]
    counted = (
        await Agreement.select(Agreement.dataset.slug, Count(alias="total"))
        .where(*clauses)
        .group_by(Agreement.dataset.slug)
    )
    totals = {row["dataset.slug"]: int(row["total"]) for row in counted}
    found: list[agreements.AgreementRecord] = []
    for slug in sorted(totals):  # only datasets that have recipients: a few per page
        rows = (
            await Agreement.select(*agreements.COLUMNS)
            .where(*_approved(principal), agreements.refers_to("dataset", [slug]))
            .order_by(Agreement.reference)
            .limit(RECIPIENTS_PER_DATASET)
            .output(load_json=True)
        )
        found += [agreements.record_from_row(row) for row in rows]
    return found, totals


async def activity_counts(principal: Principal | None) -> dict[str, int]:
    """Controller slug -> how many activities its record holds: two grouped counts over
    every personal dataset and approved agreement, so kept per catalogue version (agreements
    move it too) and visibility."""
    counted = await _activity_counts.get_or_compute(
        visibility_key(principal), lambda: _count_activities(principal)
    )
    return dict(counted)


_activity_counts: VersionedCache[dict[str, int]] = VersionedCache(max_entries=256)


async def _count_activities(principal: Principal | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    kept = (
        await Dataset.select(Dataset.controller, Count(alias="total"))
        .where(*_processed(principal))
        .group_by(Dataset.controller)
    )
    for row in kept:
        counts[row["controller"]] = counts.get(row["controller"], 0) + int(row["total"])
    reused = (
        await Agreement.select(Agreement.consumer.slug, Count(alias="total"))
        .where(*_approved(principal))
        .group_by(Agreement.consumer.slug)
    )
    for row in reused:
        slug = row["consumer.slug"]
        counts[slug] = counts.get(slug, 0) + int(row["total"])
    return {slug: total for slug, total in counts.items() if slug}
