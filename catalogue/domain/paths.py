"""Paths into the dataset document (``technical.distributions[].format``), for the registry.

The registry names every field by its path; these read and write values at a path in plain
JSON data or in a pydantic document, with no knowledge of what the fields mean.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def values_at(data: Any, path: str) -> Iterator[Any]:
    """Every value a path pattern reaches in plain JSON data (``a.b[].c``)."""
    if not path:
        yield data
        return
    step, _, rest = path.partition(".")
    name = step.removesuffix("[]")
    if not isinstance(data, dict) or data.get(name) is None:
        return
    node = data[name]
    items = node if step.endswith("[]") and isinstance(node, list) else [node]
    for item in items:
        yield from values_at(item, rest)


def attribute(document: Any, path: str) -> Any:
    """The value at a dotted path of a pydantic document (no dump: the feed writes many)."""
    value = document
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def get(data: Any, path: str) -> Any:
    """The value at a plain dotted path in JSON data, or None."""
    return next(values_at(data, path), None)


def put(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a plain dotted path in JSON data, creating the levels on the way."""
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
