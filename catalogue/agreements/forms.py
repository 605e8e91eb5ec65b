"""Turning the proposal and decision forms into the API's JSON, and back into form values."""

from __future__ import annotations

from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import DatasetFilter, find_record, list_records
from catalogue.domain.agreement import ASSESSMENT_FACTORS, Decision
from catalogue.domain.dataset import Classification
from catalogue.domain.languages import text_in
from catalogue.domain.problems import Problem
from catalogue.i18n import N_, translate
from catalogue.organisations.service import list_organisations
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

FACTOR_LABELS = {
    "link": N_("Link between the purposes"),
    "context": N_("Context of collection"),
    "nature": N_("Nature of the data"),
    "consequences": N_("Consequences for the people"),
    "safeguards": N_("Safeguards"),
}


FIELD_LABELS = {
    "dataset": N_("Dataset"),
    "consumer": N_("Organisation that will use the data"),
    "service": N_("Public service"),
    "attributes": N_("Information the service needs"),
    "needed_attributes": N_("Why the service needs it"),
    "purpose": N_("Purpose"),
    "legal_basis": N_("Legal basis (Article 6 GDPR)"),
    "special_category_condition": N_("Condition for special categories (Article 9 GDPR)"),
    "law": N_("The law that allows the use"),
    "valid_from": N_("From"),
    "valid_until": N_("Until"),
    "measures": N_("Safeguards"),
    "note": N_("Note for the reviewer"),
}
"""What the proposal form calls each part of the agreement, for its problems."""

PLAIN_MESSAGES = {
    ("attributes", "too_short"): N_("Tick at least one piece of information the service needs."),
    ("dataset", "string_too_short"): N_("Choose the dataset."),
    ("consumer", "string_too_short"): N_("Choose the organisation that will use the data."),
    ("purpose.code", "string_too_short"): N_("Choose the purpose."),
    ("purpose.code", "missing"): N_("Choose the purpose."),
    ("service.title", "string_too_short"): N_("Give the name of the public service."),
    ("valid_from", "missing"): N_("Give the date the agreement starts, such as 2025-01-31."),
    ("valid_until", "missing"): N_("Give the date the agreement ends, such as 2026-01-31."),
}
ANCHORS = {  # the control a problem's link puts the cursor in, where it is not f-<field>
    "valid_from": "f-from",
    "valid_until": "f-until",
    "purpose": "f-purpose_code",
    "legal_basis": "f-legal_basis_select",
    "special_category_condition": "f-condition",
}
GENERIC_MESSAGES = {
    "too_short": N_("Choose at least one."),
    "missing": N_("Fill this in."),
    "string_too_short": N_("Fill this in."),
}


def plain_problems(problems: list[Problem]) -> list[dict[str, str]]:
    """The problems as the form shows them: the field by its label on the form, the message
    in plain words (never the validator's own, such as "List should have at least 1 item")."""
    shown = []
    for problem in problems:
        top = problem.field.split("[")[0].split(".")[0]
        message = PLAIN_MESSAGES.get((problem.field, problem.code)) or GENERIC_MESSAGES.get(
            problem.code
        )
        text = translate(message) if message else problem.message
        label = FIELD_LABELS.get(top)
        shown.append(
            {
                **problem.as_dict(),
                "message": text[:1].upper() + text[1:],
                "label": translate(label) if label else problem.field,
                "anchor": ANCHORS.get(top, f"f-{top}"),
            }
        )
    return shown


def _value(form: Any, name: str) -> str:
    value = form.get(name) if form else None
    return value.strip() if isinstance(value, str) else ""


def _values(form: Any, name: str) -> list[str]:
    if not form:
        return []
    getall = getattr(form, "getall", None)
    values = getall(name, []) if getall else form.get(name, [])
    if isinstance(values, str):
        values = [values]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def agreement_from_form(form: Any) -> dict[str, Any]:
    """The proposal as the API expects it; empty optional fields are left out."""
    requested = _values(form, "attributes")
    needed = []
    for name in _values(form, "attribute_names"):
        need = _value(form, f"need.{name}")
        if need:
            needed.append({"name": name, "need": {"en": need}})
    raw: dict[str, Any] = {
        "dataset": _value(form, "dataset"),
        "consumer": _value(form, "consumer"),
        "service": {"title": {"en": _value(form, "service_title")}},
        "attributes": requested,
        "needed_attributes": needed,
        "purpose": {
            "code": _value(form, "purpose_code"),
            "text": {"en": _value(form, "purpose_text")},
        },
        "valid_from": _value(form, "valid_from") or None,
        "valid_until": _value(form, "valid_until") or None,
        "measures": _values(form, "measures"),
    }
    if url := _value(form, "service_url"):
        raw["service"]["url"] = url
    for name in ("legal_basis", "special_category_condition", "note"):
        if value := _value(form, name):
            raw[name] = value
    if law_iri := _value(form, "law_iri"):
        raw["law"] = {"iri": law_iri, "title": {"en": _value(form, "law_title")}}
    return {key: value for key, value in raw.items() if value is not None}


def decision_from_form(form: Any, decision: Decision) -> dict[str, Any]:
    body: dict[str, Any] = {"reason": _value(form, "reason")}
    if decision == Decision.APPROVE:
        answers = {name: _value(form, f"assessment.{name}") for name in ASSESSMENT_FACTORS}
        if any(answers.values()):
            body["assessment"] = answers
    return body


def _options(key: str, codes: list[str] | None = None) -> list[dict[str, str]]:
    vocabulary = default_vocabularies()[key]
    concepts = vocabulary.concepts.values()
    return [
        {"code": concept.code, "label": concept.label()}
        for concept in concepts
        if codes is None or concept.code in codes
    ]


async def form_context(
    principal: Principal | None, dataset_slug: str | None, form: Any, problems: list[Problem]
) -> dict[str, Any]:
    """What the proposal form shows: the datasets that need agreements, the chosen dataset's
    attributes, the consumer organisations the user may act for, and any problems."""
    records, _ = await list_records(principal, DatasetFilter(status="published"), 1, 1000)
    datasets = [
        {
            "slug": r.slug,
            "title": text_in(r.document.title, "", get_settings().languages) or r.slug,
            "classification": r.document.classification.value,
        }
        for r in records
        if r.document.classification != Classification.OPEN
    ]
    datasets.sort(key=lambda item: item["title"])
    chosen = await find_record(dataset_slug) if dataset_slug else None
    attributes = []
    if chosen is not None and chosen.is_public:
        requested = set(_values(form, "attributes"))
        for attribute in chosen.document.technical.attributes:
            attributes.append(
                {
                    "name": attribute.name,
                    "description": text_in(attribute.description, "", get_settings().languages),
                    "category": attribute.personal_data_category or "",
                    "requested": attribute.name in requested,
                    "need": _value(form, f"need.{attribute.name}"),
                }
            )
    organisations = await list_organisations()
    if principal is not None and not principal.is_admin:
        organisations = [o for o in organisations if principal.has_role(o["slug"], "steward")]
    safeguards = [
        code
        for code, concept in default_vocabularies()["measures"].concepts.items()
        if concept.flags.get("art89Safeguard")
    ]
    return {
        "datasets": datasets,
        "dataset": dataset_slug or "",
        "chosen": chosen.document if chosen is not None and chosen.is_public else None,
        "attributes": attributes,
        "organisations": organisations,
        "purposes": _options("purposes"),
        "legal_bases": _options("legal-bases"),
        "conditions": _options("special-category-conditions"),
        "measures": _options("measures", safeguards),
        "form": {
            key: _value(form, key)
            for key in (
                "consumer",
                "service_title",
                "service_url",
                "purpose_code",
                "purpose_text",
                "legal_basis",
                "special_category_condition",
                "law_iri",
                "law_title",
                "valid_from",
                "valid_until",
                "note",
            )
        },
        "chosen_measures": set(_values(form, "measures")),
        "problems": plain_problems(problems),
        "problem_fields": {p.field.split("[")[0].split(".")[0] for p in problems},
    }
