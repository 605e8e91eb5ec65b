"""Organisations, EU data themes (as CKAN groups) and licences in CKAN's dict shapes."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import lru_cache
from typing import Any

from catalogue.vocabularies import Concept, default_vocabularies

GROUP_NAMESPACE = uuid.UUID("0b7c9d52-7e0c-4f0e-8a43-5d1c2a3b4e6f")  # theme IRI -> group id
OSI_APPROVED = {"EUPL_1_1", "EUPL_1_2"}
SOFTWARE_LICENCES = {"EUPL_1_0", "EUPL_1_1", "EUPL_1_2"}
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def ckan_time(moment: dt.datetime | None) -> str | None:
    """CKAN's timestamps: naive UTC with microseconds, ``2024-05-01T08:30:00.000000``."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def organisation_iri(base_url: str, slug: str) -> str:
    return f"{base_url}/organisation/{slug}"


def organization_dict(row: dict[str, Any], package_count: int | None = None) -> dict[str, Any]:
    """An organisation row as CKAN's organization dict (the short form packages embed)."""
    body: dict[str, Any] = {
        "id": str(row["id"]),
        "name": row["slug"],
        "title": row["name"],
        "display_name": row["name"],
        "type": "organization",
        "description": row["description"] or "",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(row["created"]),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        body["package_count"] = package_count
    return body


def organization_full(
    row: dict[str, Any], package_count: int, base_url: str, packages: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """``organization_show``: the short form plus extras, parent and (optionally) datasets."""
    publisher_type = default_vocabularies()["publisher-types"].get(row["type"] or "")
    extras = {
        "uri": organisation_iri(base_url, row["slug"]),
        "publisher_type": publisher_type.iri if publisher_type else "",
        "homepage": row["homepage"] or "",
        "email": row["email"] or "",
    }
    body = {
        **organization_dict(row, package_count),
        "extras": [{"key": key, "value": value} for key, value in sorted(extras.items()) if value],
        "groups": (
            [{"name": row["parent.slug"], "capacity": "public"}] if row["parent.slug"] else []
        ),
        "tags": [],
        "users": [],
        "num_followers": 0,
    }
    if packages is not None:
        body["packages"] = packages
    return body


def theme_group_name(code: str) -> str:
    return code.lower()


@lru_cache(maxsize=256)
def theme_group_id(concept: Concept) -> str:
    return str(uuid.uuid5(GROUP_NAMESPACE, concept.iri))


def theme_concept(identifier: str) -> Concept | None:
    """A theme by group name (``envi``), code (``ENVI``), group id or IRI."""
    themes = default_vocabularies()["themes"]
    found = themes.get(identifier) or themes.get(identifier.upper())
    if found:
        return found
    return next((c for c in themes.concepts.values() if theme_group_id(c) == identifier), None)


def group_dict(concept: Concept, language: str, package_count: int | None = None) -> dict[str, Any]:
    """An EU data theme as a CKAN group."""
    label = concept.label(language)
    body: dict[str, Any] = {
        "id": theme_group_id(concept),
        "name": theme_group_name(concept.code),
        "title": label,
        "display_name": label,
        "type": "group",
        "description": concept.definitions.get(language, ""),
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(EPOCH),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "extras": [{"key": "uri", "value": concept.iri}],
    }
    if package_count is not None:
        body["package_count"] = package_count
    return body


def all_theme_concepts() -> list[Concept]:
    return list(default_vocabularies()["themes"].concepts.values())


def licence_dict(concept: Concept, language: str) -> dict[str, Any]:
    """A licence of the EU licence vocabulary as CKAN's licence dict."""
    is_open = bool(concept.flags.get("open"))
    is_osi = concept.code in OSI_APPROVED
    if concept.flags.get("placeholder"):
        conformance = "not reviewed"
    else:
        conformance = "approved" if is_open else "rejected"
    return {
        "id": concept.code,
        "title": concept.label(language),
        "url": concept.iri,
        "status": "deleted" if concept.flags.get("deprecated") else "active",
        "maintainer": "",
        "family": "",
        "is_generic": False,
        "od_conformance": conformance,
        "osd_conformance": "approved" if is_osi else "not reviewed",
        "is_okd_compliant": is_open,
        "is_osi_compliant": is_osi,
        "domain_content": concept.code not in SOFTWARE_LICENCES,
        "domain_data": True,
        "domain_software": concept.code in SOFTWARE_LICENCES,
    }


def licence_dicts(language: str) -> list[dict[str, Any]]:
    licences = default_vocabularies()["licences"].concepts.values()
    return [licence_dict(concept, language) for concept in licences]
