"""A public service's page, its sign-in notice and its machine-readable list of uses.

Built from the service's approved agreements with the same plain-language sentences as the
citizens' transparency pages (``catalogue.agreements.transparency``), so each sentence lives
in one place. Expiry runs first, so an agreement past its last day never shows as in force.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.agreements import records, transparency
from catalogue.agreements.expiry import expire_due, today
from catalogue.datasets.queries import DatasetRecord, find_record
from catalogue.errors import NotFound
from catalogue.onceonly import queries
from catalogue.settings import get_settings


async def _uses(slug: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(every agreement the public may know of, those in force today); 404 if none."""
    await expire_due()
    uses = await queries.uses_of_service(slug)
    if not any(use["status"] in records.PUBLIC_AGREEMENT_STATUSES for use in uses):
        raise NotFound(f"no public service '{slug}' with an agreement in the register")
    on = today()
    return uses, [use for use in uses if queries.is_in_force(use, on)]


def _last_change(uses: list[dict[str, Any]]) -> str:
    latest = max(use["modified"] for use in uses)
    if isinstance(latest, str):
        latest = dt.datetime.fromisoformat(latest)
    return latest.astimezone(dt.UTC).isoformat(timespec="seconds")


async def _records(
    uses: list[dict[str, Any]],
) -> list[tuple[records.AgreementRecord, DatasetRecord]]:
    pairs = []
    for use in uses:
        record = await records.find_record(str(use["agreement_id"]))
        dataset = await find_record(use["dataset_slug"])
        if record is not None and dataset is not None and dataset.is_public:
            pairs.append((record, dataset))
    return pairs


def _base() -> str:
    """Absolute links: the notice is shown on another site (the service's portal)."""
    return get_settings().base_url.rstrip("/")


def _title(uses: list[dict[str, Any]], lang: str) -> str:
    return transparency._text(uses[0]["service_title"], lang) or uses[0]["service_slug"]


async def service_view(slug: str, lang: str) -> dict[str, Any]:
    """Which authority runs the service, what it takes from which registers, why, how long."""
    uses, in_force = await _uses(slug)
    pairs = await _records(in_force)
    takes = []
    transfers = []
    for record, dataset in pairs:
        sentence = transparency._use(record, dataset.document, lang)
        takes.append(
            {
                **sentence,
                "dataset": dataset.slug,
                "dataset_title": transparency._text(dataset.document.title, lang) or dataset.slug,
                "holder": dataset.publisher_name,
                "dataset_url": f"/transparency/{dataset.slug}"
                if dataset.document.classification.value == "personal"
                else f"/dataset/{dataset.slug}",
            }
        )
        for transfer in transparency.transfers(dataset.document, lang):
            transfers.append({**transfer, "dataset_title": takes[-1]["dataset_title"]})
    authorities = list(dict.fromkeys(take["authority"] for take in takes))
    return {
        "service": {
            "slug": slug,
            "title": _title(uses, lang),
            "url": next((use["service_url"] for use in uses if use["service_url"]), None),
            "authorities": authorities,
        },
        "takes": takes,
        "transfers": transfers,
        "last_change": _last_change(uses),
        **await transparency.rights_and_complaints(),
        "links": {
            "html": f"/service/{slug}",
            "json": f"/service/{slug}.json",
            "notice": f"/notice/{slug}",
            "api": f"/api/v1/services/{slug}",
        },
    }


async def notice_view(slug: str, lang: str) -> dict[str, Any]:
    """The short version a portal shows at sign-in: what is taken from where, and why."""
    view = await service_view(slug, lang)
    return {
        "service": view["service"]["title"],
        "authorities": view["service"]["authorities"],
        "takes": [
            {
                key: take[key]
                for key in (
                    "information",
                    "dataset_title",
                    "holder",
                    "why",
                    "legal_basis",
                    "law",
                    "until",
                )
            }
            for take in view["takes"]
        ],
        "outside_eu": bool(view["transfers"]),
        "last_change": view["last_change"],
        "lang": lang,
        "links": {"page": f"{_base()}{view['links']['html']}", "json": f"/notice/{slug}.json"},
    }


async def machine_list(slug: str) -> dict[str, Any]:
    """For the data exchange layer: each agreement in force, as (dataset, attributes, ...)."""
    uses, in_force = await _uses(slug)
    pairs = await _records(in_force)
    return {
        "service": slug,
        "title": _title(uses, "en"),
        "last_change": _last_change(uses),
        "uses": [
            {
                "agreement": str(record.id),
                "reference": record.reference,
                "dataset": dataset.slug,
                "consumer": record.document.consumer,
                "attributes": list(record.document.attributes),
                "purpose": record.document.purpose.code,
                "legal_basis": record.document.legal_basis,
                "law": record.document.law.iri if record.document.law else None,
                "valid_from": record.document.valid_from.isoformat(),
                "valid_until": record.document.valid_until.isoformat(),
            }
            for record, dataset in pairs
        ],
        "links": {"page": f"/service/{slug}", "authorise": "/api/v1/agreements/authorise"},
    }
