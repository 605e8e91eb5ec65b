"""Searching the catalogue: full text, facets, access rules, highlights, did-you-mean.

Two entry points:

``search(query, principal) -> SearchResult``
    What ``GET /api/v1/search`` and the search page use. Words must all match; when nothing
    matches all of them it falls back to any word and says so in ``note``.

``search_slugs(query, principal, *, sort_fields=None, modified_from=None, exclude=None,
any_of=None, start=None, rows=None) -> (slugs, total, facets)``
    For the CKAN-compatible API (``package_search``). Expresses ``fq`` and ``sort``:

    * ``query.q`` - the full-text part (same syntax, no any-word fallback); ``query.filters``
      - ``{field: [values]}``: OR within a field, AND across fields (``fq=field:value``).
    * ``exclude`` - ``{field: [values]}``: drop datasets having any of them (``-field:value``).
    * ``any_of`` - a list of groups ``{field: [values], ...}``; a dataset must match at least
      one (field, value) of every group (``(res_format:CSV OR tags:x)``).
    * ``modified_from`` - ``metadata_modified:[X TO *]`` (inclusive; naive means UTC).
    * ``sort_fields`` - ``[(name, descending)]`` with names ``score``, ``modified``,
      ``created``, ``title``, ``slug`` (= CKAN ``name``), ``id`` (the dataset UUID); ties
      are broken by the later keys, then by slug. Default: score, then modified descending.
    * ``start``/``rows`` - the window (``rows`` up to 1000); default from page and size.

    Filter keys: the facet fields (:data:`FACET_FIELDS`) plus ``id`` and ``slug``. Facets come
    back for every facet field, counted over the visible matches, each field ignoring its own
    filter (so a multi-select facet shows its alternatives). Unknown keys or sort names raise
    :class:`InvalidDocument`.

Access rules are part of the query, never applied afterwards: anonymous users see published
and deprecated datasets, stewards also their organisations' others, admins and auditors all.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
from functools import reduce
from typing import Any

from whoosh.query import QueryError

from catalogue.accounts.principal import Principal
from catalogue.datasets.versions import VersionedCache, visibility_key
from catalogue.domain.disclosure import PUBLIC_STATUSES
from catalogue.domain.languages import text_and_language
from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.i18n import N_, translate
from catalogue.i18n.catalogues import current_language as interface_language
from catalogue.search import index
from catalogue.search.bitsets import bits_from_ids
from catalogue.search.patterns import INCOMPLETE_NOTE, Budget, expand
from catalogue.search.query import (
    ParsedQuery,
    matching_bits,
    parse,
    snippet,
    suggest,
    with_facet_codes,
)
from catalogue.search.ranking import SORT_COLUMNS, ranked_top, sorted_top
from catalogue.search.results import SearchHit, SearchQuery, SearchResult
from catalogue.search.schema import FACET_FIELDS, _aware, languages
from catalogue.search.snapshot import Snapshot, current

CORRECTED_NOTE = N_("No dataset matches these words; showing results for “%(query)s”.")
ANY_WORD_NOTE = N_("No dataset matches all the words; showing datasets that match any of them.")

SORTS = ("relevance", "modified", "title")
MAX_SIZE = 100
MAX_WINDOW = 10_000
MAX_ROWS = 1000
ID_FIELDS = ("id", "slug")

__all__ = ["FACET_FIELDS", "SearchHit", "SearchQuery", "SearchResult", "search", "search_slugs"]


def _invalid(name: str, message: str) -> InvalidDocument:
    return InvalidDocument([Problem(name, message, "invalid_search")])


def _check_keys(name: str, mapping: dict[str, list[str]], allowed: tuple[str, ...]) -> None:
    for key, values in mapping.items():
        if key not in allowed:
            raise _invalid(f"{name}.{key}", f"unknown filter; use one of {', '.join(allowed)}")
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            raise _invalid(f"{name}.{key}", "must be a list of strings")


def visible_bits(snapshot: Snapshot, principal: Principal | None) -> int:
    public = snapshot.any_of("status", PUBLIC_STATUSES) & snapshot.live
    if principal is None:
        return public
    if principal.reads_everything:
        return snapshot.live
    own = snapshot.any_of("publisher", sorted(principal.organisations)) & snapshot.live
    return public | own


def _values_bits(snapshot: Snapshot, name: str, values: list[str]) -> int:
    if name in ID_FIELDS:
        return reduce(lambda acc, v: acc | snapshot.term_bits(name, v), values, 0)
    return snapshot.any_of(name, values)


def _filter_bits(snapshot: Snapshot, filters: dict[str, list[str]]) -> dict[str, int]:
    return {name: _values_bits(snapshot, name, values) for name, values in filters.items()}


def _facets(snapshot: Snapshot, base: int, filter_bits: dict[str, int]) -> dict[str, Any]:
    """Counts per facet field; a field's own filter is left out of its counts."""
    everything = reduce(lambda acc, bits: acc & bits, filter_bits.values(), base)
    facets = {}
    for name in FACET_FIELDS:
        scope = everything
        if name in filter_bits:
            others = [bits for key, bits in filter_bits.items() if key != name]
            scope = reduce(lambda acc, bits: acc & bits, others, base)
        facets[name] = snapshot.facet_counts(name, scope)
    return facets


def _hit(snapshot: Snapshot, docnum: int, q: Any, language: str = "") -> SearchHit:
    stored = snapshot.stored_fields(docnum)
    display = stored["display"]
    titles = display.get("title") or {}
    descriptions = {lang: stored.get(f"description_{lang}", "") for lang in languages()}
    default, title_language = text_and_language(titles, language, languages())
    default = default or stored["slug"]
    modified = stored["modified"]
    return SearchHit(
        slug=stored["slug"],
        title=default,
        title_language=title_language,
        snippet=snippet(descriptions, q, language),
        classification=display.get("classification", ""),
        publisher=display.get("publisher", ""),
        publisher_name=display.get("publisher_name", ""),
        themes=list(display.get("themes") or []),
        modified=modified.replace(tzinfo=dt.UTC) if modified.tzinfo is None else modified,
    )


def _validate_query(query: SearchQuery, allowed: tuple[str, ...] = FACET_FIELDS) -> None:
    _check_keys("filters", query.filters, allowed)
    if query.page < 1:
        raise _invalid("page", "must be 1 or more")
    if not 1 <= query.size <= MAX_SIZE:
        raise _invalid("size", f"must be between 1 and {MAX_SIZE}")
    if query.page * query.size > MAX_WINDOW:
        raise _invalid("page", f"page × size may not pass {MAX_WINDOW}; narrow the search")


def _with_codes(parsed: ParsedQuery, snapshot: Snapshot) -> tuple[ParsedQuery, bool]:
    """Facet codes matched regardless of case, and word patterns expanded against the
    dictionary (see :mod:`catalogue.search.patterns`); True when an expansion was cut."""
    budget = Budget.start()
    parsed = dataclasses.replace(
        parsed,
        query=expand(with_facet_codes(parsed.query, snapshot), snapshot, budget),
        any_word=expand(with_facet_codes(parsed.any_word, snapshot), snapshot, budget),
    )
    return parsed, budget.cut


async def _snapshot() -> Snapshot | None:
    await index.sync()
    return current()


async def search(query: SearchQuery, principal: Principal | None) -> SearchResult:
    """One page of matching datasets the principal may see, with facets and suggestion."""
    try:
        return await _search(query, principal)
    except QueryError as error:  # whoosh refuses a query it parsed (e.g. an odd field use)
        raise _invalid("q", f"the query cannot be run: {error}") from None


async def generation() -> int | None:
    """The index as a search now would read it (after applying the changes it has not
    seen): the same number until the next change reaches it, on this process."""
    snapshot = await _snapshot()
    return None if snapshot is None else snapshot.generation


async def _search(query: SearchQuery, principal: Principal | None) -> SearchResult:
    _validate_query(query)
    if query.sort not in SORTS:
        raise _invalid("sort", f"must be one of {', '.join(SORTS)}")
    parsed = parse(query.q)
    snapshot = await _snapshot()
    if snapshot is None:
        return SearchResult([], 0, query.page, query.size, {f: [] for f in FACET_FIELDS})
    # Answered once per snapshot: the same search by the same kind of reader gives the
    # same page until a change reaches the index (the notes are in the interface language).
    key = (
        query.q,
        tuple(sorted((name, tuple(values)) for name, values in query.filters.items())),
        query.sort,
        query.page,
        query.size,
        query.language,
        visibility_key(principal),
        interface_language(),
    )

    async def answer() -> SearchResult:
        return _answer(query, principal, snapshot, parsed)

    return await _answers.get_or_compute(key, answer, version=snapshot.generation)


_answers: VersionedCache[SearchResult] = VersionedCache(max_entries=4096)


def _answer(
    query: SearchQuery, principal: Principal | None, snapshot: Snapshot, parsed: Any
) -> SearchResult:
    parsed, cut = _with_codes(parsed, snapshot)
    visible = visible_bits(snapshot, principal)
    filter_bits = _filter_bits(snapshot, query.filters)
    allowed = reduce(lambda acc, bits: acc & bits, filter_bits.values(), visible)
    q, note = parsed.query, None
    text_bits = matching_bits(snapshot, parsed, q) if q is not None else snapshot.live
    suggestion = suggest(snapshot, parsed, visible) if parsed.words else None
    if q is not None and not text_bits & allowed and suggestion:
        corrected, _cut = _with_codes(parse(suggestion), snapshot)
        if corrected.query is not None:
            fixed = matching_bits(snapshot, corrected, corrected.query)
            if fixed & allowed:  # a misspelling: rank what the corrected words find
                parsed, q, text_bits = corrected, corrected.query, fixed
                note = translate(CORRECTED_NOTE) % {"query": suggestion}
    if q is not None and not text_bits & allowed and parsed.any_word is not None:
        wider = matching_bits(snapshot, parsed, parsed.any_word)
        if wider & allowed:
            q, text_bits = parsed.any_word, wider
            note = translate(ANY_WORD_NOTE)
    if cut:
        note = f"{note} {INCOMPLETE_NOTE}" if note else INCOMPLETE_NOTE
    hits = text_bits & allowed
    k = query.page * query.size
    if query.sort == "relevance" and q is not None:
        top = ranked_top(snapshot, parsed, q, hits, k)
    elif query.sort == "title":
        top = sorted_top(snapshot, hits, [("title", False)], k)
    else:
        top = sorted_top(snapshot, hits, [("modified", True)], k)
    page = top[(query.page - 1) * query.size :]
    return SearchResult(
        items=[_hit(snapshot, docnum, q, query.language) for docnum in page],
        total=hits.bit_count(),
        page=query.page,
        size=query.size,
        facets=_facets(snapshot, text_bits & visible, filter_bits),
        suggestion=suggestion,
        note=note,
    )


def _modified_bits(snapshot: Snapshot, since: dt.datetime) -> int:
    """Documents modified at or after ``since``, by bisecting each segment's date order."""
    bits = 0
    for segment in snapshot.segments:
        values, order = segment.column("modified")
        first = bisect.bisect_left(order, _aware(since), key=values.__getitem__)
        bits |= bits_from_ids(order[first:], segment.size) << segment.offset
    return bits & snapshot.live


async def search_slugs(
    query: SearchQuery,
    principal: Principal | None,
    *,
    sort_fields: list[tuple[str, bool]] | None = None,
    modified_from: dt.datetime | None = None,
    exclude: dict[str, list[str]] | None = None,
    any_of: list[dict[str, list[str]]] | None = None,
    start: int | None = None,
    rows: int | None = None,
) -> tuple[list[str], int, dict[str, list[tuple[str, int]]]]:
    """Slugs of one window of matches, the total, and facet counts (see the module doc)."""
    try:
        return await _search_slugs(
            query, principal, sort_fields, modified_from, exclude, any_of, start, rows
        )
    except QueryError as error:
        raise _invalid("q", f"the query cannot be run: {error}") from None


async def _search_slugs(
    query: SearchQuery,
    principal: Principal | None,
    sort_fields: list[tuple[str, bool]] | None,
    modified_from: dt.datetime | None,
    exclude: dict[str, list[str]] | None,
    any_of: list[dict[str, list[str]]] | None,
    start: int | None,
    rows: int | None,
) -> tuple[list[str], int, dict[str, list[tuple[str, int]]]]:
    allowed_keys = (*FACET_FIELDS, *ID_FIELDS)
    _check_keys("filters", query.filters, allowed_keys)
    _check_keys("exclude", exclude or {}, allowed_keys)
    for number, group in enumerate(any_of or []):
        _check_keys(f"any_of[{number}]", group, allowed_keys)
    sort_fields = sort_fields or [("score", True), ("modified", True)]
    for name, _descending in sort_fields:
        if name != "score" and name not in SORT_COLUMNS:
            raise _invalid("sort", f"cannot sort by '{name}'; use score, {', '.join(SORT_COLUMNS)}")
    offset = (query.page - 1) * query.size if start is None else start
    count = query.size if rows is None else rows
    if offset < 0 or not 0 <= count <= MAX_ROWS:
        raise _invalid("rows", f"start must be 0 or more and rows between 0 and {MAX_ROWS}")
    parsed = parse(query.q)
    snapshot = await _snapshot()
    if snapshot is None:
        return [], 0, {name: [] for name in FACET_FIELDS}
    parsed, _cut = _with_codes(parsed, snapshot)  # CKAN's answer has no place to say so
    base = visible_bits(snapshot, principal)
    if parsed.query is not None:
        base &= matching_bits(snapshot, parsed, parsed.query)
    if modified_from is not None:
        base &= _modified_bits(snapshot, modified_from)
    for name, values in (exclude or {}).items():
        base &= ~_values_bits(snapshot, name, values)
    for group in any_of or []:
        base &= reduce(lambda acc, item: acc | _values_bits(snapshot, *item), group.items(), 0)
    filter_bits = _filter_bits(snapshot, query.filters)
    hits = reduce(lambda acc, bits: acc & bits, filter_bits.values(), base)
    k = offset + count
    if sort_fields[0][0] == "score" and parsed.query is not None:
        top = ranked_top(snapshot, parsed, parsed.query, hits, k)
    else:
        keys = [(n, d) for n, d in sort_fields if n != "score"] or [("modified", True)]
        top = sorted_top(snapshot, hits, keys, k)
    slugs = [snapshot.stored_fields(d)["slug"] for d in top[offset:]]
    return slugs, hits.bit_count(), _facets(snapshot, base, filter_bits)


WARM_WORDS = 40  # the most frequent words of the did-you-mean dictionary


async def warm_up() -> None:
    """Build what a first search would (facet bitsets, sort columns, the postings of the
    commonest words), so the first search after start is as fast as the next."""
    snapshot = await _snapshot()
    if snapshot is None:
        return
    for name in FACET_FIELDS:
        snapshot.facet(name)
    for segment in snapshot.segments:
        for column in ("modified", "title_sort"):
            segment.column(column)
    await search(SearchQuery(q="", size=1), None)
    counts = snapshot.spelling.counts
    for word in heapq.nlargest(WARM_WORDS, counts, key=counts.__getitem__):
        await search(SearchQuery(q=word, size=20), None)
