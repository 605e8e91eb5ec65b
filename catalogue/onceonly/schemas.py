"""The shapes of the once-only API's bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from catalogue.web.openapi import Body, Shape


class AuthoriseRequest(Body):
    """What the data exchange layer asks before it fetches anything."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "service": "child-benefit",
                    "dataset": "central-population-register",
                    "attributes": ["personal_id", "birth_date"],
                }
            ]
        },
    )

    service: str = Field(min_length=1, description="The service's slug (see /service/{slug})")
    dataset: str = Field(min_length=1, description="The dataset's slug")
    attributes: list[str] = Field(min_length=1, description="The attributes it would fetch")
    at: str | None = Field(default=None, description="ISO 8601 date or date-time; default now")


class AuthorisedAgreement(Body):
    id: str
    reference: str | None = None
    valid_until: str | None = None
    purpose: str | None = None
    purpose_text: dict[str, str] | None = None
    legal_basis: str | None = None
    law: str | None = None
    consumer: str | None = None


class AuthoriseAnswer(Body):
    allowed: bool
    code: str = Field(description="allowed, or why not: no_agreement, not_covered, expired ...")
    reason: str = Field(description="The answer in plain language")
    agreement: AuthorisedAgreement | None = None
    missing_attributes: list[str] | None = None
    request: dict[str, Any] = Field(description="The question as understood")


class ServiceUse(Body):
    agreement: str
    reference: str | None
    dataset: str
    consumer: str
    attributes: list[str]
    purpose: str
    legal_basis: str
    law: str | None
    valid_from: str
    valid_until: str


class ServiceUses(Body):
    service: str
    title: str | None
    last_change: str | None
    uses: list[ServiceUse]
    links: dict[str, str]


AuthoriseBody = Annotated[dict[str, Any], Shape(AuthoriseRequest)]
AuthoriseOut = Annotated[dict[str, Any], Shape(AuthoriseAnswer)]
ServiceUsesOut = Annotated[dict[str, Any], Shape(ServiceUses)]
