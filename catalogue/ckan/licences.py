"""Licences in CKAN's words: ids of CKAN's register (``cc-by``) instead of EU codes.

A receiving CKAN knows ``license_id`` only when it is an id of its licence register, so the
package gives that id (:mod:`catalogue.domain.ckan_licences`) with the register's title and
URL (the EU licence's IRI where the register has none); the EU licence stays on each
resource (``license``) and in the DCAT feed. ``fq=license_id:cc-by`` finds every version of
CC BY, and the ``license_id`` facet counts CKAN ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from catalogue.domain.ckan_licences import REGISTER, CkanLicence, ckan_licence
from catalogue.vocabularies import default_vocabularies

OPEN_IDS = frozenset(
    {
        "odc-pddl",
        "odc-odbl",
        "odc-by",
        "cc-zero",
        "cc-by",
        "cc-by-sa",
        "gfdl",
        "other-open",
        "other-pd",
        "other-at",
    }
)


def of_code(code: str | None) -> CkanLicence | None:
    """The register entry of an EU licence code."""
    if not code:
        return None
    concept = default_vocabularies()["licences"].get(code)
    return ckan_licence(code, bool(concept and concept.flags.get("open")))


def package_keys(code: str | None) -> dict[str, Any]:
    """``license_id``, ``license_title``, ``license_url`` and ``isopen`` of a package."""
    found = of_code(code)
    if found is None:
        return {
            "license_id": code or "",
            "license_title": code,
            "license_url": None,
            "isopen": False,
        }
    concept = default_vocabularies()["licences"].get(code or "")
    return {
        "license_id": found.id,
        "license_title": found.title,
        "license_url": found.url or (concept.iri if concept else None),
        "isopen": found.id in OPEN_IDS,
    }


def codes_for(value: str) -> list[str]:
    """The EU codes a ``license_id`` filter value stands for (a CKAN id or an EU code)."""
    if value not in REGISTER:
        return [value]
    codes = [
        code
        for code in default_vocabularies()["licences"].concepts
        if (found := of_code(code)) is not None and found.id == value
    ]
    return codes or [f"(no licence {value})"]


def facet_counts(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """EU-code counts summed per CKAN id."""
    summed: Counter[str] = Counter()
    for code, count in counts:
        found = of_code(code)
        summed[found.id if found else code] += count
    return list(summed.items())


def licence_list() -> list[dict[str, Any]]:
    """CKAN's ``license_list``: the register entries this catalogue's licences map to."""
    used = {
        found.id
        for code in default_vocabularies()["licences"].concepts
        if (found := of_code(code)) is not None
    }
    return [
        {
            "id": entry.id,
            "title": entry.title,
            "url": entry.url,
            "status": "active",
            "maintainer": "",
            "family": "",
            "is_generic": entry.id.startswith("other-"),
            "od_conformance": "approved"
            if entry.id in OPEN_IDS
            else "not reviewed"
            if entry.id == "notspecified"
            else "rejected",
            "osd_conformance": "not reviewed",
            "is_okd_compliant": entry.id in OPEN_IDS,
            "is_osi_compliant": False,
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
        }
        for entry in REGISTER.values()
        if entry.id in used
    ]
