"""CKAN's field names, filters and sorts in the search service's terms (pure Python).

``plan`` turns a parsed ``fq`` into the arguments of ``catalogue.search.service.search_slugs``:
each AND-ed condition becomes an ``any_of`` group (so facets count the filtered set, as Solr
does), ``-field:value`` an ``exclude``, ``metadata_modified:[X TO *]`` ``modified_from`` and
``tags:`` a phrase of the full-text query. What the service cannot express (a range with an
upper end, wildcards, AND inside OR) is an ``FqError`` naming it, never a wrong answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from catalogue.ckan import licences
from catalogue.ckan.fq import All, Any_, Clause, FqError, MatchAll, Not, Range, SortKey, Term
from catalogue.domain import disclosure
from catalogue.search.schema import FACET_FIELDS

PUBLIC_STATUSES = list(disclosure.PUBLIC_STATUSES)
NON_PUBLIC_STATUSES = list(disclosure.NON_PUBLIC_STATUSES)
SAME_NAME = FACET_FIELDS
FIELDS = {
    **{name: name for name in SAME_NAME},
    "organization": "publisher",
    "groups": "theme",
    "res_format": "format",
    "license_id": "licence",
    "license": "licence",
    "name": "slug",
    "id": "id",
}
SPECIAL = {"owner_org", "capacity", "private", "state", "type", "dataset_type", "tags"}
FILTER_FIELDS = set(FIELDS) | SPECIAL | {"metadata_modified"}
SORTS = {
    "score": "score",
    "metadata_modified": "modified",
    "metadata_created": "created",
    "title_string": "title",
    "title": "title",
    "name": "slug",
    "id": "id",
}
FACETS = {
    **{name: name for name in SAME_NAME},
    "organization": "publisher",
    "groups": "theme",
    "res_format": "format",
    "license_id": "licence",
}
NOW_SLACK = dt.timedelta(minutes=5)


@dataclass
class SearchPlan:
    """The keyword arguments for ``search_slugs``, plus text for its query."""

    any_of: list[dict[str, list[str]]] = field(default_factory=list)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    modified_from: dt.datetime | None = None
    text: list[str] = field(default_factory=list)


def _status_values(name: str, value: str) -> list[str]:
    word = value.lower()
    if name == "capacity":
        return PUBLIC_STATUSES if word == "public" else NON_PUBLIC_STATUSES
    if name == "private":
        return NON_PUBLIC_STATUSES if word in {"true", "1"} else PUBLIC_STATUSES
    return {"active": PUBLIC_STATUSES, "draft": ["draft"], "deleted": ["withdrawn"]}.get(
        word, [f"(no state {value})"]
    )


def term_filter(term: Term, organisations_by_id: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """``(search field, values)`` for one CKAN condition; ``None`` when every dataset passes."""
    name, value = term.field, term.value
    if "*" in value or "?" in value:
        raise FqError(f"'{name}:{value}': wildcards are not supported in filters")
    if name in {"type", "dataset_type"}:
        return None if value == "dataset" else ("slug", [])
    if name in {"capacity", "private", "state"}:
        return "status", _status_values(name, value)
    if name == "owner_org":
        return "publisher", [organisations_by_id.get(value, value)]
    if name not in FIELDS:
        raise FqError(f"cannot filter on '{name}'; use {', '.join(sorted(FILTER_FIELDS))}")
    if name in {"license_id", "license"}:
        return FIELDS[name], licences.codes_for(value)  # CKAN's ids (cc-by) or EU codes
    return FIELDS[name], [value.upper() if name == "groups" else value]


def _tag_phrase(value: str) -> str:
    """``tags:"a tag"``: a phrase in the search service's keyword field."""
    words = value.replace('"', " ").split()
    if not words:
        raise FqError(f"'tags:{value}' has no word to look for")
    return 'tags:"{}"'.format(" ".join(words))


def _modified_from(rng: Range) -> dt.datetime:
    if rng.field != "metadata_modified":
        raise FqError(f"ranges are supported on metadata_modified only, not on '{rng.field}'")
    if not isinstance(rng.low, dt.datetime):
        raise FqError("metadata_modified ranges need a start date: [2024-01-01T00:00:00Z TO *]")
    now = dt.datetime.now(dt.UTC)
    if rng.high is not None and not (
        isinstance(rng.high, dt.datetime) and rng.high >= now - NOW_SLACK
    ):
        raise FqError("metadata_modified ranges must be open-ended: [X TO *] (or [X TO NOW])")
    return rng.low if rng.include_low else rng.low + dt.timedelta(microseconds=1)


def _conditions(clause: Clause) -> list[Clause]:
    """The AND-ed parts of a filter, with nested ANDs flattened."""
    if isinstance(clause, All):
        return [part for inner in clause.clauses for part in _conditions(inner)]
    return [clause]


def _alternatives(clause: Any_) -> list[Term]:
    flat: list[Term] = []
    for inner in clause.clauses:
        if isinstance(inner, Any_):
            flat.extend(_alternatives(inner))
        elif isinstance(inner, Term) and inner.field != "tags":
            flat.append(inner)
        else:
            raise FqError("OR may only join field:value conditions (not tags, ranges or AND)")
    return flat


def _add_negation(plan: SearchPlan, inner: Clause, organisations_by_id: Mapping[str, str]) -> None:
    if isinstance(inner, Not):
        _add(plan, inner.clause, organisations_by_id)
        return
    terms = _alternatives(inner) if isinstance(inner, Any_) else [inner]
    for term in terms:
        if isinstance(term, Term) and term.field == "tags":
            plan.text.append(f"-{_tag_phrase(term.value)}")
            continue
        if not isinstance(term, Term):
            raise FqError("'-' and NOT may only negate field:value conditions")
        found = term_filter(term, organisations_by_id)
        if found is None:
            plan.any_of.append({"slug": []})  # NOT (every dataset): nothing passes
        else:
            plan.exclude.setdefault(found[0], []).extend(found[1])


def _add(plan: SearchPlan, condition: Clause, organisations_by_id: Mapping[str, str]) -> None:
    if isinstance(condition, MatchAll):
        return
    if isinstance(condition, Term):
        if condition.field == "tags":
            plan.text.append(_tag_phrase(condition.value))
        elif (found := term_filter(condition, organisations_by_id)) is not None:
            plan.any_of.append({found[0]: found[1]})
    elif isinstance(condition, Range):
        start = _modified_from(condition)
        plan.modified_from = max(start, plan.modified_from or start)
    elif isinstance(condition, Not):
        _add_negation(plan, condition.clause, organisations_by_id)
    elif isinstance(condition, Any_):
        group: dict[str, list[str]] = {}
        for term in _alternatives(condition):
            found = term_filter(term, organisations_by_id)
            if found is None:
                return  # one alternative admits every dataset: the OR is no constraint
            group.setdefault(found[0], []).extend(found[1])
        plan.any_of.append(group)
    else:
        for part in _conditions(condition):
            _add(plan, part, organisations_by_id)


def plan(clauses: list[Clause], organisations_by_id: Mapping[str, str]) -> SearchPlan:
    """One plan for all the filters (``fq`` and field queries in ``q``), AND-ed together."""
    result = SearchPlan()
    for clause in clauses:
        for condition in _conditions(clause):
            _add(result, condition, organisations_by_id)
    return result


def sort_fields(keys: list[SortKey]) -> list[tuple[str, bool]]:
    return [(SORTS[key.field], key.descending) for key in keys]
