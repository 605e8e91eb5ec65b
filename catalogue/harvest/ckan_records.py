"""A CKAN package as a harvest record (TEMPORARY minimal version: harvest-map's replaces it).

Reads the core keys and the extras this catalogue's own CKAN API writes; enough to harvest
another instance of this catalogue in the tests.
"""

from __future__ import annotations

import json
from typing import Any

from catalogue.harvest.records import HarvestRecord, RecordIssue
from catalogue.vocabularies import Vocabularies


def _extras(package: dict[str, Any]) -> dict[str, str]:
    return {e.get("key", ""): e.get("value", "") for e in package.get("extras") or []
            if isinstance(e, dict)}


def records_from_ckan_package(
    package: dict[str, Any], vocabularies: Vocabularies, *, source_url: str,
    default_language: str = "en",
) -> HarvestRecord:
    extras = _extras(package)
    language = default_language
    issues: list[RecordIssue] = []
    licence = package.get("license_id") or None
    if licence and vocabularies["licences"].get(licence) is None:
        issues.append(RecordIssue("legal.licence", licence, "not a licence we know"))
        licence = None
    distributions = [
        {k: v for k, v in {
            "title": {language: r["name"]} if r.get("name") else {},
            "access_url": r.get("access_url") or r.get("url") or None,
            "download_url": r.get("download_url") or None,
            "format": r.get("format") or None,
            "media_type": r.get("mimetype") or None,
            "licence": r.get("license_id") or None,
        }.items() if v}
        for r in package.get("resources") or [] if r.get("access_url") or r.get("url")
        if not r.get("endpoint_url")
    ]
    themes = [g["name"].upper() for g in package.get("groups") or [] if g.get("name")]
    document: dict[str, Any] = {
        "slug": package.get("name") or "",
        "classification": extras.get("classification") or "open",
        "status": "draft",
        "title": package.get("title_translated") or {language: package.get("title") or ""},
        "description": package.get("notes_translated") or {language: package.get("notes") or ""},
        "technical": {"distributions": distributions},
        "semantic": {"themes": themes,
                     "keywords": [t["name"] for t in package.get("tags") or [] if t.get("name")]},
        "organisational": {
            "publisher": (package.get("organization") or {}).get("name"),
            "contact_point": {k: v for k, v in {
                "name": extras.get("contact_name") or package.get("maintainer"),
                "email": extras.get("contact_email") or package.get("maintainer_email"),
            }.items() if v} or None,
        },
        "legal": {"licence": licence, "access_rights": _access(extras.get("access_rights"))},
    }
    if extras.get("personal_data"):
        document["legal"]["personal_data"] = json.loads(extras["personal_data"])
    return HarvestRecord(
        identifier=extras.get("uri") or f"{source_url}#{package.get('id') or package.get('name')}",
        document=document, issues=issues,
        source_issued=extras.get("issued") or package.get("metadata_created"),
        source_modified=extras.get("modified") or package.get("metadata_modified"),
        landing_page=package.get("url") or None,
    )


def _access(value: str | None) -> str | None:
    return value.rstrip("/").rsplit("/", 1)[-1] if value else None
