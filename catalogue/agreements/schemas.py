"""The shapes of ``/api/v1/agreements`` bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from catalogue.domain.agreement import AgreementDocument, CompatibilityAssessment
from catalogue.web.openapi import Body, Shape

EXAMPLE_AGREEMENT: dict[str, Any] = {
    "dataset": "central-population-register",
    "consumer": "financial-administration",
    "service": {"title": {"en": "Pre-filled income tax returns"}},
    "attributes": ["personal_id", "address"],
    "purpose": {"code": "ServiceProvision", "text": {"en": "Address the tax assessment."}},
    "legal_basis": "A6-1-e",
    "law": {"iri": "https://pisrs.example.si/eli/zakon/2016/ZDavP-2"},
    "valid_from": "2026-01-01",
    "valid_until": "2027-12-31",
}


class Finding(Body):
    rule: str = Field(description="scope, basis, sensitive, compatibility or time")
    field: str
    message: str
    code: str
    severity: str = Field(description="error, warning or info")


class CheckResult(Body):
    outcome: str = Field(
        description="compatible, presumed_compatible, needs_assessment or not_applicable"
    )
    explanation: str
    findings: list[Finding]


class CheckOutcome(CheckResult):
    acceptable: bool = Field(description="No finding is an error: it may be proposed")


class DecisionEntry(Body):
    action: str
    status: str
    reason: str
    at: str
    by: str | None = Field(default=None, description="Shown to the parties, admins, auditors")
    by_user_id: int | None = None


class AgreementLinks(Body):
    self: str
    page: str
    dataset: str


class AgreementResource(AgreementDocument):
    """A stored agreement: the proposal, who is involved, the check result, every decision."""

    model_config = ConfigDict(extra="allow")

    id: str
    reference: str
    status: str = Field(
        description="proposed, under_review, approved, rejected, suspended or expired"
    )
    revision: int = Field(ge=1, description="Also the ETag: send it back in If-Match")
    dataset_title: str
    consumer_name: str
    provider: str
    provider_name: str
    check: CheckResult
    decisions: list[DecisionEntry]
    created: str
    modified: str
    links: AgreementLinks


class AgreementList(Body):
    items: list[AgreementResource]
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    size: int = Field(ge=1)


class AgreementPatch(Body):
    """A JSON Merge Patch (RFC 7396) of the proposal's fields."""

    model_config = ConfigDict(extra="allow")

    attributes: list[str] | None = None
    note: str | None = None
    valid_until: str | None = None


class DecisionRequest(Body):
    reason: str | None = Field(default=None, description="Required to reject or suspend")
    assessment: CompatibilityAssessment | None = Field(
        default=None, description="The GDPR Art. 6(4) factors, when approval needs them"
    )


AgreementBody = Annotated[dict[str, Any], Shape(AgreementDocument, example=EXAMPLE_AGREEMENT)]
AgreementPatchBody = Annotated[dict[str, Any], Shape(AgreementPatch)]
DecisionBody = Annotated[dict[str, Any], Shape(DecisionRequest)]
AgreementOut = Annotated[dict[str, Any], Shape(AgreementResource)]
AgreementListOut = Annotated[dict[str, Any], Shape(AgreementList)]
CheckOutcomeOut = Annotated[dict[str, Any], Shape(CheckOutcome)]
