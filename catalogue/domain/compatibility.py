"""The purpose-compatibility check run on every proposal and change of a data-use agreement.

It flags and routes; people decide. Errors stop a proposal (with a 422 naming each field);
warnings and the compatibility outcome are stored with the agreement for the reviewer, each
told in plain language. Five rules: scope (data minimisation), legal basis, sensitive data,
purpose compatibility (GDPR Art. 6(4) and Art. 89) and time (retention). What they return is
declared in :mod:`catalogue.domain.compatibility_model`.
"""

from __future__ import annotations

from typing import Any

from catalogue.domain.agreement import ASSESSMENT_FACTORS, AgreementDocument
from catalogue.domain.compatibility_model import (
    CONSENT,
    LAW_REQUIRED_BASES,
    LEGITIMATE_INTERESTS,
    OUTCOME_EXPLANATIONS,
    CheckContext,
    CheckResult,
    Finding,
    Outcome,
)
from catalogue.domain.dataset import Classification
from catalogue.domain.problems import Problem
from catalogue.domain.rulebook import PUBLIC_AUTHORITY_TYPES
from catalogue.domain.types import add_duration

__all__ = ["CheckContext", "CheckResult", "Finding", "Outcome", "check", "missing_assessment"]


def check(agreement: AgreementDocument, context: CheckContext) -> CheckResult:
    """Run every rule; the outcome says how the purpose relates to the purposes of collection."""
    findings: list[Finding] = []
    findings += check_scope(agreement, context)
    findings += check_basis(agreement, context)
    findings += check_sensitive(agreement, context)
    outcome, compatibility = check_compatibility(agreement, context)
    findings += compatibility
    findings += check_time(agreement, context)
    return CheckResult(outcome, findings)


def check_scope(agreement: AgreementDocument, context: CheckContext) -> list[Finding]:
    """Every attribute exists; no more attributes than the service says it needs."""
    known = {attribute.name for attribute in context.dataset.technical.attributes}
    findings: list[Finding] = []
    for index, name in enumerate(agreement.attributes):
        if name not in known:
            findings.append(
                Finding(
                    "scope",
                    f"attributes[{index}]",
                    f"The dataset has no attribute '{name}'; it has "
                    f"{', '.join(sorted(known)) or 'no attributes described'}.",
                    "unknown_attribute",
                )
            )
    needs = agreement.requested_needs()
    if not needs:
        findings.append(
            Finding(
                "scope",
                "needed_attributes",
                "State which attributes the service needs and why (data minimisation), so the "
                "request can be compared with the need.",
                "need_not_stated",
                "warning",
            )
        )
        return findings
    beyond = [name for name in agreement.attributes if name not in needs]
    if beyond:
        findings.append(
            Finding(
                "scope",
                "attributes",
                f"More is asked than the service's stated need: {', '.join(beyond)} "
                f"{'is' if len(beyond) == 1 else 'are'} requested but not among the needed "
                "attributes (data minimisation, GDPR Art. 5(1)(c)).",
                "beyond_stated_need",
                "warning",
            )
        )
    for index, need in enumerate(agreement.needed_attributes):
        if not need.need:
            findings.append(
                Finding(
                    "scope",
                    f"needed_attributes[{index}].need",
                    f"Say why the service needs '{need.name}'.",
                    "need_not_explained",
                    "warning",
                )
            )
    return findings


def _is_public_authority(context: CheckContext) -> bool:
    return context.consumer_type in PUBLIC_AUTHORITY_TYPES


def check_basis(agreement: AgreementDocument, context: CheckContext) -> list[Finding]:
    """GDPR Art. 6: a basis for personal data; no legitimate interests for public authorities."""
    basis = agreement.legal_basis
    personal = context.dataset.classification == Classification.PERSONAL
    if basis is None:
        if personal:
            return [
                Finding(
                    "basis",
                    "legal_basis",
                    "Personal data may be used only on a legal basis of GDPR Art. 6(1); "
                    "name one (for public authorities usually A6-1-c or A6-1-e).",
                    "legal_basis_required",
                )
            ]
        return []
    if basis not in context.vocabularies["legal-bases"]:
        return [
            Finding(
                "basis",
                "legal_basis",
                f"'{basis}' is not a GDPR Art. 6(1) legal basis; see "
                "/api/v1/vocabularies/legal-bases.",
                "unknown_code",
            )
        ]
    findings: list[Finding] = []
    if basis == LEGITIMATE_INTERESTS and _is_public_authority(context):
        findings.append(
            Finding(
                "basis",
                "legal_basis",
                "A public authority cannot rely on legitimate interests (Art. 6(1)(f)) for the "
                "performance of its tasks; use a legal obligation or a public task set by law.",
                "legitimate_interests_by_public_authority",
            )
        )
    if basis == CONSENT and _is_public_authority(context):
        findings.append(
            Finding(
                "basis",
                "legal_basis",
                "Consent is rarely freely given to a public authority (GDPR Recital 43); "
                "prefer a legal obligation or a public task set by law.",
                "consent_by_public_authority",
                "warning",
            )
        )
    if basis in LAW_REQUIRED_BASES and agreement.law is None:
        findings.append(
            Finding(
                "basis",
                "law",
                "A legal obligation or public task (Art. 6(1)(c) or (e)) must be laid down by "
                "law (Art. 6(3)); give the law's ELI address and title.",
                "law_required",
            )
        )
    return findings


def _categories(agreement: AgreementDocument, context: CheckContext) -> list[tuple[str, str]]:
    """(attribute name, personal data category code) for the requested attributes."""
    by_name = {a.name: a for a in context.dataset.technical.attributes}
    return [
        (name, by_name[name].personal_data_category or "")
        for name in agreement.attributes
        if name in by_name and by_name[name].personal_data_category
    ]


def _has_flag(context: CheckContext, code: str, flag: str) -> bool:
    """True when the category, or any broader category, carries ``flag``."""
    vocabulary = context.vocabularies["personal-data"]
    for candidate in (code, *vocabulary.ancestors(code)):
        concept = vocabulary.get(candidate)
        if concept is not None and concept.flags.get(flag):
            return True
    return False


def check_sensitive(agreement: AgreementDocument, context: CheckContext) -> list[Finding]:
    """Special categories need an Art. 9(2) condition; criminal-offence data needs a law."""
    categories = _categories(agreement, context)
    special = [name for name, code in categories if _has_flag(context, code, "specialCategory")]
    criminal = [name for name, code in categories if _has_flag(context, code, "criminalOffence")]
    findings: list[Finding] = []
    condition = agreement.special_category_condition
    if condition and condition not in context.vocabularies["special-category-conditions"]:
        findings.append(
            Finding(
                "sensitive",
                "special_category_condition",
                f"'{condition}' is not a GDPR Art. 9(2) condition; see "
                "/api/v1/vocabularies/special-category-conditions.",
                "unknown_code",
            )
        )
    elif special and not condition:
        findings.append(
            Finding(
                "sensitive",
                "special_category_condition",
                f"{', '.join(special)} {'is' if len(special) == 1 else 'are'} a special category "
                "of personal data (health, biometrics, ...); name the GDPR Art. 9(2) condition "
                "that allows the use.",
                "special_category_condition_required",
            )
        )
    if criminal and agreement.law is None:
        findings.append(
            Finding(
                "sensitive",
                "law",
                f"{', '.join(criminal)} {'is' if len(criminal) == 1 else 'are'} data about "
                "criminal convictions or offences, which may be used only where a law allows it "
                "(GDPR Art. 10); give the law.",
                "criminal_offence_law_required",
            )
        )
    return findings


def _art89_safeguards(agreement: AgreementDocument, context: CheckContext) -> list[str]:
    measures = context.vocabularies["measures"]
    dataset_measures = (
        context.dataset.legal.personal_data.measures if context.dataset.legal.personal_data else []
    )
    found = []
    for code in dict.fromkeys([*agreement.measures, *dataset_measures]):
        concept = measures.get(code)
        if concept is not None and concept.flags.get("art89Safeguard"):
            found.append(concept.code)
    return found


def _label(context: CheckContext, code: str) -> str:
    concept = context.vocabularies["purposes"].get(code)
    return concept.label() if concept else code


def check_compatibility(
    agreement: AgreementDocument, context: CheckContext
) -> tuple[Outcome, list[Finding]]:
    """Same or narrower purpose -> compatible; Art. 89 with safeguards -> presumed; else assess."""
    purposes = context.vocabularies["purposes"]
    use = agreement.purpose.code
    if use not in purposes:
        return Outcome.NEEDS_ASSESSMENT, [
            Finding(
                "compatibility",
                "purpose.code",
                f"'{use}' is not a purpose we know; see /api/v1/vocabularies/purposes.",
                "unknown_code",
            )
        ]
    unknown = [code for code in agreement.measures if code not in context.vocabularies["measures"]]
    findings: list[Finding] = []
    if unknown:
        findings.append(
            Finding(
                "compatibility",
                "measures",
                f"{', '.join(unknown)}: not a measure we know; see /api/v1/vocabularies/measures.",
                "unknown_code",
            )
        )
    personal = context.dataset.legal.personal_data
    if context.dataset.classification != Classification.PERSONAL or personal is None:
        return Outcome.NOT_APPLICABLE, [
            *findings,
            Finding(
                "compatibility",
                "purpose.code",
                OUTCOME_EXPLANATIONS[Outcome.NOT_APPLICABLE],
                "not_applicable",
                "info",
            ),
        ]
    collected = [purpose.code for purpose in personal.purposes]
    matching = [code for code in collected if purposes.is_same_or_narrower(use, code)]
    concept = purposes.get(use)
    label = concept.label() if concept else use
    if matching:
        return Outcome.COMPATIBLE, [
            *findings,
            Finding(
                "compatibility",
                "purpose.code",
                f"'{label}' is, or falls under, the purpose of collection "
                f"'{_label(context, matching[0])}'; the reuse is compatible.",
                "compatible",
                "info",
            ),
        ]
    if concept is not None and concept.flags.get("art89"):
        safeguards = _art89_safeguards(agreement, context)
        if safeguards:
            return Outcome.PRESUMED_COMPATIBLE, [
                *findings,
                Finding(
                    "compatibility",
                    "purpose.code",
                    f"'{label}' is archiving, research or statistics and the safeguards "
                    f"{', '.join(safeguards)} are recorded, so the reuse is presumed compatible "
                    "(GDPR Art. 89(1)).",
                    "presumed_compatible",
                    "info",
                ),
            ]
        findings.append(
            Finding(
                "compatibility",
                "measures",
                f"'{label}' could be presumed compatible under GDPR Art. 89(1) only with a "
                "safeguard such as pseudonymisation recorded on the agreement or the dataset.",
                "art89_safeguard_missing",
                "warning",
            )
        )
    collected_labels = ", ".join(_label(context, code) for code in collected)
    findings.append(
        Finding(
            "compatibility",
            "purpose.code",
            f"'{label}' differs from the purposes of collection ({collected_labels or 'none'}). "
            + OUTCOME_EXPLANATIONS[Outcome.NEEDS_ASSESSMENT],
            "needs_assessment",
            "warning",
        )
    )
    return Outcome.NEEDS_ASSESSMENT, findings


def check_time(agreement: AgreementDocument, context: CheckContext) -> list[Finding]:
    """The use may not outlive the retention period; a proposal may not already be over."""
    findings: list[Finding] = []
    if agreement.valid_until < context.today:
        findings.append(
            Finding(
                "time",
                "valid_until",
                f"The period ended on {agreement.valid_until.isoformat()}; an agreement must "
                "end today or later.",
                "period_over",
            )
        )
    personal = context.dataset.legal.personal_data
    if personal is not None and personal.retention is not None:
        limit = add_duration(agreement.valid_from, personal.retention.period)
        if agreement.valid_until > limit:
            findings.append(
                Finding(
                    "time",
                    "valid_until",
                    f"The data is kept for {personal.retention.period} only, so a use that "
                    f"starts on {agreement.valid_from.isoformat()} must end by "
                    f"{limit.isoformat()} (it ends on {agreement.valid_until.isoformat()}).",
                    "outlives_retention",
                )
            )
    return findings


def missing_assessment(result_outcome: str, assessment: Any) -> list[Problem]:
    """Approval of a ``needs_assessment`` agreement needs every Art. 6(4) factor answered."""
    if result_outcome != Outcome.NEEDS_ASSESSMENT.value:
        return []
    missing = assessment.missing_factors() if assessment is not None else list(ASSESSMENT_FACTORS)
    return [
        Problem(
            f"assessment.{name}",
            f"Answer this GDPR Art. 6(4) factor before approving: {ASSESSMENT_FACTORS[name]}.",
            "assessment_factor_missing",
        )
        for name in missing
    ]
