"""JSON Merge Patch (RFC 7396), the format of ``PATCH /api/v1/datasets/{slug}``."""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply ``patch`` to ``target``: objects merge, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def changed_fields(before: Any, after: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """The leaves that differ between two JSON documents: ``{path: {"from": a, "to": b}}``."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: dict[str, dict[str, Any]] = {}
        for key in sorted(set(before) | set(after)):
            path = f"{prefix}.{key}" if prefix else key
            changes.update(changed_fields(before.get(key), after.get(key), path))
        return changes
    if before == after:
        return {}
    return {prefix or "(document)": {"from": before, "to": after}}
