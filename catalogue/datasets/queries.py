"""Reading datasets with the access rules applied in SQL, so counts are always right."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Where, WhereRaw

from catalogue.accounts.principal import Principal
from catalogue.datasets.tables import Dataset, DatasetRevision, DatasetTheme, IdentifierScheme
from catalogue.datasets.versions import VersionedCache, visibility_key
from catalogue.domain.dataset import DatasetDocument, Status
from catalogue.errors import NotFound
from catalogue.organisations.tables import Organisation

PUBLIC_STATUSES = (Status.PUBLISHED.value, Status.DEPRECATED.value)
MAX_PAGE_SIZE = 100

RECORD_COLUMNS = (
    Dataset.id,
    Dataset.slug,
    Dataset.revision,
    Dataset.status,
    Dataset.classification,
    Dataset.created,
    Dataset.modified,
    Dataset.issued,
    Dataset.document,
    Dataset.publisher.slug,
    Dataset.publisher.name,
)


@dataclass(frozen=True)
class DatasetRecord:
    """A stored dataset: the steward's document plus what the server keeps about it."""

    id: UUID
    revision: int
    created: dt.datetime
    modified: dt.datetime
    issued: dt.datetime | None
    publisher_name: str
    document: DatasetDocument

    @property
    def slug(self) -> str:
        return self.document.slug

    @property
    def publisher(self) -> str:
        return self.document.organisational.publisher or ""

    @property
    def etag(self) -> str:
        return f'"{self.revision}"'

    @property
    def is_public(self) -> bool:
        return self.document.status.value in PUBLIC_STATUSES


@dataclass(frozen=True)
class DatasetFilter:
    classification: str | None = None
    publisher: str | None = None
    theme: str | None = None
    status: str | None = None
    modified_since: dt.datetime | None = None


def record_from_row(row: dict[str, Any]) -> DatasetRecord:
    document = row["document"]
    if isinstance(document, str):
        document = json.loads(document)
    return DatasetRecord(
        id=row["id"],
        revision=row["revision"],
        created=row["created"],
        modified=row["modified"],
        issued=row["issued"],
        publisher_name=row["publisher.name"] or "",
        document=DatasetDocument.model_validate(document),
    )


def may_see(record: DatasetRecord, principal: Principal | None) -> bool:
    if record.is_public:
        return True
    return principal is not None and principal.can_see_unpublished_of(record.publisher)


def _unindexed(column: Any, values: tuple[str, ...] | list[str]) -> WhereRaw:
    """``column IN values``, written so the planner does not pick the column's own index.

    For a page in index order: status and classification match half the table or more, so
    walking the ``(modified, id)`` index and filtering beats reading every match and sorting
    (SQLite's planner prefers any equality index, even with statistics)."""
    name = column._meta.db_column_name
    marks = ", ".join("{}" for _ in values)
    return WhereRaw(f"(\"dataset\".\"{name}\" || '') IN ({marks})", *values)


def visibility_clause(
    principal: Principal | None, scan: bool = False
) -> Where | WhereRaw | None:
    """Anonymous: published only. Members: also their organisations' drafts. Admin/auditor: all.

    ``scan``: the same rule written for a query that walks an ordering index."""
    public = (
        _unindexed(Dataset.status, PUBLIC_STATUSES)
        if scan
        else Dataset.status.is_in(list(PUBLIC_STATUSES))
    )
    if principal is None:
        return public
    if principal.reads_everything:
        return None
    if not principal.organisations:
        return public
    return public | Dataset.publisher.slug.is_in(sorted(principal.organisations))


def filter_clauses(
    principal: Principal | None, filters: DatasetFilter, scan: bool = False
) -> list[Any]:
    """The WHERE clauses; ``scan`` for a page read in index order (see :func:`_unindexed`)."""
    clauses: list[Any] = []
    if (visible := visibility_clause(principal, scan)) is not None:
        clauses.append(visible)
    if filters.classification:
        clauses.append(
            _unindexed(Dataset.classification, [filters.classification])
            if scan
            else Dataset.classification == filters.classification
        )
    if filters.publisher:
        clauses.append(
            # One organisation: a scalar lookup lets the (publisher, modified) index give
            # the order too (a join would make the planner sort).
            WhereRaw('"dataset"."publisher" = (SELECT "id" FROM "organisation" WHERE "slug" = {})',
                     filters.publisher)
            if scan
            else Dataset.publisher.slug == filters.publisher
        )
    if filters.status:
        clauses.append(
            _unindexed(Dataset.status, [filters.status])
            if scan
            else Dataset.status == filters.status
        )
    if filters.theme and scan:
        # Probed per row while walking the ordering index (an IN list would be read whole
        # and sorted).
        clauses.append(WhereRaw(
            'EXISTS (SELECT 1 FROM "dataset_theme" WHERE "dataset_theme"."dataset" = '
            '"dataset"."id" AND "dataset_theme"."theme" = {})', filters.theme))
    elif filters.theme:
        clauses.append(
            Dataset.id.is_in(
                DatasetTheme.select(DatasetTheme.dataset).where(DatasetTheme.theme == filters.theme)
            )
        )
    if filters.modified_since:
        clauses.append(Dataset.modified >= filters.modified_since)
    return clauses


async def find_record(slug: str) -> DatasetRecord | None:
    row = (
        await Dataset.select(*RECORD_COLUMNS)
        .where(Dataset.slug == slug)
        .output(load_json=True)
        .first()
    )
    return record_from_row(row) if row else None


async def get_record(slug: str, principal: Principal | None) -> DatasetRecord:
    """The dataset if it exists and ``principal`` may see it; a 404 otherwise (no leak)."""
    record = await find_record(slug)
    if record is None or not may_see(record, principal):
        raise NotFound(f"no dataset '{slug}'")
    return record


_counts: VersionedCache[int] = VersionedCache(max_entries=4096)


async def count_records(principal: Principal | None, filters: DatasetFilter) -> int:
    """How many datasets match: counted once per catalogue version, then remembered."""
    key = (visibility_key(principal), filters)
    # With a column filter the ordering indexes cover every column the count reads (one
    # pass over index entries); visibility alone is best counted on the status index.
    scan = bool(filters.classification or filters.status or filters.publisher)
    clauses = filter_clauses(principal, filters, scan=scan)

    async def count() -> int:
        query = Dataset.count()
        return await (query.where(*clauses) if clauses else query)

    return await _counts.get_or_compute(key, count)


async def list_records(
    principal: Principal | None,
    filters: DatasetFilter = DatasetFilter(),
    page: int = 1,
    size: int = 20,
) -> tuple[list[DatasetRecord], int]:
    """One page, newest change first (ties by id, newest first too, so one index serves the
    order and pages are stable), and the total. Prefer :func:`seek_records` for deep pages."""
    from catalogue.datasets.seek import seek_records

    total = await count_records(principal, filters)
    rows, _ = await seek_records(principal, filters, size, offset=(page - 1) * size)
    return [record_from_row(row) for row in rows], total


async def history(slug: str, principal: Principal | None) -> list[dict[str, Any]]:
    record = await get_record(slug, principal)
    rows = (
        await DatasetRevision.select(
            DatasetRevision.revision,
            DatasetRevision.action,
            DatasetRevision.actor_name,
            DatasetRevision.at,
            DatasetRevision.changes,
        )
        .where(DatasetRevision.dataset == record.id)
        .order_by(DatasetRevision.revision, ascending=False)
        .output(load_json=True)
    )
    editor = principal is not None and principal.can_see_unpublished_of(record.publisher)
    entries = []
    for row in rows:
        changes = row["changes"]
        if not editor:
            changes = {
                path: change
                for path, change in changes.items()
                if not path.startswith("internal_note")
            }
        entries.append(
            {
                "revision": row["revision"],
                "action": row["action"],
                "actor": row["actor_name"],
                "at": row["at"].isoformat(),
                "changes": changes,
            }
        )
    return entries


async def snapshot_at(slug: str, revision: int, principal: Principal | None) -> dict[str, Any]:
    record = await get_record(slug, principal)
    row = (
        await DatasetRevision.select(DatasetRevision.snapshot)
        .where((DatasetRevision.dataset == record.id) & (DatasetRevision.revision == revision))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(f"dataset '{slug}' has no revision {revision}")
    return row["snapshot"]


async def identifier_scheme_codes() -> set[str]:
    return {row["code"] for row in await IdentifierScheme.select(IdentifierScheme.code)}


async def publisher_row(slug: str) -> dict[str, Any] | None:
    return (
        await Organisation.select(Organisation.id, Organisation.type, Organisation.name)
        .where(Organisation.slug == slug)
        .first()
    )
