"""The purpose-compatibility check, rule by rule: each rule passes and fails once at least.

Plain Python: a dataset document, an agreement document, a consumer type and a date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from catalogue.domain.agreement import CompatibilityAssessment, parse_agreement
from catalogue.domain.compatibility import CheckContext, Outcome, check, missing_assessment
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.problems import InvalidDocument
from tests.factories import changed, closed_dataset, personal_dataset

TODAY = dt.date(2026, 1, 1)
LAW = {"iri": "https://pisrs.example.si/eli/zakon/2020/ZSDP", "title": {"en": "Family Act"}}


def dataset(**changes: Any) -> DatasetDocument:
    document = personal_dataset()
    document["technical"]["attributes"] += [
        {"name": "diagnosis", "personal_data_category": "Health"},
        {"name": "conviction", "personal_data_category": "CriminalConviction"},
        {"name": "address_id", "personal_data_category": "PhysicalAddress"},
    ]
    for path, value in changes.items():
        document = changed(document, path.replace("__", "."), value)
    return DatasetDocument.model_validate(document)


def proposal(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "dataset": "personal-example",
        "consumer": "ministry-of-labour",
        "service": {"title": {"en": "Child benefit"}},
        "attributes": ["birth_date", "address_id"],
        "needed_attributes": [
            {"name": "birth_date", "need": {"en": "Age of the child decides the amount."}},
            {"name": "address_id", "need": {"en": "Benefit is paid to residents only."}},
        ],
        "purpose": {"code": "ServiceProvision", "text": {"en": "Decide on child benefit."}},
        "legal_basis": "A6-1-e",
        "law": LAW,
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }
    for path, value in changes.items():
        document = changed(document, path.replace("__", "."), value)
    return document


def run(
    raw: dict[str, Any],
    document: DatasetDocument | None = None,
    consumer_type: str = "NationalAuthority",
):
    return check(
        parse_agreement(raw),
        CheckContext(document or dataset(), consumer_type, _vocabularies(), TODAY),
    )


def _vocabularies():
    from catalogue.vocabularies import default_vocabularies

    return default_vocabularies()


def codes(result, severity: str | None = None) -> set[str]:
    return {f.code for f in result.findings if severity is None or f.severity == severity}


def test_a_well_formed_proposal_for_a_purpose_of_collection_is_compatible():
    result = run(proposal())
    assert result.outcome == Outcome.COMPATIBLE
    assert not result.errors and not result.warnings
    assert "compatible" in result.explanation


# 1. Scope


def test_scope_passes_when_every_attribute_exists_and_is_needed():
    assert not codes(run(proposal())) & {"unknown_attribute", "beyond_stated_need"}


def test_scope_refuses_an_attribute_the_dataset_does_not_have():
    result = run(proposal(attributes=["birth_date", "shoe_size"]))
    [error] = result.errors
    assert error.code == "unknown_attribute" and error.field == "attributes[1]"
    assert "shoe_size" in error.message


def test_scope_warns_when_more_is_asked_than_the_stated_need():
    result = run(proposal(attributes=["birth_date", "address_id", "personal_id"]))
    assert codes(result, "warning") == {"beyond_stated_need"}
    assert "personal_id" in result.warnings[0].message


def test_scope_warns_when_no_need_is_stated_at_all():
    result = run(proposal(needed_attributes=[]))
    assert codes(result, "warning") == {"need_not_stated"}


# 2. Legal basis


def test_legitimate_interests_are_refused_for_a_public_authority():
    result = run(proposal(legal_basis="A6-1-f"), consumer_type="LocalAuthority")
    assert "legitimate_interests_by_public_authority" in codes(result, "error")


def test_legitimate_interests_are_allowed_for_a_company():
    result = run(proposal(legal_basis="A6-1-f"), consumer_type="Company")
    assert not result.errors


def test_consent_by_a_public_authority_is_a_warning_not_a_refusal():
    result = run(proposal(legal_basis="A6-1-a"))
    assert codes(result, "warning") == {"consent_by_public_authority"}
    assert not result.errors
    assert not codes(run(proposal(legal_basis="A6-1-a"), consumer_type="Company"), "warning")


@pytest.mark.parametrize("basis", ["A6-1-c", "A6-1-e"])
def test_a_legal_obligation_or_public_task_needs_a_law(basis):
    assert not run(proposal(legal_basis=basis)).errors
    result = run(proposal(legal_basis=basis, law=None))
    assert [(e.code, e.field) for e in result.errors] == [("law_required", "law")]


def test_personal_data_needs_a_legal_basis_at_all():
    result = run(proposal(legal_basis=None))
    assert codes(result, "error") == {"legal_basis_required"}


# 3. Sensitive data


def test_special_category_data_needs_an_art_9_condition():
    asked = ["birth_date", "diagnosis"]
    needs = [{"name": n, "need": {"en": "needed"}} for n in asked]
    failing = run(proposal(attributes=asked, needed_attributes=needs))
    assert codes(failing, "error") == {"special_category_condition_required"}
    assert "diagnosis" in failing.errors[0].message
    passing = run(
        proposal(attributes=asked, needed_attributes=needs, special_category_condition="A9-2-b")
    )
    assert not passing.errors


def test_criminal_offence_data_needs_a_law():
    asked = ["conviction"]
    needs = [{"name": "conviction", "need": {"en": "vetting"}}]
    failing = run(proposal(attributes=asked, needed_attributes=needs, legal_basis=None, law=None))
    assert "criminal_offence_law_required" in codes(failing, "error")
    passing = run(proposal(attributes=asked, needed_attributes=needs))
    assert not passing.errors


# 4. Compatibility of purposes


def test_a_narrower_purpose_than_a_purpose_of_collection_is_compatible():
    result = run(proposal(purpose={"code": "SocialWelfareProvision", "text": {"en": "Benefits"}}))
    assert result.outcome == Outcome.COMPATIBLE


def test_a_different_purpose_needs_an_assessment_of_the_art_6_4_factors():
    result = run(proposal(purpose={"code": "FraudPreventionAndDetection", "text": {"en": "x"}}))
    assert result.outcome == Outcome.NEEDS_ASSESSMENT
    assert "needs_assessment" in codes(result, "warning")
    missing = missing_assessment(result.outcome.value, None)
    assert [p.field for p in missing] == [
        "assessment.link",
        "assessment.context",
        "assessment.nature",
        "assessment.consequences",
        "assessment.safeguards",
    ]
    partial = CompatibilityAssessment(link="Both are benefit checks.", context="Registers.")
    assert [p.field for p in missing_assessment(result.outcome.value, partial)] == [
        "assessment.nature",
        "assessment.consequences",
        "assessment.safeguards",
    ]
    assert missing_assessment(Outcome.COMPATIBLE.value, None) == []


def test_statistics_with_a_safeguard_is_presumed_compatible_under_art_89():
    statistics = {"code": "ProvideOfficialStatistics", "text": {"en": "Official statistics"}}
    with_safeguard = run(proposal(purpose=statistics, measures=["Pseudonymisation"]))
    assert with_safeguard.outcome == Outcome.PRESUMED_COMPATIBLE
    assert "Art. 89" in with_safeguard.explanation


def test_statistics_without_a_safeguard_needs_an_assessment():
    statistics = {"code": "ProvideOfficialStatistics", "text": {"en": "Official statistics"}}
    result = run(proposal(purpose=statistics, measures=["StaffTraining"]))
    assert result.outcome == Outcome.NEEDS_ASSESSMENT
    assert "art89_safeguard_missing" in codes(result, "warning")


def test_a_safeguard_recorded_on_the_dataset_counts_too():
    statistics = {"code": "ScientificResearch", "text": {"en": "Research"}}
    document = dataset(legal__personal_data__measures=["SecureProcessingEnvironment"])
    assert run(proposal(purpose=statistics), document).outcome == Outcome.PRESUMED_COMPATIBLE


def test_purpose_limitation_does_not_apply_to_non_personal_closed_data():
    closed = closed_dataset()
    closed["technical"] = {"attributes": [{"name": "asset_id"}]}
    result = run(
        proposal(
            attributes=["asset_id"], needed_attributes=[{"name": "asset_id"}], legal_basis=None
        ),
        DatasetDocument.model_validate(closed),
    )
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert not result.errors


# 5. Time


def test_a_use_within_the_retention_period_passes():
    assert not codes(run(proposal(valid_until="2035-12-01")), "error")  # P10Y from 2026


def test_a_use_that_outlives_the_retention_period_is_refused():
    result = run(proposal(valid_until="2037-01-01"))
    [error] = result.errors
    assert error.code == "outlives_retention" and error.field == "valid_until"
    assert "P10Y" in error.message


def test_a_period_that_is_already_over_is_refused():
    result = run(proposal(valid_from="2020-01-01", valid_until="2025-06-30"))
    assert codes(result, "error") == {"period_over"}


def test_the_period_must_be_in_order():
    with pytest.raises(InvalidDocument) as error:
        parse_agreement(proposal(valid_until="2025-01-01"))
    assert [p.field for p in error.value.problems] == ["valid_until"]


def test_every_finding_is_explained_in_plain_language():
    result = run(
        proposal(legal_basis="A6-1-f", law=None, attributes=["nope"]),
        consumer_type="LocalAuthority",
    )
    assert all(len(f.message) > 30 and f.message.endswith(".") for f in result.findings)
