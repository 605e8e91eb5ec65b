"""``/api/v1/organisations``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post, put
from litestar.openapi.spec import Example
from litestar.params import PathParameter
from pydantic import ValidationError

from catalogue.domain.organisation import OrganisationDocument
from catalogue.domain.problems import problems_from_validation_error
from catalogue.errors import InvalidDocument
from catalogue.organisations import service
from catalogue.organisations.schemas import (
    OrganisationBody,
    OrganisationListOut,
    OrganisationOut,
)
from catalogue.web.auth import require_principal
from catalogue.web.openapi import errors
from catalogue.web.params import (
    CurrentPrincipal,
    JSONBody,
)

OrganisationSlug = Annotated[
    str,
    PathParameter(
        description="The organisation's slug", examples=[Example(value="statistical-office")]
    ),
]


def _parse(data: dict[str, Any]) -> OrganisationDocument:
    try:
        return OrganisationDocument.model_validate(data)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]

    @get("/", summary="Every organisation", responses=errors())
    async def list_organisations(self) -> OrganisationListOut:
        items = await service.list_organisations()
        return {"items": items, "total": len(items)}

    @get("/{slug:str}", summary="One organisation", responses=errors(404))
    async def read_organisation(self, slug: OrganisationSlug) -> OrganisationOut:
        return await service.get_organisation(slug)

    @post("/", summary="Create an organisation (admin)", responses=errors(401, 403, 409, 413, 422))
    async def create_organisation(
        self, data: JSONBody[OrganisationBody], principal: CurrentPrincipal
    ) -> OrganisationOut:
        actor = require_principal(principal)
        return await service.save_organisation(_parse(data), actor, create=True)

    @put(
        "/{slug:str}",
        summary="Update an organisation (admin or its stewards)",
        responses=errors(401, 403, 404, 413, 422),
    )
    async def update_organisation(
        self, slug: OrganisationSlug, data: JSONBody[OrganisationBody], principal: CurrentPrincipal
    ) -> OrganisationOut:
        actor = require_principal(principal)
        data.setdefault("slug", slug)
        document = _parse(data)
        if document.slug != slug:
            raise InvalidDocument([service.Problem("slug", "cannot be changed")])
        return await service.save_organisation(document, actor, create=False)
