"""A data-use agreement: who reuses which attributes of a dataset, why, on what basis, how long.

Plain Python (no HTTP, no SQL). The "once only" principle lets a public service reuse data from
a base register instead of asking people again; this model records each such reuse so it can
be checked (``catalogue.domain.compatibility``), decided by the provider and shown to citizens.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, ValidationError, model_validator

from catalogue.domain.problems import InvalidDocument, Problem, problems_from_validation_error
from catalogue.domain.types import Code, LangText, LongText, Model, ShortText, Slug, Url
from catalogue.i18n import _


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


EDITABLE_STATUSES = (AgreementStatus.PROPOSED, AgreementStatus.UNDER_REVIEW)
"""The consumer may change the proposal only until the provider has decided."""

EXPIRING_STATUSES = (
    AgreementStatus.PROPOSED,
    AgreementStatus.UNDER_REVIEW,
    AgreementStatus.APPROVED,
    AgreementStatus.SUSPENDED,
)
"""Statuses that become ``expired`` once the agreed period has ended."""

IN_FORCE_STATUSES = (AgreementStatus.APPROVED,)


class Decision(StrEnum):
    """What the provider (or the consumer, for ``review``) can do with an agreement."""

    REVIEW = "review"
    APPROVE = "approve"
    REJECT = "reject"
    SUSPEND = "suspend"


TRANSITIONS: dict[Decision, tuple[tuple[AgreementStatus, ...], AgreementStatus]] = {
    Decision.REVIEW: ((AgreementStatus.PROPOSED,), AgreementStatus.UNDER_REVIEW),
    Decision.APPROVE: (
        (AgreementStatus.PROPOSED, AgreementStatus.UNDER_REVIEW, AgreementStatus.SUSPENDED),
        AgreementStatus.APPROVED,
    ),
    Decision.REJECT: (
        (AgreementStatus.PROPOSED, AgreementStatus.UNDER_REVIEW),
        AgreementStatus.REJECTED,
    ),
    Decision.SUSPEND: ((AgreementStatus.APPROVED,), AgreementStatus.SUSPENDED),
}
REASON_REQUIRED = (Decision.REJECT, Decision.SUSPEND)


def next_status(current: AgreementStatus, decision: Decision) -> AgreementStatus:
    """The status after ``decision``, or a 422-style problem when it is not allowed now."""
    allowed, target = TRANSITIONS[decision]
    if current not in allowed:
        raise InvalidDocument(
            [
                Problem(
                    "status",
                    _(
                        "an agreement that is %(replace)s cannot be %(value)s%(endswith)s; it must "
                        "be %(join)s"
                    )
                    % {
                        "replace": current.value.replace("_", " "),
                        "value": decision.value,
                        "endswith": "d" if decision.value.endswith("e") else "ed",
                        "join": " or ".join(s.value.replace("_", " ") for s in allowed),
                    },
                    "transition_not_allowed",
                )
            ]
        )
    return target


def is_due_to_expire(status: AgreementStatus, valid_until: dt.date, today: dt.date) -> bool:
    """An agreement whose last day has passed no longer permits any use."""
    return status in EXPIRING_STATUSES and valid_until < today


class PublicService(Model):
    """The public service for which the data is reused (e.g. "Child benefit")."""

    title: LangText = Field(min_length=1)
    url: Url | None = None


class NeededAttribute(Model):
    """The service's stated need for one attribute, so data minimisation can be checked."""

    name: ShortText = Field(min_length=1)
    need: LangText = Field(default_factory=dict)


class UsePurpose(Model):
    code: Code
    text: LangText = Field(min_length=1)


class Law(Model):
    """The law that allows the reuse, by its ELI IRI and title."""

    iri: Url
    title: LangText = Field(default_factory=dict)


ASSESSMENT_FACTORS: dict[str, str] = {
    "link": "the link between the purpose of collection and the new purpose",
    "context": "the context in which the data was collected (the people's reasonable expectations)",
    "nature": "the nature of the data (special categories, criminal offences)",
    "consequences": "the possible consequences of the new use for the people",
    "safeguards": "the safeguards in place (encryption, pseudonymisation, ...)",
}
"""The GDPR Art. 6(4) factors a reviewer must answer when purposes are not plainly compatible."""


class CompatibilityAssessment(Model):
    """The reviewer's answers to the Art. 6(4) factors, in plain language."""

    link: LongText = ""
    context: LongText = ""
    nature: LongText = ""
    consequences: LongText = ""
    safeguards: LongText = ""

    def missing_factors(self) -> list[str]:
        return [name for name in ASSESSMENT_FACTORS if not getattr(self, name).strip()]


class AgreementDocument(Model):
    """What the consuming organisation proposes; the provider is the dataset's publisher."""

    dataset: Slug
    consumer: Slug
    service: PublicService
    attributes: list[ShortText] = Field(min_length=1)
    needed_attributes: list[NeededAttribute] = Field(default_factory=list)
    purpose: UsePurpose
    legal_basis: Code | None = None
    special_category_condition: Code | None = None
    law: Law | None = None
    valid_from: dt.date
    valid_until: dt.date
    measures: list[Code] = Field(default_factory=list)
    assessment: CompatibilityAssessment | None = None
    note: LongText = ""

    @model_validator(mode="after")
    def _period_in_order(self) -> AgreementDocument:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until must not be before valid_from")
        return self

    def requested_needs(self) -> dict[str, NeededAttribute]:
        return {need.name: need for need in self.needed_attributes}


def parse_agreement(raw: object) -> AgreementDocument:
    """Validate the structure; every problem is reported with its field path."""
    if not isinstance(raw, dict):
        raise InvalidDocument([Problem("(document)", _("must be a JSON object"))])
    try:
        document = AgreementDocument.model_validate(raw)
    except ValidationError as error:
        problems = problems_from_validation_error(error)
        problems = [
            Problem("valid_until", p.message, p.code, p.severity)
            if p.field == "(document)" and "valid_until" in p.message
            else p
            for p in problems
        ]
        raise InvalidDocument(problems) from None
    duplicates = sorted({a for a in document.attributes if document.attributes.count(a) > 1})
    if duplicates:
        raise InvalidDocument(
            [
                Problem(
                    "attributes",
                    _("lists %(join)s more than once") % {"join": ", ".join(duplicates)},
                    "duplicate",
                )
            ]
        )
    return document


def parse_assessment(raw: object) -> CompatibilityAssessment | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidDocument(
            [Problem("assessment", _("must be an object of the factors of Article 6(4) GDPR"))]
        )
    try:
        return CompatibilityAssessment.model_validate(raw)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error, "assessment")) from None
