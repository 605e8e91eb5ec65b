"""The shapes of ``/api/v1/organisations`` bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.domain.organisation import OrganisationDocument
from catalogue.web.openapi import Body, Shape

EXAMPLE_ORGANISATION: dict[str, Any] = {
    "slug": "statistical-office",
    "name": "Statistical Office",
    "description": "Produces official statistics.",
    "type": "NationalAuthority",
    "homepage": "https://www.stat.example.si",
    "email": "info@stat.example.si",
}


class OrganisationResource(Body):
    id: str
    slug: str
    name: str
    description: str
    type: str | None = Field(description="An ADMS publisher type code")
    parent: str | None = Field(description="The parent organisation's slug")
    homepage: str | None
    email: str | None
    created: str
    modified: str


class OrganisationList(Body):
    items: list[OrganisationResource]
    total: int


OrganisationBody = Annotated[
    dict[str, Any], Shape(OrganisationDocument, example=EXAMPLE_ORGANISATION)
]
OrganisationOut = Annotated[dict[str, Any], Shape(OrganisationResource)]
OrganisationListOut = Annotated[dict[str, Any], Shape(OrganisationList)]
