"""What a re-harvest changes: the content hash, the fields a source carries, and the
three-way merge that keeps local enrichment (plain Python: no HTTP, no SQL).

A dataset's fields are addressed one level deep (``title``, ``legal.licence``,
``technical.attributes``). The source owns the fields it carries: they are read-only here and
every harvest takes them. The fields it does not carry, and the *enrichment* fields that
only this catalogue knows how to state (classification, the personal-data and restriction
facts, attributes, identifier schemes, the base-register flag), may be filled here; a
steward's value there is kept across re-harvests. "Edited here" means: different from what
the last harvest stored (the merge's base).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

LEVELS = ("technical", "semantic", "organisational", "legal")
IDENTITY = ("slug", "status")  # decided by the job, never merged
ENRICHMENT = frozenset(
    {
        "classification",
        "internal_note",
        "technical.attributes",
        "organisational.identifier_schemes",
        "organisational.is_base_register",
        "organisational.owner_unit",
        "organisational.steward",
        "legal.restriction",
        "legal.personal_data",
        "legal.anonymised",
    }
)


def key_of(identifier: str) -> str:
    """The stored key of a foreign dataset's identity (identifiers may be long IRIs)."""
    return hashlib.sha256(identifier.encode()).hexdigest()


def content_hash(*parts: Any) -> str:
    """A stable hash of JSON-like values (keys sorted), e.g. a record and its options."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or value is False


def paths_of(document: dict[str, Any]) -> list[str]:
    """Every field path of a document, one level into the four levels."""
    paths: list[str] = []
    for key, value in document.items():
        if key in IDENTITY:
            continue
        if key in LEVELS and isinstance(value, dict):
            paths.extend(f"{key}.{inner}" for inner in value)
        else:
            paths.append(key)
    return paths


def get(document: dict[str, Any] | None, path: str) -> Any:
    if document is None:
        return None
    level, _, inner = path.partition(".")
    value = document.get(level)
    if inner:
        return value.get(inner) if isinstance(value, dict) else None
    return value


def _put(document: dict[str, Any], path: str, value: Any) -> None:
    level, _, inner = path.partition(".")
    if inner:
        document.setdefault(level, {})[inner] = value
    else:
        document[level] = value


def carried_fields(theirs: dict[str, Any]) -> list[str]:
    """The paths the source carries for this record: read-only here."""
    return sorted(p for p in paths_of(theirs) if p not in ENRICHMENT and not empty(get(theirs, p)))


def merge(
    base: dict[str, Any] | None, local: dict[str, Any] | None, theirs: dict[str, Any]
) -> dict[str, Any]:
    """The document to store: the source's values, except where a steward filled in here
    what the source does not carry, or stated an enrichment field (``ENRICHMENT``)."""
    if local is None:
        return json.loads(json.dumps(theirs))
    merged = json.loads(json.dumps(theirs))
    for path in dict.fromkeys([*paths_of(local), *paths_of(theirs)]):
        mine, old, new = get(local, path), get(base, path), get(theirs, path)
        edited_here = base is None or mine != old
        if not empty(mine) and edited_here and (path in ENRICHMENT or empty(new)):
            _put(merged, path, mine)
    return merged


def changed_paths(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The field paths whose value differs (for the report of an update)."""
    return [
        p
        for p in dict.fromkeys([*paths_of(before or {}), *paths_of(after)])
        if get(before, p) != get(after, p)
    ]
