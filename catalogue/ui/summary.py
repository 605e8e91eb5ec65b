"""Counts for the home and organisation pages, with the same visibility rule as the API."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Count

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import visibility_clause
from catalogue.datasets.tables import Dataset, DatasetTheme


def _visible_ids(principal: Principal | None) -> Any:
    query = Dataset.select(Dataset.id)
    clause = visibility_clause(principal)
    return query.where(clause) if clause is not None else query


async def _grouped(column: Any, table: Any, principal: Principal | None) -> dict[str, int]:
    id_column = table.id if table is Dataset else table.dataset
    rows = (
        await table.select(column.as_alias("key"), Count(alias="count"))
        .where(id_column.is_in(_visible_ids(principal)))
        .group_by(column)
    )
    return {row["key"]: row["count"] for row in rows if row["key"]}


async def counts_by_classification(principal: Principal | None) -> dict[str, int]:
    """open/closed/personal -> how many datasets ``principal`` may see."""
    return await _grouped(Dataset.classification, Dataset, principal)


async def counts_by_theme(principal: Principal | None) -> dict[str, int]:
    """Theme code -> how many visible datasets carry it."""
    return await _grouped(DatasetTheme.theme, DatasetTheme, principal)


async def counts_by_publisher(principal: Principal | None) -> dict[str, int]:
    """Organisation slug -> how many visible datasets it publishes."""
    return await _grouped(Dataset.publisher.slug, Dataset, principal)


async def identifier_scheme_labels() -> dict[str, str]:
    """Identifier scheme code -> its name (a table the admin extends, not a SKOS file)."""
    from catalogue.datasets.tables import IdentifierScheme

    rows = await IdentifierScheme.select(IdentifierScheme.code, IdentifierScheme.label)
    return {row["code"]: row["label"] for row in rows}


async def organisation_names() -> dict[str, str]:
    from catalogue.organisations.tables import Organisation

    rows = await Organisation.select(Organisation.slug, Organisation.name)
    return {row["slug"]: row["name"] for row in rows}
