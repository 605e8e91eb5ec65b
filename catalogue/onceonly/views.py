"""The once-only map in words: identifier schemes, base registers and "which register holds X".

Each view is a plain dictionary: the HTML page renders it and the JSON twin returns it.
Labels come from the same helpers as the citizens' transparency pages.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from catalogue.agreements.transparency import _label, _text
from catalogue.datasets.queries import find_record
from catalogue.errors import NotFound
from catalogue.onceonly import queries
from catalogue.vocabularies import default_vocabularies

organisation_names = queries.organisation_names
SERVICES_PER_PAGE = 50
"""Services a register's page lists at a time (the population register may have thousands)."""


def attribute_view(row: dict[str, Any], lang: str, schemes: dict[str, str]) -> dict[str, Any]:
    """One attribute: its name, what it holds in words, and its scheme or category."""
    category = row["personal_data_category"]
    scheme = row["identifier_scheme"]
    category_label = _label(default_vocabularies(), "personal-data", category, lang)
    return {
        "dataset": row["dataset_slug"],
        "dataset_title": _text(row["dataset_title"], lang) or row["dataset_slug"],
        "is_base_register": row["is_base_register"],
        "name": row["name"],
        "label": _text(row["description"], lang).strip().rstrip(".")
        or category_label
        or row["name"].replace("_", " ").capitalize(),
        "identifier_scheme": scheme or None,
        "identifier_scheme_label": schemes.get(scheme, scheme) if scheme else None,
        "personal_data_category": category or None,
        "personal_data_category_label": category_label or None,
        "authoritative": bool(row["is_key"] and row["is_base_register"]),
        "links": {
            "register": f"/register/{row['dataset_slug']}" if row["is_base_register"] else None,
            "dataset": f"/dataset/{row['dataset_slug']}",
            "identifier": f"/identifier/{scheme}" if scheme else None,
        },
    }


async def scheme_labels() -> dict[str, str]:
    return {row["code"]: row["label"] for row in await queries.schemes()}


def register_link(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "slug": row["dataset_slug"],
        "title": _text(row["dataset_title"], lang) or row["dataset_slug"],
        "url": f"/register/{row['dataset_slug']}",
        "json": f"/register/{row['dataset_slug']}.json",
    }


def services_of(
    uses: list[dict[str, Any]], names: dict[str, str], lang: str
) -> list[dict[str, Any]]:
    """Approved agreements grouped by public service."""
    grouped: dict[str, dict[str, Any]] = {}
    for use in uses:
        entry = grouped.setdefault(
            use["service_slug"],
            {
                "slug": use["service_slug"],
                "title": _text(use["service_title"], lang) or use["service_slug"],
                "url": f"/service/{use['service_slug']}",
                "authorities": [],
                "agreements": [],
                "attributes": [],
            },
        )
        authority = names.get(use["consumer"], use["consumer"])
        if authority not in entry["authorities"]:
            entry["authorities"].append(authority)
        entry["agreements"].append(use["reference"])
        for name in use["attributes"]:
            pair = f"{use['dataset_slug']}.{name}"
            if pair not in entry["attributes"]:
                entry["attributes"].append(pair)
    return sorted(grouped.values(), key=lambda item: item["title"])


async def services_page(
    datasets: list[str], after: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The uses of these datasets by one page of the services reusing them (slug order after
    ``after``), and the last service slug listed when more follow."""
    listed = await queries.services_reusing(datasets, after, SERVICES_PER_PAGE + 1)
    more = len(listed) > SERVICES_PER_PAGE
    listed = listed[:SERVICES_PER_PAGE]
    uses = await queries.uses_by_services(datasets, listed)
    return uses, (listed[-1] if more and listed else None)


def more_links(path: str, last: str | None) -> dict[str, str | None]:
    query = f"?{urlencode({'after': last})}" if last else ""
    return {
        "more_services": f"{path}{query}" if last else None,
        "more_services_json": f"{path}.json{query}" if last else None,
    }


async def identifier_view(code: str, lang: str, after: str | None = None) -> dict[str, Any]:
    """An identifier scheme: who is authoritative for it, who carries it, and a page of the
    services that take it (slug order after ``after``)."""
    scheme = await queries.scheme(code)
    if scheme is None:
        raise NotFound(f"no identifier scheme '{code}'; see /api/v1/identifier-schemes")
    labels = await scheme_labels()
    carriers = await queries.carriers(code)
    uses, last = await services_page(sorted({row["dataset_slug"] for row in carriers}), after)
    carried = {(row["dataset_slug"], row["name"]) for row in carriers}
    consuming = [
        use
        for use in uses
        if any((use["dataset_slug"], name) in carried for name in use["attributes"])
    ]
    names = await organisation_names(use["consumer"] for use in consuming)
    return {
        "scheme": {**scheme, "iri": scheme["iri"] or None},
        "authoritative": [
            register_link(row, lang)
            for row in carriers
            if row["is_key"] and row["is_base_register"]
        ],
        "datasets": [attribute_view(row, lang, labels) for row in carriers],
        "services": services_of(consuming, names, lang),
        "limit": queries.LIMIT,
        "links": {
            "html": f"/identifier/{code}",
            "json": f"/identifier/{code}.json",
            "rdf": f"/identifier/{code}.ttl",
            **more_links(f"/identifier/{code}", last),
        },
    }


async def register_view(slug: str, lang: str, after: str | None = None) -> dict[str, Any]:
    """A base register: what it is the source of, who reuses it (a page of services in slug
    order after ``after``), the once-only savings, and who holds its facts twice."""
    record = await find_record(slug)
    if (
        record is None
        or not record.is_public
        or not record.document.organisational.is_base_register
    ):
        raise NotFound(f"no published base register '{slug}'")
    labels = await scheme_labels()
    rows = await queries.dataset_attributes(slug)
    own = [attribute_view(row, lang, labels) for row in rows]
    uses, last = await services_page([slug], after)
    names = await organisation_names(use["consumer"] for use in uses)
    services = services_of(uses, names, lang)
    totals = await queries.reuse_totals(slug)
    label_of = {item["name"]: item["label"] for item in own}
    for service in services:
        service["information"] = [
            label_of.get(pair.split(".", 1)[1], pair) for pair in service.pop("attributes")
        ]
    facts_held = {row["fact"] for row in rows}
    duplicates: dict[str, dict[str, Any]] = {}
    for row in await queries.holders_of(facts_held, slug):
        entry = duplicates.setdefault(
            row["dataset_slug"],
            {
                "slug": row["dataset_slug"],
                "title": _text(row["dataset_title"], lang) or row["dataset_slug"],
                "url": f"/dataset/{row['dataset_slug']}",
                "is_base_register": row["is_base_register"],
                "attributes": [],
            },
        )
        entry["attributes"].append(attribute_view(row, lang, labels))
    document = record.document
    return {
        "register": {
            "slug": slug,
            "title": _text(document.title, lang) or slug,
            "description": _text(document.description, lang),
            "holder": record.publisher_name,
            "url": f"/dataset/{slug}",
            "classification": document.classification.value,
        },
        "authoritative_for": [item for item in own if item["authoritative"]],
        "attributes": own,
        "services": services,
        "savings": {
            "services": totals["services"],
            "agreements": totals["agreements"],
            "attributes_not_asked_again": len(totals["attributes"]),
        },
        "duplicates": sorted(duplicates.values(), key=lambda item: item["title"]),
        "limit": queries.LIMIT,
        "links": {
            "html": f"/register/{slug}",
            "json": f"/register/{slug}.json",
            **more_links(f"/register/{slug}", last),
        },
    }


async def search_view(query: str, lang: str) -> dict[str, Any]:
    """Which register holds X: matching attributes grouped by dataset, registers first."""
    query = query.strip()[:200]
    labels = await scheme_labels()
    rows = await queries.search(query) if query else []
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        item = attribute_view(row, lang, labels)
        entry = grouped.setdefault(
            row["dataset_slug"],
            {
                "slug": row["dataset_slug"],
                "title": item["dataset_title"],
                "is_base_register": row["is_base_register"],
                "url": (
                    f"/register/{row['dataset_slug']}"
                    if row["is_base_register"]
                    else f"/dataset/{row['dataset_slug']}"
                ),
                "attributes": [],
            },
        )
        entry["attributes"].append(item)
    results = sorted(grouped.values(), key=lambda e: (not e["is_base_register"], e["title"]))
    return {
        "query": query,
        "results": results,
        "links": {"html": "/registers", "json": "/registers.json"},
    }


async def map_view(lang: str) -> dict[str, Any]:
    """Registers, the schemes they are authoritative for, and the services reusing them."""
    labels = await scheme_labels()
    keys = await queries.base_register_keys()
    uses = await queries.approved_services()
    names = await organisation_names(use["consumer"] for use in uses)
    registers: dict[str, dict[str, Any]] = {}
    for row in keys:
        registers[row["dataset_slug"]] = {
            **register_link(row, lang),
            "schemes": [row["identifier_scheme"]],
            "services": [],
        }
    by_register: dict[str, set[str]] = defaultdict(set)
    for use in uses:
        if use["dataset_slug"] in registers:
            by_register[use["dataset_slug"]].add(use["service_slug"])
    services = services_of([use for use in uses if use["dataset_slug"] in registers], names, lang)
    for slug, entry in registers.items():
        entry["services"] = sorted(by_register.get(slug, ()))
    used_schemes = sorted({code for entry in registers.values() for code in entry["schemes"]})
    return {
        "schemes": [
            {"code": code, "label": labels.get(code, code), "url": f"/identifier/{code}"}
            for code in used_schemes
        ],
        "registers": sorted(registers.values(), key=lambda item: item["title"]),
        "services": [
            {key: service[key] for key in ("slug", "title", "url", "authorities")}
            for service in services
        ],
        "links": {"html": "/once-only", "json": "/once-only.json", "search": "/registers"},
    }
