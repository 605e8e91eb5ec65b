"""``/api/v1/organisations``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post, put
from pydantic import ValidationError

from catalogue.domain.organisation import OrganisationDocument
from catalogue.domain.problems import problems_from_validation_error
from catalogue.errors import InvalidDocument
from catalogue.organisations import service
from catalogue.web.auth import require_principal
from catalogue.web.params import (
    CurrentPrincipal,
    FromPath,
    JsonObject,
)


def _parse(data: JsonObject) -> OrganisationDocument:
    try:
        return OrganisationDocument.model_validate(data)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]

    @get("/", summary="Every organisation")
    async def list_organisations(self) -> dict[str, Any]:
        items = await service.list_organisations()
        return {"items": items, "total": len(items)}

    @get("/{slug:str}", summary="One organisation")
    async def read_organisation(self, slug: FromPath[str]) -> dict[str, Any]:
        return await service.get_organisation(slug)

    @post("/", summary="Create an organisation (admin)")
    async def create_organisation(
        self, data: JsonObject, principal: CurrentPrincipal
    ) -> dict[str, Any]:
        actor = require_principal(principal)
        return await service.save_organisation(_parse(data), actor, create=True)

    @put("/{slug:str}", summary="Update an organisation (admin or its stewards)")
    async def update_organisation(
        self, slug: FromPath[str], data: JsonObject, principal: CurrentPrincipal
    ) -> dict[str, Any]:
        actor = require_principal(principal)
        data.setdefault("slug", slug)
        document = _parse(data)
        if document.slug != slug:
            raise InvalidDocument([service.Problem("slug", "cannot be changed")])
        return await service.save_organisation(document, actor, create=False)
