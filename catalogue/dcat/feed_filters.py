"""ckanext-dcat's ``fq`` and ``sort`` on the catalogue endpoints, in the search service's terms.

ckanext-dcat's ``/catalog.{fmt}`` takes CKAN's filter query and sort, so a harvest meant for
one organisation (``fq=organization:police``) gets that organisation's datasets, not the
whole catalogue. The filter is read by the CKAN API's own parser (:mod:`catalogue.ckan.fq`,
:mod:`catalogue.ckan.filters`): one syntax, one set of field names, the same 400 for what it
cannot read. The feed's default order (newest change first on a searched page) applies when
no ``sort`` is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from catalogue.ckan import filters
from catalogue.ckan.fq import Clause, FqError, fields_of, parse_fq, parse_sort
from catalogue.domain.problems import InvalidDocument, Problem

DEFAULT_SORT = [("modified", True), ("id", False)]


@dataclass(frozen=True)
class FeedPlan:
    """What :func:`catalogue.search.service.search_slugs` is given for a feed page."""

    sort_fields: list[tuple[str, bool]] = field(default_factory=lambda: list(DEFAULT_SORT))
    modified_from: dt.datetime | None = None
    exclude: dict[str, list[str]] = field(default_factory=dict)
    any_of: list[dict[str, list[str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def _parsed(fq: str) -> Clause:
    clause = parse_fq(fq)
    unknown = sorted(name for name in fields_of(clause) if name not in filters.FILTER_FIELDS)
    if unknown:
        raise FqError(
            f"cannot filter by {', '.join(unknown)}; use one of "
            f"{', '.join(sorted(filters.FILTER_FIELDS))}"
        )
    return clause


def check(fq: str, sort: str) -> list[Problem]:
    """A problem for each of ``fq`` and ``sort`` that cannot be read (none when fine)."""
    problems = []
    if fq:
        try:
            _parsed(fq)
        except FqError as error:
            problems.append(Problem("fq", f"the filter cannot be read: {error}", "bad_fq"))
    if sort:
        try:
            parse_sort(sort, set(filters.SORTS))
        except FqError as error:
            problems.append(Problem("sort", f"the sort cannot be read: {error}", "bad_sort"))
    return problems


async def plan(fq: str, sort: str, modified_since: dt.datetime | None) -> FeedPlan:
    """The search arguments for a checked ``fq`` and ``sort`` (see :func:`check`)."""
    sort_fields = filters.sort_fields(parse_sort(sort, set(filters.SORTS))) if sort else None
    if not fq:
        return FeedPlan(sort_fields=sort_fields or list(DEFAULT_SORT), modified_from=modified_since)
    from catalogue.ckan import store

    organisations = {str(row["id"]): row["slug"] for row in await store.organisation_rows()}
    try:
        found = filters.plan([_parsed(fq)], organisations)
    except FqError as error:  # a filter the search cannot express (checked only here)
        raise InvalidDocument(
            [Problem("fq", f"the filter cannot be run: {error}", "bad_fq")]
        ) from None
    starts = [moment for moment in (modified_since, found.modified_from) if moment]
    return FeedPlan(
        sort_fields=sort_fields or list(DEFAULT_SORT),
        modified_from=max(starts) if starts else None,
        exclude=found.exclude,
        any_of=found.any_of,
        text=found.text,
    )
