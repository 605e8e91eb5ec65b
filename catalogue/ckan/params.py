"""Reading action parameters as CKAN does: GET sends strings, POST sends JSON values.

Every reader raises ``ValidationError`` naming the parameter, never a bare ``ValueError``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from catalogue.ckan.errors import ValidationError
from catalogue.limits import limits

TRUE_WORDS = {"true", "1", "yes", "on", "t", "y"}
FALSE_WORDS = {"false", "0", "no", "off", "f", "n", ""}


def text(data: Mapping[str, Any], name: str, default: str = "") -> str:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError.one(name, "Must be a string")
    return str(value).strip()


def required_text(data: Mapping[str, Any], name: str) -> str:
    value = text(data, name)
    if not value:
        raise ValidationError.one(name, "Missing value")
    return value


def integer(
    data: Mapping[str, Any], name: str, default: int, minimum: int = 0, maximum: int | None = None
) -> int:
    value = data.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValidationError.one(name, "Invalid integer")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.one(name, "Invalid integer") from None
    if number < minimum:
        raise ValidationError.one(name, f"Must be a natural number of at least {minimum}")
    top = limits().max_int if maximum is None else min(maximum, limits().max_int)
    if number > top:
        raise ValidationError.one(name, f"Must be at most {top}")
    return number


def boolean(data: Mapping[str, Any], name: str, default: bool) -> bool:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError.one(name, "Must be true or false")


def is_given(data: Mapping[str, Any], name: str) -> bool:
    return data.get(name) is not None


def string_list(data: Mapping[str, Any], name: str) -> list[str] | None:
    """A list as JSON (``'["a","b"]'`` in a query string), a JSON array, or one string."""
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except ValueError:
                raise ValidationError.one(name, "Must be a JSON list of strings") from None
        else:
            return [stripped]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError.one(name, "Must be a JSON list of strings")
    return [item.strip() for item in value if item.strip()]
