"""Make a mapped document valid by dropping only what is wrong, and say what was dropped.

A foreign record is mapped into plain document data first, with every value as the source
gave it. :func:`clean_document` then drops each code no vocabulary knows and each value the
document model refuses (a web address that is none, a date that is not one, a title too
long ...), records a :class:`RecordIssue` (path, original value, reason) for each, and
validates again, until the document is valid. Every other value is kept.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from catalogue.domain.codes import (
    CONTROLLED_FIELDS,
    DATA_TYPES,
    IDENTIFIER_SCHEMES,
    _slots,
    is_foreign_concept,
)
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.problems import field_path, problems_from_validation_error
from catalogue.harvest.records import RecordIssue
from catalogue.vocabularies import Vocabularies
from catalogue.vocabularies.matching import media_type

_DROP = object()
MAX_ROUNDS = 20
KEPT = {"slug", "classification"}  # the mapping always sets these validly


def shown(value: Any) -> str:
    """A value as the issue shows it: text as is, structures as compact JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)[:2000]
    except (TypeError, ValueError):
        return str(value)[:2000]


def _unknown_codes(
    data: dict[str, Any],
    vocabularies: Vocabularies,
    schemes: Collection[str] | None,
    issues: list[RecordIssue],
) -> None:
    for pattern, key in CONTROLLED_FIELDS.items():
        for location, container, slot in list(_slots(data, pattern.split("."), ())):
            value = container[slot]
            if value is _DROP:
                continue
            if not isinstance(value, str):
                issues.append(RecordIssue(field_path(location), shown(value), "not a code"))
                container[slot] = _DROP
                continue
            if key == IDENTIFIER_SCHEMES:
                if schemes is not None and value not in schemes:
                    issues.append(
                        RecordIssue(
                            field_path(location),
                            value,
                            "not an identifier scheme this catalogue knows",
                        )
                    )
                    container[slot] = _DROP
                continue
            concept = vocabularies[key].get(value)
            if concept is not None:
                container[slot] = concept.code
            elif is_foreign_concept(pattern, value):
                issues.append(
                    RecordIssue(
                        field_path(location),
                        value,
                        "not an EU data theme: kept as a link, not counted as an EU theme",
                    )
                )
            else:
                issues.append(
                    RecordIssue(
                        field_path(location),
                        value,
                        f"not in the {key} vocabulary (no mapping known)",
                    )
                )
                container[slot] = _DROP
    for index, item in enumerate(data.get("technical", {}).get("distributions") or []):
        media = item.get("media_type") if isinstance(item, dict) else None
        if media is not None and not (isinstance(media, str) and media_type(media)):
            issues.append(
                RecordIssue(
                    f"technical.distributions[{index}].media_type",
                    shown(media),
                    "not a media type such as text/csv",
                )
            )
            item.pop("media_type")
    for index, attribute in enumerate(data.get("technical", {}).get("attributes") or []):
        if isinstance(attribute, dict) and attribute.get("data_type") not in (None, *DATA_TYPES):
            issues.append(
                RecordIssue(
                    f"technical.attributes[{index}].data_type",
                    shown(attribute["data_type"]),
                    "not a data type we know",
                )
            )
            attribute.pop("data_type")


def _compact(node: Any) -> Any:
    """``node`` without the values marked for dropping."""
    if isinstance(node, dict):
        return {key: _compact(value) for key, value in node.items() if value is not _DROP}
    if isinstance(node, list):
        return [_compact(value) for value in node if value is not _DROP]
    return node


def _mark(data: Any, location: tuple[Any, ...], kind: str) -> tuple[str, Any] | None:
    """Mark the deepest value on ``location`` that the data holds for dropping (the object
    that lacks a field, when one is missing); answer its path and what it held."""
    parents: list[tuple[Any, Any]] = []
    node = data
    for step in location:
        present = (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        )
        if not present:
            break
        parents.append((node, step))
        node = node[step]
    if not parents or (len(parents) == 1 and parents[0][1] in KEPT):
        return None
    container, step = parents[-1]
    value = container[step]
    steps = [step for _, step in parents]
    if (
        step == "temporal"
        and kind == "value_error"
        and isinstance(value, dict)
        and (value.get("end") is not None)
    ):  # an end before the start: keep the start
        container, step, value = value, "end", value["end"]
        steps.append("end")
    container[step] = _DROP
    return field_path(steps), value


def clean_document(
    raw: dict[str, Any],
    vocabularies: Vocabularies,
    identifier_schemes: Collection[str] | None = None,
) -> tuple[dict[str, Any], list[RecordIssue]]:
    """``raw`` with every unknown code and invalid value dropped, and the issues that says.

    The result validates as a :class:`DatasetDocument`, and every code in it is known (themes
    may also be foreign IRIs). ``raw`` is changed in place and must hold a valid slug and
    classification. Identifier schemes are checked only when ``identifier_schemes`` is given.
    """
    issues: list[RecordIssue] = []
    _unknown_codes(raw, vocabularies, identifier_schemes, issues)
    data = _compact(raw)
    for _ in range(MAX_ROUNDS):
        try:
            DatasetDocument.model_validate(data)
            return data, issues
        except ValidationError as error:
            problems = problems_from_validation_error(error)
            for item, problem in zip(error.errors(), problems, strict=True):
                location = tuple(item["loc"])
                marked = _mark(data, location, item.get("type", ""))
                if marked is None:
                    raise ValueError(f"cannot drop {problem.field}: {problem.message}") from error
                path, value = marked
                reason = (
                    problem.message
                    if path == problem.field
                    else (f"{problem.field}: {problem.message}")
                )
                issues.append(RecordIssue(path, shown(value), reason))
            data = _compact(data)
    raise ValueError("the document could not be made valid")  # pragma: no cover
