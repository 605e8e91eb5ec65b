"""Reading and writing organisations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.db import write_transaction
from catalogue.domain.organisation import OrganisationDocument
from catalogue.errors import Conflict, Forbidden, InvalidDocument, NotFound, Problem
from catalogue.events import Change, announce
from catalogue.organisations.tables import Organisation
from catalogue.vocabularies import default_vocabularies

COLUMNS = (
    Organisation.id,
    Organisation.slug,
    Organisation.name,
    Organisation.description,
    Organisation.type,
    Organisation.parent.slug,
    Organisation.homepage,
    Organisation.email,
    Organisation.created,
    Organisation.modified,
)


def _as_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "slug": row["slug"],
        "name": row["name"],
        "description": row["description"],
        "type": row["type"] or None,
        "parent": row["parent.slug"],
        "homepage": row["homepage"] or None,
        "email": row["email"] or None,
        "created": row["created"].isoformat(),
        "modified": row["modified"].isoformat(),
    }


async def list_organisations() -> list[dict[str, Any]]:
    rows = await Organisation.select(*COLUMNS).order_by(Organisation.name)
    return [_as_dict(row) for row in rows]


async def get_organisation(slug: str) -> dict[str, Any]:
    row = await Organisation.select(*COLUMNS).where(Organisation.slug == slug).first()
    if row is None:
        raise NotFound(f"no organisation '{slug}'")
    return _as_dict(row)


async def organisation_types() -> dict[str, str]:
    """slug -> ADMS publisher type, which the rules need to recognise public authorities."""
    rows = await Organisation.select(Organisation.slug, Organisation.type)
    return {row["slug"]: row["type"] for row in rows}


SIZES = {
    column._meta.name: int(column.length or 0)
    for column in (Organisation.slug, Organisation.name, Organisation.homepage, Organisation.email)
}
"""The text columns' sizes (PostgreSQL enforces them; the document's types allow more)."""


async def _validate(document: OrganisationDocument) -> dict[str, Any]:
    problems = [
        Problem(name, f"is too long (at most {size} characters)")
        for name, size in SIZES.items()
        if len(getattr(document, name) or "") > size
    ]
    if document.type and document.type not in default_vocabularies()["publisher-types"]:
        problems.append(
            Problem(
                "type",
                f"'{document.type}' is not an ADMS publisher type; see "
                "/api/v1/vocabularies/publisher-types",
            )
        )
    parent_id = None
    if document.parent:
        parent = (
            await Organisation.select(Organisation.id)
            .where(Organisation.slug == document.parent)
            .first()
        )
        if parent is None or document.parent == document.slug:
            problems.append(Problem("parent", f"no other organisation '{document.parent}'"))
        else:
            parent_id = parent["id"]
    if problems:
        raise InvalidDocument(problems)
    concept = (
        default_vocabularies()["publisher-types"].get(document.type) if document.type else None
    )
    return {
        "slug": document.slug,
        "name": document.name,
        "description": document.description,
        "type": concept.code if concept else "",
        "parent": parent_id,
        "homepage": document.homepage or "",
        "email": document.email or "",
    }


async def save_organisation(
    document: OrganisationDocument, actor: Principal | None, create: bool
) -> dict[str, Any]:
    """Create (admin only) or update (admin, or a steward of that organisation)."""
    if actor is not None and not (
        actor.is_admin or (not create and actor.has_role(document.slug, "steward"))
    ):
        raise Forbidden(
            "only an administrator can create organisations, and only its stewards "
            "or an administrator can change one"
        )
    values = await _validate(document)
    async with write_transaction():
        existing = (
            await Organisation.select(*COLUMNS).where(Organisation.slug == document.slug).first()
        )
        if create and existing is not None:
            raise Conflict(f"an organisation with the slug '{document.slug}' already exists")
        if not create and existing is None:
            raise NotFound(f"no organisation '{document.slug}'")
        if create:
            await Organisation.insert(Organisation(**values))
        else:
            values["modified"] = dt.datetime.now(dt.UTC)
            changed: dict[Any, Any] = values
            await Organisation.update(changed).where(Organisation.slug == document.slug)
        saved = (
            await Organisation.select(*COLUMNS).where(Organisation.slug == document.slug).first()
        )
        assert saved is not None  # written just now, in this transaction
        await announce(
            Change(
                "organisation",
                "create" if create else "update",
                str(saved["id"]),
                document.slug,
                actor,
                before=_as_dict(existing) if existing else None,
                after=_as_dict(saved),
            )
        )
    return _as_dict(saved)
