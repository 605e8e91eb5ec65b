"""The tolerant write of a harvested page: as much of every record as the rules allow.

A record is published; where the rules refuse that, it is kept as a draft (only a bad
document fails even that); where the document itself is bad, it is written without the
values its problems name (each one reported as dropped), published, else as a draft. A
source's one bad field never costs the catalogue the rest of the record.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from catalogue.datasets.batch import Outcome, write_batch
from catalogue.domain.problems import Problem

_PATH_PARTS = re.compile(r"\.|\[(\d+)\]")


@dataclass
class Written:
    outcomes: list[Outcome]
    documents: list[dict[str, Any]]  # as written: without the values that were dropped
    drafted: dict[int, list[dict[str, str]]] = field(default_factory=dict)  # why not published
    dropped: list[tuple[int, Problem, str]] = field(default_factory=list)  # index, why, value


async def write_tolerantly(documents: list[dict[str, Any]], actor: str) -> Written:
    """Write ``documents`` in as few batch writes as their problems need (one when clean)."""
    documents = list(documents)
    written = Written(await _batch(documents, actor), documents)
    outcomes = written.outcomes
    refused = [i for i, o in enumerate(outcomes) if o.status == 422]
    if not refused:
        return written
    bad: list[int] = []
    for i, outcome in zip(refused, await _batch(_drafts(documents, refused), actor), strict=True):
        if outcome.ok:
            written.drafted[i] = _listed(outcomes[i])
        else:
            bad.append(i)
        outcomes[i] = outcome
    for i in bad:
        problems = outcomes[i].problems
        written.dropped += [(i, p, str(value_at(documents[i], p.field))) for p in problems]
        documents[i] = without(documents[i], [p.field for p in problems])
    if not bad:
        return written
    again = await _batch([documents[i] for i in bad], actor)
    last = [i for i, o in zip(bad, again, strict=True) if o.status == 422]
    for i, outcome in zip(bad, again, strict=True):
        outcomes[i] = outcome
    for i, outcome in zip(last, await _batch(_drafts(documents, last), actor), strict=True):
        if outcome.ok:
            written.drafted[i] = _listed(outcomes[i])
        outcomes[i] = outcome
    return written


async def _batch(documents: list[dict[str, Any]], actor: str) -> list[Outcome]:
    return await write_batch(documents, None, upsert=True, trusted=True, actor_name=actor)


def _drafts(documents: list[dict[str, Any]], indexes: list[int]) -> list[dict[str, Any]]:
    return [{**documents[i], "status": "draft"} for i in indexes]


def _listed(outcome: Outcome) -> list[dict[str, str]]:
    return [{"field": p.field, "message": p.message} for p in outcome.problems]


def _parts(path: str) -> list[str]:
    return [part for part in _PATH_PARTS.split(path) if part]


def _walk(node: Any, parts: list[str]) -> Any:
    """The value ``parts`` lead to from ``node``, or None where the path breaks off."""
    for part in parts:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def without(document: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A copy without the values at ``paths`` (``a.b[2].c``); list items are removed."""
    result = copy.deepcopy(document)
    removals: list[tuple[Any, str]] = []
    for parts in map(_parts, paths):
        parent = _walk(result, parts[:-1])
        if parts and parent is not None:
            removals.append((parent, parts[-1]))
    # Highest list indexes first, so removing one does not move the next.
    for parent, last in sorted(removals, key=lambda r: -int(r[1]) if r[1].isdigit() else 0):
        if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
            del parent[int(last)]
        elif isinstance(parent, dict) and last in parent and last not in ("slug", "classification"):
            parent[last] = (
                None if not isinstance(parent[last], list | dict) else type(parent[last])()
            )
    return result


def value_at(document: dict[str, Any], path: str) -> Any:
    """The value at ``path`` (``a.b[2].c``), or "" where there is none."""
    value = _walk(document, _parts(path))
    return "" if value is None else value


def problem_of(error: Any) -> Problem:
    """A refusal without field problems, as one problem of the whole record."""
    return Problem("(record)", getattr(error, "message", str(error)), "refused")
