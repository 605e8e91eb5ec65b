"""What the CKAN actions read from the database, with the catalogue's access rules applied.

Visibility always comes from ``catalogue.datasets.queries.visibility_clause`` (the one place
for that rule); ``public_only`` narrows it further when a CKAN client asks for
``include_private=false`` or ``include_drafts=false``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from catalogue.accounts.principal import Principal
from catalogue.ckan.errors import NotFoundError
from catalogue.datasets.queries import (
    RECORD_COLUMNS,
    DatasetRecord,
    record_from_row,
    visibility_clause,
)
from catalogue.datasets.tables import Dataset, DatasetTheme
from catalogue.datasets.versions import VersionedCache
from catalogue.organisations.tables import Organisation


@dataclass(frozen=True)
class Audience:
    """Who asks, and whether they asked to see public datasets only."""

    principal: Principal | None
    public_only: bool = False

    def clause(self) -> Any:
        return visibility_clause(None if self.public_only else self.principal)


def as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _where(query: Any, *clauses: Any) -> Any:
    present = [clause for clause in clauses if clause is not None]
    return query.where(*present) if present else query


async def record_by_id_or_name(identifier: str, audience: Audience) -> DatasetRecord:
    """A dataset by slug or uuid; 404 when absent or not visible (never a leak)."""
    uuid = as_uuid(identifier)
    match = Dataset.id == uuid if uuid else Dataset.slug == identifier
    query = Dataset.select(*RECORD_COLUMNS).output(load_json=True)
    row = await _where(query, match, audience.clause()).first()
    if row is None:
        raise NotFoundError(f"no dataset '{identifier}'")
    return record_from_row(row)


async def visible_records(
    audience: Audience,
    publisher: str | None = None,
    theme: str | None = None,
    limit: int | None = None,
) -> list[DatasetRecord]:
    """Datasets the audience may see (of one publisher or theme), newest change first."""
    query = Dataset.select(*RECORD_COLUMNS).output(load_json=True)
    by_publisher = Dataset.publisher.slug == publisher if publisher else None
    by_theme = (
        Dataset.id.is_in(
            DatasetTheme.select(DatasetTheme.dataset).where(DatasetTheme.theme == theme)
        )
        if theme
        else None
    )
    query = (
        _where(query, audience.clause(), by_publisher, by_theme)
        .order_by(Dataset.modified, ascending=False)
        .order_by(Dataset.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [record_from_row(row) for row in await query]


async def records_by_slugs(slugs: list[str], audience: Audience) -> list[DatasetRecord]:
    """These datasets, in the order given (the search service's order), visible ones only."""
    if not slugs:
        return []
    query = Dataset.select(*RECORD_COLUMNS).output(load_json=True)
    rows = await _where(query, Dataset.slug.is_in(slugs), audience.clause())
    by_slug = {row["slug"]: record_from_row(row) for row in rows}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


async def visible_slugs(slugs: list[str], audience: Audience) -> set[str]:
    """Which of these datasets the audience may see (so related links never leak drafts)."""
    if not slugs:
        return set()
    query = Dataset.select(Dataset.slug)
    rows = await _where(query, Dataset.slug.is_in(slugs), audience.clause())
    return {row["slug"] for row in rows}


async def visible_names(audience: Audience, limit: int | None, offset: int) -> list[str]:
    """Dataset slugs in name order, as CKAN's ``package_list`` gives them."""
    query = _where(Dataset.select(Dataset.slug), audience.clause()).order_by(Dataset.slug)
    if limit is not None:
        query = query.limit(limit)
    rows = await query.offset(offset)
    return [row["slug"] for row in rows]


async def record_with_resource(resource_id: str, audience: Audience) -> DatasetRecord:
    """The visible dataset holding a distribution or data service with this id.

    The JSON text is narrowed with LIKE first (cheap on both engines), then checked exactly.
    """
    escaped = resource_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    contains = WhereRaw("CAST(document AS TEXT) LIKE {} ESCAPE '\\'", f"%{escaped}%")
    query = Dataset.select(*RECORD_COLUMNS).output(load_json=True)
    for row in await _where(query, contains, audience.clause()):
        record = record_from_row(row)
        technical = record.document.technical
        if any(item.id == resource_id for item in technical.distributions) or any(
            item.id == resource_id for item in technical.data_services
        ):
            return record
    raise NotFoundError(f"no resource '{resource_id}'")


ORGANISATION_COLUMNS = (
    Organisation.id,
    Organisation.slug,
    Organisation.name,
    Organisation.description,
    Organisation.type,
    Organisation.parent.slug,
    Organisation.homepage,
    Organisation.email,
    Organisation.created,
)


_organisations: VersionedCache[list[dict[str, Any]]] = VersionedCache(max_entries=1)


async def organisation_rows() -> list[dict[str, Any]]:
    """Every organisation (they are all public), by name: read once per catalogue version
    (copies, so callers may change them)."""

    async def read() -> list[dict[str, Any]]:
        return await Organisation.select(*ORGANISATION_COLUMNS).order_by(Organisation.name)

    return [dict(row) for row in await _organisations.get_or_compute("all", read)]


async def organisation_row(identifier: str) -> dict[str, Any]:
    uuid = as_uuid(identifier)
    match = Organisation.id == uuid if uuid else Organisation.slug == identifier
    row = await Organisation.select(*ORGANISATION_COLUMNS).where(match).first()
    if row is None:
        raise NotFoundError(f"no organization '{identifier}'")
    return row


async def counts_by_publisher(audience: Audience) -> dict[str, int]:
    query = Dataset.select(Dataset.publisher.slug.as_alias("slug"), Count())
    rows = await _where(query, audience.clause()).group_by(Dataset.publisher.slug)
    return {row["slug"]: row["count"] for row in rows}


async def counts_by_theme(audience: Audience) -> dict[str, int]:
    visible = _where(Dataset.select(Dataset.id), audience.clause())
    rows = await (
        DatasetTheme.select(DatasetTheme.theme, Count())
        .where(DatasetTheme.dataset.is_in(visible))
        .group_by(DatasetTheme.theme)
    )
    return {row["theme"]: row["count"] for row in rows}
