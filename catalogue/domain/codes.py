"""Which field takes codes from which vocabulary, and the check that every code is known.

Stewards may send a code (``CC_BY_4_0``) or the concept's IRI; both are stored as the code.
An unknown code is always an error, in drafts too: a controlled field never holds a silent string.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.fields import FIELDS
from catalogue.domain.problems import Problem, field_path
from catalogue.i18n import _
from catalogue.vocabularies import Vocabularies

IDENTIFIER_SCHEMES = "identifier-schemes"
"""Not a SKOS file: a database table the admin can extend, passed in by the caller."""

DATA_TYPES = (
    "string",
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "time",
    "code",
    "identifier",
    "geometry",
    "json",
    "binary",
)

NESTED_CONTROLLED_FIELDS: dict[str, str] = {
    "technical.distributions[].format": "file-types",
    "technical.distributions[].licence": "licences",
    "technical.distributions[].status": "distribution-status",
    "technical.distributions[].availability": "planned-availability",
    "technical.data_services[].licence": "licences",
    "technical.data_services[].access_rights": "access-rights",
    "technical.data_services[].hvd_categories[]": "hvd-categories",
    "technical.attributes[].personal_data_category": "personal-data",
    "technical.attributes[].identifier_scheme": IDENTIFIER_SCHEMES,
    "legal.personal_data.legal_bases[]": "legal-bases",
    "legal.personal_data.special_category_conditions[]": "special-category-conditions",
    "legal.personal_data.purposes[].code": "purposes",
    "legal.personal_data.data_subjects[]": "data-subjects",
    "legal.personal_data.personal_data_categories[]": "personal-data",
    "legal.personal_data.measures[]": "measures",
    "legal.personal_data.transfers[].country": "countries",
    "legal.personal_data.transfers[].basis": "transfer-bases",
}
"""Codes inside the registry's nested (custom) fields, which the registry does not list."""

CONTROLLED_FIELDS: dict[str, str] = {
    **{
        field.path + ("[]" if field.kind == "codes" else ""): field.vocabulary
        for field in FIELDS
        if field.vocabulary and field.kind in {"code", "codes"}
    },
    **NESTED_CONTROLLED_FIELDS,
}
"""Every path that holds a vocabulary code: the registry's controlled fields, then the nested."""


FOREIGN_CONCEPTS = frozenset({"semantic.themes[]"})
"""Paths that may also hold a concept IRI from outside our vocabulary (a harvested
catalogue's own themes): kept as given and shown as a link, but never counted as one of ours."""


def is_foreign_concept(pattern: str, value: str) -> bool:
    """True when ``value`` may stay at ``pattern`` although no vocabulary knows it."""
    return (
        pattern in FOREIGN_CONCEPTS
        and value.startswith(("http://", "https://"))
        and not any(character.isspace() for character in value)
    )


def _slots(
    node: Any, steps: list[str], location: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], Any, Any]]:
    """Yield ``(location, container, key)`` for every place a path pattern reaches."""
    if node is None:
        return
    step, rest = steps[0], steps[1:]
    is_list = step.endswith("[]")
    name = step.removesuffix("[]")
    if not isinstance(node, dict) or node.get(name) is None:
        return
    if is_list:
        items = node[name]
        for index in range(len(items)):
            if rest:
                yield from _slots(items[index], rest, (*location, name, index))
            else:
                yield (*location, name, index), items, index
    elif rest:
        yield from _slots(node[name], rest, (*location, name))
    else:
        yield (*location, name), node, name


def normalise_codes(
    document: DatasetDocument,
    vocabularies: Vocabularies,
    identifier_schemes: Collection[str],
) -> tuple[DatasetDocument, list[Problem]]:
    """Turn IRIs into codes and report every code no vocabulary knows."""
    data = document.model_dump(mode="json")
    problems: list[Problem] = []
    changed = False
    for pattern, key in CONTROLLED_FIELDS.items():
        for location, container, slot in _slots(data, pattern.split("."), ()):
            value = container[slot]
            if key == IDENTIFIER_SCHEMES:
                if value not in identifier_schemes:
                    known = ", ".join(sorted(identifier_schemes))
                    problems.append(
                        Problem(
                            field_path(location),
                            _("'%(value)s' is not a known identifier scheme; use one of: %(known)s")
                            % {"value": value, "known": known},
                            "unknown_code",
                        )
                    )
                continue
            concept = vocabularies[key].get(value)
            if concept is None and is_foreign_concept(pattern, value):
                continue
            if concept is None:
                problems.append(
                    Problem(
                        field_path(location),
                        _(
                            "'%(value)s' is not in the %(key)s vocabulary; see "
                            "/api/v1/vocabularies/%(key2)s for the allowed codes"
                        )
                        % {"value": value, "key": key, "key2": key},
                        "unknown_code",
                    )
                )
            elif concept.code != value:
                container[slot] = concept.code
                changed = True
    for index, attribute in enumerate(data["technical"]["attributes"]):
        if attribute["data_type"] not in DATA_TYPES:
            problems.append(
                Problem(
                    f"technical.attributes[{index}].data_type",
                    f"'{attribute['data_type']}' is not a data type we know; use one of: "
                    + ", ".join(DATA_TYPES),
                    "unknown_code",
                )
            )
    # Codes as given (the usual case) leave the document as it was: no second validation.
    return (DatasetDocument.model_validate(data) if changed else document), problems
