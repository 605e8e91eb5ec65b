"""Indexed reads of the once-only map: each one lookup by scheme, fact, stem, dataset or
service, with a limit, never a pass over every dataset or agreement."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from catalogue.datasets.tables import IdentifierScheme
from catalogue.domain.agreement import AgreementStatus
from catalogue.onceonly import facts
from catalogue.onceonly.tables import RegisterAttribute, RegisterTerm, ServiceUse
from catalogue.organisations.tables import Organisation

LIMIT = 200
"""The most rows one section of a page lists (the page says when there are more)."""

APPROVED = AgreementStatus.APPROVED.value
ATTRIBUTE_COLUMNS = (
    RegisterAttribute.id,
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


def _attributes(where: Any, limit: int = LIMIT) -> Any:
    return (
        RegisterAttribute.select(*ATTRIBUTE_COLUMNS)
        .where(where)
        .order_by(RegisterAttribute.is_base_register, ascending=False)
        .order_by(RegisterAttribute.dataset_slug, RegisterAttribute.id)
        .limit(limit)
        .output(load_json=True)
    )


async def scheme(code: str) -> dict[str, Any] | None:
    return (
        await IdentifierScheme.select(
            IdentifierScheme.code,
            IdentifierScheme.label,
            IdentifierScheme.description,
            IdentifierScheme.iri,
        )
        .where(IdentifierScheme.code == code)
        .first()
    )


async def schemes() -> list[dict[str, Any]]:
    """Every identifier scheme (a short list the administrator keeps)."""
    return await IdentifierScheme.select(
        IdentifierScheme.code, IdentifierScheme.label, IdentifierScheme.description
    ).order_by(IdentifierScheme.label)


async def carriers(code: str) -> list[dict[str, Any]]:
    """Attributes that carry the scheme, base registers first."""
    return await _attributes(RegisterAttribute.identifier_scheme == code)


async def authorities(codes: Iterable[str]) -> list[dict[str, Any]]:
    """The base registers keyed by each scheme: the authoritative source of it."""
    wanted = sorted(set(codes))
    if not wanted:
        return []
    return await _attributes(
        RegisterAttribute.identifier_scheme.is_in(wanted)
        & (RegisterAttribute.is_key == True)  # noqa: E712 (a SQL comparison)
        & (RegisterAttribute.is_base_register == True)  # noqa: E712
    )


async def dataset_attributes(slug: str) -> list[dict[str, Any]]:
    return (
        await RegisterAttribute.select(*ATTRIBUTE_COLUMNS)
        .where(RegisterAttribute.dataset_slug == slug)
        .order_by(RegisterAttribute.id)
        .output(load_json=True)
    )


async def holders_of(facts_: Iterable[str], except_slug: str) -> list[dict[str, Any]]:
    """Attributes elsewhere that hold the same facts (scheme or personal-data category)."""
    wanted = sorted({fact for fact in facts_ if fact})
    if not wanted:
        return []
    return await _attributes(
        RegisterAttribute.fact.is_in(wanted) & (RegisterAttribute.dataset_slug != except_slug)
    )


async def search(query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Attributes whose words match every stem of ``query``, base registers first.

    The first stem is read in order from the (word, is_base_register, dataset_slug) index;
    each further stem is a join on the attribute, so the database stops after ``limit`` rows.
    """
    wanted = facts.query_stems(query)[:5]
    if not wanted:
        return []
    joins = "".join(
        f" JOIN register_term t{n} ON t{n}.attribute = t0.attribute AND t{n}.word = {{}}"
        for n in range(1, len(wanted))
    )
    sql = (
        f"SELECT t0.attribute FROM register_term t0{joins} WHERE t0.word = {{}}"
        " ORDER BY t0.is_base_register DESC, t0.dataset_slug LIMIT {}"
    )
    rows = await RegisterTerm.raw(sql, *wanted[1:], wanted[0], limit)
    ids = [row["attribute"] for row in rows]
    if not ids:
        return []
    return await _attributes(RegisterAttribute.id.is_in(ids), limit)


SERVICE_COLUMNS = (
    ServiceUse.agreement_id,
    ServiceUse.reference,
    ServiceUse.service_slug,
    ServiceUse.service_title,
    ServiceUse.service_url,
    ServiceUse.dataset_slug,
    ServiceUse.consumer,
    ServiceUse.status,
    ServiceUse.attributes,
    ServiceUse.valid_from,
    ServiceUse.valid_until,
    ServiceUse.modified,
    ServiceUse.dataset_public,
)


USE_SUMMARY_COLUMNS = (
    ServiceUse.reference,
    ServiceUse.service_slug,
    ServiceUse.service_title,
    ServiceUse.dataset_slug,
    ServiceUse.consumer,
    ServiceUse.attributes,
)
"""What grouping uses by service needs (a register can have thousands: read no more)."""


def _public(where: Any) -> Any:
    return where & (ServiceUse.dataset_public == True)  # noqa: E712


async def services_reusing(
    datasets: Iterable[str], after: str | None = None, limit: int = LIMIT
) -> list[str]:
    """Slugs of the services with an approved use of these datasets, in slug order after
    ``after`` (seek paging: a register reused by thousands of services is read a page at a
    time)."""
    wanted = sorted(set(datasets))
    if not wanted:
        return []
    where = _public(ServiceUse.dataset_slug.is_in(wanted) & (ServiceUse.status == APPROVED))
    return await _distinct_after(ServiceUse.service_slug, where, after, limit)


async def uses_by_services(
    datasets: Iterable[str], services: Iterable[str]
) -> list[dict[str, Any]]:
    """The approved uses of these datasets by these services (one page of services)."""
    wanted, chosen = sorted(set(datasets)), sorted(set(services))
    if not wanted or not chosen:
        return []
    return (
        await ServiceUse.select(*USE_SUMMARY_COLUMNS)
        .where(
            _public(
                ServiceUse.dataset_slug.is_in(wanted)
                & ServiceUse.service_slug.is_in(chosen)
                & (ServiceUse.status == APPROVED)
            )
        )
        .order_by(ServiceUse.service_slug, ServiceUse.reference)
        .limit(LIMIT * 5)
        .output(load_json=True)
    )


async def reuse_totals(dataset: str) -> dict[str, Any]:
    """How many services and approved agreements reuse the dataset, and which of its
    attributes they take: counted in the database over the dataset's uses (the distinct
    attribute lists are few however many agreements there are)."""
    where = "dataset_slug = {} AND status = {} AND dataset_public = {}"
    args = (dataset, APPROVED, True)
    counts = await ServiceUse.raw(
        "SELECT COUNT(DISTINCT service_slug) AS services, COUNT(*) AS agreements "
        f"FROM service_use WHERE {where}",
        *args,
    )
    lists = await ServiceUse.raw(
        f"SELECT DISTINCT CAST(attributes AS TEXT) AS attributes FROM service_use WHERE {where}",
        *args,
    )
    names = {name for row in lists for name in json.loads(row["attributes"] or "[]")}
    return {
        "services": int(counts[0]["services"]),
        "agreements": int(counts[0]["agreements"]),
        "attributes": names,
    }


async def reused_datasets(after: str | None, limit: int) -> list[str]:
    """Slugs of the public datasets with an approved use, in slug order after ``after``
    (seek paging: a page costs ``limit`` index entries however long the register is)."""
    where = _public(ServiceUse.status == APPROVED)
    return await _distinct_after(ServiceUse.dataset_slug, where, after, limit)


async def _distinct_after(column: Any, where: Any, after: str | None, limit: int) -> list[str]:
    """The distinct values of ``column`` under ``where``, in order after ``after``."""
    if after:
        where = where & (column > after)
    rows = await ServiceUse.select(column).where(where).distinct().order_by(column).limit(limit)
    return [row[column._meta.name] for row in rows]


async def first_uses_of_dataset(slug: str, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` approved uses of one dataset, by service (a page shows a few and
    links to the dataset's own page for the rest)."""
    return (
        await ServiceUse.select(*SERVICE_COLUMNS)
        .where(_public((ServiceUse.dataset_slug == slug) & (ServiceUse.status == APPROVED)))
        .order_by(ServiceUse.service_slug, ServiceUse.reference)
        .limit(limit)
        .output(load_json=True)
    )


async def uses_of_service(slug: str) -> list[dict[str, Any]]:
    """Every agreement of the service the public may know of (any status)."""
    return (
        await ServiceUse.select(*SERVICE_COLUMNS)
        .where(_public(ServiceUse.service_slug == slug))
        .order_by(ServiceUse.reference)
        .limit(LIMIT)
        .output(load_json=True)
    )


async def uses_for(service: str, dataset: str) -> list[dict[str, Any]]:
    return (
        await ServiceUse.select(*SERVICE_COLUMNS)
        .where((ServiceUse.service_slug == service) & (ServiceUse.dataset_slug == dataset))
        .order_by(ServiceUse.reference)
        .limit(LIMIT)
        .output(load_json=True)
    )


async def approved_services(limit: int = LIMIT) -> list[dict[str, Any]]:
    """Approved agreements for the map, a bounded number (their summary columns)."""
    return (
        await ServiceUse.select(*USE_SUMMARY_COLUMNS)
        .where(_public(ServiceUse.status == APPROVED))
        .order_by(ServiceUse.service_slug, ServiceUse.reference)
        .limit(limit)
        .output(load_json=True)
    )


async def base_register_keys(limit: int = LIMIT) -> list[dict[str, Any]]:
    """The key attribute of each base register (the map's left column)."""
    return await _attributes(
        (RegisterAttribute.is_base_register == True) & (RegisterAttribute.is_key == True),  # noqa: E712
        limit,
    )


def is_in_force(use: dict[str, Any], on: dt.date) -> bool:
    return use["status"] == APPROVED and use["valid_from"] <= on <= use["valid_until"]


async def organisation_names(slugs: Iterable[str]) -> dict[str, str]:
    """Slug -> name of the organisations named (only those)."""
    wanted = sorted(set(slugs))
    if not wanted:
        return {}
    rows = await Organisation.select(Organisation.slug, Organisation.name).where(
        Organisation.slug.is_in(wanted)
    )
    return {row["slug"]: row["name"] for row in rows}
