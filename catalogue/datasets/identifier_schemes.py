"""``/api/v1/identifier-schemes``: the common identifiers datasets are joined on.

A small table the admin extends (personal ID number, tax number, business ID, ...); attributes
and datasets refer to a scheme by its code.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from pydantic import StringConstraints, ValidationError

from catalogue.accounts.principal import Principal
from catalogue.datasets.tables import IdentifierScheme
from catalogue.db import write_transaction
from catalogue.domain.problems import problems_from_validation_error
from catalogue.domain.types import SLUG_PATTERN, LongText, Model, Url
from catalogue.errors import Conflict, Forbidden, InvalidDocument
from catalogue.events import Change, announce
from catalogue.vocabularies.schemas import IdentifierSchemeListOut, IdentifierSchemeOutBody
from catalogue.web.auth import require_principal
from catalogue.web.openapi import Shape, errors
from catalogue.web.params import CurrentPrincipal, JSONBody


class IdentifierSchemeDocument(Model):
    """Sizes as the table's columns (PostgreSQL refuses longer values)."""

    code: Annotated[str, StringConstraints(min_length=2, max_length=50, pattern=SLUG_PATTERN)]
    label: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: LongText = ""
    iri: Url | None = None


IdentifierSchemeBody = Annotated[dict[str, Any], Shape(IdentifierSchemeDocument)]


async def list_schemes() -> list[dict[str, Any]]:
    """Every identifier scheme, by label (a short table the admin extends)."""
    return await IdentifierScheme.select(
        IdentifierScheme.code,
        IdentifierScheme.label,
        IdentifierScheme.description,
        IdentifierScheme.iri,
    ).order_by(IdentifierScheme.label)


async def add_scheme(data: dict[str, Any], actor: Principal) -> dict[str, Any]:
    """Add a scheme (admin only); every problem with ``data`` at once, a taken code a Conflict."""
    if not actor.is_admin:
        raise Forbidden("only an administrator extends the identifier schemes")
    try:
        scheme = IdentifierSchemeDocument.model_validate(data)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None
    values = {**scheme.model_dump(), "iri": scheme.iri or ""}
    async with write_transaction():
        if await IdentifierScheme.exists().where(IdentifierScheme.code == scheme.code):
            raise Conflict(f"an identifier scheme '{scheme.code}' already exists")
        await IdentifierScheme.insert(IdentifierScheme(**values))
        await announce(
            Change("identifier-scheme", "create", scheme.code, scheme.label, actor, after=values)
        )
    return values


class IdentifierSchemeController(Controller):
    path = "/api/v1/identifier-schemes"
    tags = ["vocabularies"]

    @get("/", summary="Every identifier scheme", responses=errors())
    async def list_schemes(self) -> IdentifierSchemeListOut:
        rows = await list_schemes()
        return {"items": rows, "total": len(rows)}

    @post(
        "/", summary="Add an identifier scheme (admin)", responses=errors(401, 403, 409, 413, 422)
    )
    async def create_scheme(
        self, data: JSONBody[IdentifierSchemeBody], principal: CurrentPrincipal
    ) -> IdentifierSchemeOutBody:
        return await add_scheme(data, require_principal(principal))
