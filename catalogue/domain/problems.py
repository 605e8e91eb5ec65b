"""A problem with a dataset, named by field path and told in plain language.

Structural errors (pydantic), unknown vocabulary codes and classification rules all speak
this one shape, so the API, the forms and the steward's dashboard show them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    code: str = "invalid"
    severity: Severity = "error"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class InvalidDocument(Exception):
    """Raised when input cannot be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


def field_path(location: Iterable[Any]) -> str:
    """``("technical", "distributions", 0, "url")`` -> ``technical.distributions[0].url``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(document)"


_PLAIN_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field we know; check the spelling",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "date_from_datetime_parsing": "must be a date such as 2024-01-31",
    "date_parsing": "must be a date such as 2024-01-31",
    "date_type": "must be a date such as 2024-01-31",
    "greater_than_equal": "must not be negative",
}


def _message(error: ErrorDetails) -> str:
    kind = error.get("type", "")
    if (
        kind == "string_pattern_mismatch"
        and error["loc"]
        and error["loc"][-1]
        in {
            "slug",
            "publisher",
            "organisation",
        }
    ):
        return (
            "may hold only lower-case letters, digits and single hyphens "
            "(like 'population-register')"
        )
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}"
    if kind == "string_too_long":
        return f"is too long (at most {error['ctx']['max_length']} characters)"
    if kind == "string_too_short":
        return (
            "must not be empty"
            if error["ctx"]["min_length"] <= 1
            else (f"is too short (at least {error['ctx']['min_length']} characters)")
        )
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return _PLAIN_MESSAGES.get(kind, str(error["msg"]))


def problems_from_validation_error(error: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for item in error.errors():
        path = field_path(item["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path != "(document)" else prefix
        problems.append(
            Problem(field=path, message=_message(item), code=item.get("type", "invalid"))
        )
    return problems
