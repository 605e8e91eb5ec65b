"""``package_search``: CKAN's parameters, answered by the search service.

The search service (``search_slugs``) is the one place for matching, ranking, access rules
and facet counts; this module reads CKAN's parameters, translates them (``filters``) and
turns the window of slugs it returns into package dicts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from catalogue.ckan import filters, licences, params, store
from catalogue.ckan.errors import SearchQueryError, ValidationError
from catalogue.ckan.fq import Clause, FqError, MatchAll, fields_of, parse_fq, parse_sort
from catalogue.ckan.groups import theme_group_name
from catalogue.datasets.queries import DatasetRecord
from catalogue.domain.fields import FACETS
from catalogue.domain.problems import InvalidDocument
from catalogue.search.service import SearchQuery, search_slugs
from catalogue.vocabularies import default_vocabularies

ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"
TAGS = "tags"
ALL_TEXT = {"", "*", "*:*"}
VOCABULARY_OF_FACET = {
    facet.name: facet.vocabulary for facet in FACETS if facet.vocabulary and facet.name != "format"
}
"""Facets whose values are shown by their concept's label (formats keep CKAN's own names)."""


def field_query(q: str) -> Clause | None:
    """``q`` written only as CKAN fields (``organization:police``) is a filter, not text."""
    if q.strip() in ALL_TEXT:
        return MatchAll()
    try:
        clause = parse_fq(q)
    except FqError:
        return None
    names = fields_of(clause)
    return clause if names and names <= filters.FILTER_FIELDS else None


def _facet_fields(data: Mapping[str, Any]) -> list[str]:
    names = params.string_list(data, "facet.field") or []
    allowed = {*filters.FACETS, TAGS}
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise ValidationError.one(
            "facet.field", f"cannot facet on {', '.join(unknown)}; use {', '.join(sorted(allowed))}"
        )
    return names


def _display(field: str, value: str, organisations: Mapping[str, str], language: str) -> str:
    if field == "publisher":
        return organisations.get(value, value)
    if field in VOCABULARY_OF_FACET:
        concept = default_vocabularies()[VOCABULARY_OF_FACET[field]].get(value)
        return concept.label(language) if concept else value
    return value


def ckan_facets(
    requested: list[str],
    counts: Mapping[str, list[tuple[str, int]]],
    limit: int,
    organisations: Mapping[str, str],
    language: str,
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """CKAN's ``facets`` ({field: {value: count}}) and ``search_facets`` (titled items)."""
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for name in requested:
        source = filters.FACETS.get(name, name)
        found = counts.get(source, [])
        if name == "license_id":
            found = licences.facet_counts(found)
        ranked = sorted(found, key=lambda item: (-item[1], item[0]))
        ranked = [(value, count) for value, count in ranked if count > 0]
        if limit >= 0:
            ranked = ranked[:limit]
        items: list[dict[str, Any]] = [
            {
                "name": theme_group_name(value) if name == "groups" else value,
                "display_name": (
                    licence.title
                    if name == "license_id" and (licence := licences.REGISTER.get(value))
                    else _display(source, value, organisations, language)
                ),
                "count": count,
            }
            for value, count in ranked
        ]
        facets[name] = {item["name"]: item["count"] for item in items}
        search_facets[name] = {"title": name, "items": items}
    return facets, search_facets


async def _tag_counts(
    query: SearchQuery, arguments: dict[str, Any], audience: store.Audience
) -> list[tuple[str, int]]:
    """Keyword counts over the matches (the first ``ROWS_MAX`` of them: the index keeps no
    exact keyword facet)."""
    slugs, _total, _facets = await search_slugs(query, **arguments, start=0, rows=ROWS_MAX)
    counter: Counter[str] = Counter()
    for record in await store.records_by_slugs(slugs, audience):
        counter.update(set(record.document.semantic.keywords))
    return list(counter.items())


async def run_package_search(
    data: Mapping[str, Any], language: str, audience: store.Audience
) -> tuple[list[DatasetRecord], dict[str, Any]]:
    """The page of datasets, and the rest of CKAN's result (count, facets, search_facets,
    sort); the caller turns the datasets into ``results``."""
    rows = params.integer(data, "rows", ROWS_DEFAULT, minimum=0, maximum=ROWS_MAX)
    start = params.integer(data, "start", 0)
    facet_limit = params.integer(data, "facet.limit", FACET_LIMIT_DEFAULT, minimum=-1)
    facet_fields = _facet_fields(data)
    q, fq = params.text(data, "q"), params.text(data, "fq")
    sort_text = params.text(data, "sort") or DEFAULT_SORT
    keys = parse_sort(sort_text, set(filters.SORTS))
    clauses = [parse_fq(fq)]
    query_filter = field_query(q)
    if query_filter is not None:
        clauses.append(query_filter)
    organisation_rows = await store.organisation_rows()
    plan = filters.plan(clauses, {str(row["id"]): row["slug"] for row in organisation_rows})
    text = q if query_filter is None else ""
    query = SearchQuery(q=" ".join([text, *plan.text]).strip())
    arguments: dict[str, Any] = {
        "sort_fields": filters.sort_fields(keys),
        "modified_from": plan.modified_from,
        "exclude": plan.exclude,
        "any_of": plan.any_of,
    }
    principal = None if audience.public_only else audience.principal
    try:
        slugs, total, counts = await search_slugs(
            query, principal, **arguments, start=start, rows=rows
        )
        if TAGS in facet_fields:
            tag_arguments = {"principal": principal, **arguments}
            counts = {**counts, TAGS: await _tag_counts(query, tag_arguments, audience)}
    except InvalidDocument as error:
        raise SearchQueryError("; ".join(p.message for p in error.problems)) from None
    names = {row["slug"]: row["name"] for row in organisation_rows}
    facets, search_facets = ckan_facets(facet_fields, counts, facet_limit, names, language)
    records = await store.records_by_slugs(slugs, audience)
    return records, {
        "count": total,
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort_text,
    }
