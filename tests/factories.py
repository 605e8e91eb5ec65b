"""Small builders for test data: publishable documents of each class, users with tokens."""

from __future__ import annotations

import copy
from typing import Any

PUBLISHER = "ministry-of-examples"


def base(slug: str, classification: str, publisher: str = PUBLISHER) -> dict[str, Any]:
    return {
        "slug": slug,
        "classification": classification,
        "status": "draft",
        "title": {"en": f"Example {classification} dataset", "sl": "Primer"},
        "description": {"en": "What it holds and who it is for."},
        "semantic": {"themes": ["GOVE"], "keywords": ["example"]},
        "organisational": {
            "publisher": publisher,
            "contact_point": {"name": "Data desk", "email": "data@example.gov"},
        },
    }


def open_dataset(slug: str = "open-example", publisher: str = PUBLISHER) -> dict[str, Any]:
    document = base(slug, "open", publisher)
    document["technical"] = {
        "distributions": [
            {
                "title": {"en": "CSV file"},
                "access_url": "https://data.example.gov/open.csv",
                "format": "CSV",
                "licence": "CC_BY_4_0",
            }
        ],
        "attributes": [{"name": "municipality", "data_type": "string"}],
    }
    document["legal"] = {"licence": "CC_BY_4_0", "access_rights": "PUBLIC"}
    return document


def closed_dataset(slug: str = "closed-example", publisher: str = PUBLISHER) -> dict[str, Any]:
    document = base(slug, "closed", publisher)
    document["legal"] = {
        "access_rights": "NON_PUBLIC",
        "restriction": {
            "reason": {"en": "Critical infrastructure security."},
            "how_to_request": {"en": "Write to security@example.gov."},
        },
    }
    return document


def personal_dataset(slug: str = "personal-example", publisher: str = PUBLISHER) -> dict[str, Any]:
    document = base(slug, "personal", publisher)
    document["technical"] = {
        "attributes": [
            {
                "name": "personal_id",
                "data_type": "identifier",
                "is_identifier": True,
                "personal_data_category": "OfficialID",
            },
            {"name": "birth_date", "data_type": "date", "personal_data_category": "BirthDate"},
        ],
    }
    document["legal"] = {
        "access_rights": "RESTRICTED",
        "personal_data": {
            "controller": {"name": "Ministry of Examples", "organisation": publisher},
            "legal_bases": ["A6-1-e"],
            "purposes": [{"code": "ServiceProvision", "text": {"en": "Providing services."}}],
            "data_subjects": ["Citizen"],
            "personal_data_categories": ["OfficialID", "BirthDate"],
            "retention": {"period": "P10Y"},
        },
    }
    return document


def changed(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``document`` with the dotted ``path`` set to ``value`` (None deletes)."""
    result = copy.deepcopy(document)
    *parents, last = path.split(".")
    node = result
    for part in parents:
        node = node.setdefault(part, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return result


async def make_organisation(slug: str = PUBLISHER, type: str = "NationalAuthority") -> None:
    from catalogue.domain.organisation import OrganisationDocument
    from catalogue.organisations.service import save_organisation

    await save_organisation(
        OrganisationDocument(slug=slug, name=slug.replace("-", " ").title(), type=type),
        None,
        create=True,
    )


async def make_user(
    email: str, roles: dict[str, str] | None = None, global_role: str = ""
) -> dict[str, str]:
    """A user with a fresh token; returns the Authorization header to send."""
    from catalogue.accounts.service import create_token, create_user

    user_id = await create_user(
        email, email.split("@")[0], "correct horse battery", global_role, None, roles=roles or {}
    )
    issued = await create_token(user_id, "test")
    return {"Authorization": f"Bearer {issued.token}"}
