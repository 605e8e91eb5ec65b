"""The classification rules, each with a passing and a failing case.

These tests need no database: the rules are plain Python over a document and the vocabularies.
"""

from __future__ import annotations

import pytest

from catalogue.domain import rules
from catalogue.domain.dataset import DatasetDocument
from tests.factories import changed, closed_dataset, open_dataset, personal_dataset


def problems(raw: dict, vocabularies, publisher_type: str = "NationalAuthority") -> list:
    context = rules.RuleContext(vocabularies=vocabularies, publisher_type=publisher_type)
    return rules.check(DatasetDocument.model_validate(raw), context)


def codes(raw: dict, vocabularies, **kwargs) -> set[str]:
    return {p.code for p in problems(raw, vocabularies, **kwargs) if p.severity == "error"}


@pytest.mark.parametrize("make", [open_dataset, closed_dataset, personal_dataset])
def test_a_complete_dataset_of_each_class_has_no_problems(make, vocabularies):
    assert problems(make(), vocabularies) == []


# (document maker, change to make it fail, the problem code expected)
FAILURES = [
    # every published dataset
    (open_dataset, ("title.en", None), "title_missing"),
    (closed_dataset, ("description", {"sl": "Samo slovensko"}), "description_missing"),
    (personal_dataset, ("organisational.publisher", None), "publisher_missing"),
    (open_dataset, ("organisational.contact_point", {"name": "Nobody"}), "contact_missing"),
    (closed_dataset, ("semantic.themes", []), "theme_missing"),
    # open
    (open_dataset, ("legal.access_rights", "RESTRICTED"), "open_not_public"),
    (open_dataset, ("legal.licence", None), "licence_missing"),
    (open_dataset, ("legal.licence", "CC_BYNC_4_0"), "licence_not_open"),
    (open_dataset, ("technical.distributions", []), "distribution_missing"),
    (
        open_dataset,
        ("technical.attributes", [{"name": "name", "personal_data_category": "Name"}]),
        "open_with_personal_data",
    ),
    # closed
    (closed_dataset, ("legal.access_rights", "PUBLIC"), "access_rights_public"),
    (closed_dataset, ("legal.restriction.reason", {}), "restriction_reason_missing"),
    (closed_dataset, ("legal.restriction.how_to_request", {}), "how_to_request_missing"),
    # personal
    (personal_dataset, ("legal.access_rights", "PUBLIC"), "access_rights_public"),
    (personal_dataset, ("legal.personal_data.controller", None), "controller_missing"),
    (personal_dataset, ("legal.personal_data.legal_bases", []), "legal_basis_missing"),
    (personal_dataset, ("legal.personal_data.purposes", []), "purpose_missing"),
    (personal_dataset, ("legal.personal_data.data_subjects", []), "data_subjects_missing"),
    (
        personal_dataset,
        ("legal.personal_data.personal_data_categories", []),
        "personal_data_categories_missing",
    ),
    (personal_dataset, ("legal.personal_data.retention", None), "retention_missing"),
    (
        personal_dataset,
        ("legal.personal_data.personal_data_categories", ["Health"]),
        "article_9_condition_missing",
    ),
    (
        personal_dataset,
        ("legal.personal_data.legal_bases", ["A6-1-f"]),
        "legitimate_interest_for_authority",
    ),
]


@pytest.mark.parametrize(
    ("make", "change", "expected"), FAILURES, ids=[f"{m.__name__}-{e}" for m, _, e in FAILURES]
)
def test_each_rule_reports_its_problem(make, change, expected, vocabularies):
    assert expected in codes(changed(make(), *change), vocabularies)


def test_problems_name_the_field_and_say_how_to_fix_it(vocabularies):
    found = problems(changed(open_dataset(), "legal.licence", "CC_BYNC_4_0"), vocabularies)
    assert [(p.field, p.code) for p in found] == [("legal.licence", "licence_not_open")]
    assert "not an open licence" in found[0].message
    assert "CC BY 4.0" in found[0].message


def test_an_anonymised_open_dataset_may_describe_personal_attributes(vocabularies):
    document = changed(
        open_dataset(),
        "technical.attributes",
        [{"name": "age_group", "personal_data_category": "Age"}],
    )
    assert "open_with_personal_data" in codes(document, vocabularies)
    assert codes(changed(document, "legal.anonymised", True), vocabularies) == set()


def test_special_category_on_an_attribute_also_needs_article_9(vocabularies):
    document = personal_dataset()
    document["technical"]["attributes"].append(
        {"name": "diagnosis", "personal_data_category": "Health"}
    )
    assert "article_9_condition_missing" in codes(document, vocabularies)
    fixed = changed(document, "legal.personal_data.special_category_conditions", ["A9-2-h"])
    assert "article_9_condition_missing" not in codes(fixed, vocabularies)


def test_legitimate_interest_is_allowed_for_a_company(vocabularies):
    document = changed(personal_dataset(), "legal.personal_data.legal_bases", ["A6-1-f"])
    assert "legitimate_interest_for_authority" in codes(document, vocabularies)
    assert codes(document, vocabularies, publisher_type="Company") == set()


def test_a_closed_dataset_may_be_restricted_instead_of_non_public(vocabularies):
    document = changed(closed_dataset(), "legal.access_rights", "RESTRICTED")
    assert codes(document, vocabularies) == set()


def test_undeclared_attribute_categories_are_a_warning_not_a_blocker(vocabularies):
    document = personal_dataset()
    document["technical"]["attributes"].append(
        {"name": "street", "personal_data_category": "PhysicalAddress"}
    )
    found = problems(document, vocabularies)
    assert [(p.code, p.severity) for p in found] == [("category_undeclared", "warning")]


def test_every_marked_rule_is_listed_once_in_the_rule_book() -> None:
    """A rule takes effect by being listed in ``rules.RULES``, not by being imported."""
    from catalogue.domain import closed_and_personal_rules, services

    marked = {
        function
        for module in (rules, closed_and_personal_rules, services)
        for function in vars(module).values()
        if callable(function) and hasattr(function, "applies_to")
    }
    assert marked == set(rules.RULES)
    assert len(rules.RULES) == len(set(rules.RULES))
