"""The search page's query string and view model: plain Python, no HTTP.

The URL is the whole state (query, filters, sort, page), in one canonical order, so the same
link always gives the same page and every active filter can be removed on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from catalogue.domain.fields import FACETS as REGISTRY_FACETS
from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.i18n import N_, translate
from catalogue.ui.filters import (
    CLASSIFICATION_LABELS,
    STATUS_LABELS,
    concept_label,
    concept_label_and_language,
)

PAGE_SIZE = 20
FACET_VALUES_SHOWN = 30
"""Values a facet lists before "Show all" (a national catalogue has hundreds of publishers)."""
MAX_QUERY_LENGTH = 500
FACETS: dict[str, str] = {facet.name: facet.label for facet in REGISTRY_FACETS}
SORTS: dict[str, str] = {
    "relevance": N_("Best match"),
    "modified": N_("Recently updated"),
    "title": N_("Title (A to Z)"),
}
VOCABULARY_OF_FACET = {
    facet.name: facet.vocabulary for facet in REGISTRY_FACETS if facet.vocabulary
}


@dataclass(frozen=True)
class SearchState:
    """What the visitor asked for, parsed and checked from the query string."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    def pairs(self, **changes: Any) -> list[tuple[str, str]]:
        """The canonical query string pairs (``changes`` override q, sort or page)."""
        q = changes.get("q", self.q)
        filters = changes.get("filters", self.filters)
        sort = changes.get("sort", self.sort)
        page = changes.get("page", self.page)
        pairs: list[tuple[str, str]] = [("q", q)] if q else []
        for key in FACETS:
            pairs.extend((key, value) for value in sorted(filters.get(key, [])))
        if sort != "relevance":
            pairs.append(("sort", sort))
        if page != 1:
            pairs.append(("page", str(page)))
        return pairs

    def url(self, **changes: Any) -> str:
        query = urlencode(self.pairs(**changes))
        return f"/search?{query}" if query else "/search"

    def without(self, key: str, value: str) -> str:
        """The URL with one filter value removed (and back on page 1)."""
        filters = {
            k: [v for v in values if not (k == key and v == value)]
            for k, values in self.filters.items()
        }
        return self.url(filters=filters, page=1)

    def is_active(self, key: str, value: str) -> bool:
        return value in self.filters.get(key, [])


def parse_state(params: Callable[[str], Sequence[str]]) -> SearchState:
    """Read the query string (``params(name)`` gives every value of a name); 4xx on nonsense."""
    problems: list[Problem] = []
    q_values = params("q")
    q = (q_values[0] if q_values else "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        problems.append(Problem("q", f"is longer than {MAX_QUERY_LENGTH} characters", "too_long"))
    sort_values = params("sort")
    sort = sort_values[0] if sort_values and sort_values[0] else "relevance"
    if sort not in SORTS:
        problems.append(Problem("sort", f"must be one of: {', '.join(SORTS)}", "unknown_value"))
    page_values = params("page")
    page = 1
    if page_values and page_values[0]:
        if page_values[0].isdigit() and 1 <= int(page_values[0]) <= 10_000:
            page = int(page_values[0])
        else:
            problems.append(Problem("page", "must be a whole number from 1", "invalid"))
    filters: dict[str, list[str]] = {}
    for key in FACETS:
        values = sorted({value.strip() for value in params(key) if value.strip()})
        if any(len(value) > 200 for value in values):
            problems.append(Problem(key, "has a value longer than 200 characters", "too_long"))
        if values:
            filters[key] = values
    if problems:
        raise InvalidDocument(problems)
    return SearchState(q=q, filters=filters, sort=sort, page=page)


@dataclass(frozen=True)
class Labels:
    """Names for codes that do not live in a SKOS vocabulary (organisations, schemes)."""

    organisations: Mapping[str, str] = field(default_factory=dict)
    identifier_schemes: Mapping[str, str] = field(default_factory=dict)


def facet_value_label(key: str, value: str, labels: Labels, lang: str = "en") -> str:
    """A plain-language label for one facet value (never a raw IRI)."""
    if key == "classification":
        return translate(CLASSIFICATION_LABELS[value]) if value in CLASSIFICATION_LABELS else value
    if key == "status":
        return translate(STATUS_LABELS[value]) if value in STATUS_LABELS else value
    if key == "base_register":
        return translate(N_("Base register") if value == "true" else N_("Not a base register"))
    if key == "publisher":
        return labels.organisations.get(value, value)
    if key == "identifier":
        return labels.identifier_schemes.get(value, value)
    return concept_label(value, VOCABULARY_OF_FACET.get(key, ""), lang)


def _label_language(key: str, value: str, lang: str) -> str | None:
    """The language of a vocabulary label shown in another language than the page's."""
    vocabulary = VOCABULARY_OF_FACET.get(key)
    if not vocabulary:
        return None
    shown = concept_label_and_language(value, vocabulary, lang)[1]
    return shown if shown and shown != lang else None


def facet_groups(
    state: SearchState,
    facets: Mapping[str, Sequence[tuple[str, int]]],
    labels: Labels,
    lang: str = "en",
    expanded: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Facets in a fixed order, each value with its label, count and whether it is selected.

    A selected value with no hits left still shows (count 0), so it can be unticked. A facet
    lists its :data:`FACET_VALUES_SHOWN` largest values (and every selected one) unless it is
    ``expanded``; ``more_url`` shows it whole.
    """
    groups = []
    for key, heading in FACETS.items():
        counts = dict(facets.get(key, []))
        for value in state.filters.get(key, []):
            counts.setdefault(value, 0)
        if not counts:
            continue
        values: list[dict[str, Any]] = [
            {
                "value": value,
                "label": facet_value_label(key, value, labels, lang),
                "label_lang": _label_language(key, value, lang),
                "count": count,
                "selected": state.is_active(key, value),
            }
            for value, count in counts.items()
        ]
        values.sort(key=lambda item: (not item["selected"], -item["count"], item["label"]))
        selected = sum(1 for v in values if v["selected"])
        shown = len(values) if key in expanded else max(FACET_VALUES_SHOWN, selected)
        groups.append(
            {
                "key": key,
                "heading": translate(heading),
                "values": values[:shown],
                "selected": selected,
                "hidden": len(values) - min(shown, len(values)),
                "expanded": key in expanded,
                "more_url": _with_all(state.url(), key) if len(values) > shown else None,
            }
        )
    return groups


def _with_all(url: str, key: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'all': key})}#facet-{key}"


def active_filters(state: SearchState, labels: Labels, lang: str = "en") -> list[dict[str, str]]:
    """Each active filter with its label and the URL that removes just that one."""
    return [
        {
            "key": key,
            "heading": translate(FACETS[key]),
            "label": facet_value_label(key, value, labels, lang),
            "remove_url": state.without(key, value),
        }
        for key in FACETS
        for value in state.filters.get(key, [])
    ]


def pagination(
    page: int, total: int, url_for: Callable[[int], str], size: int = PAGE_SIZE
) -> dict[str, Any]:
    """Previous/next and a window of page numbers around the current page."""
    last = max(1, -(-total // size))
    window = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    pages: list[dict[str, Any]] = []
    previous = 0
    for number in window:
        if number - previous > 1:
            pages.append({"gap": True})
        pages.append({"number": number, "url": url_for(number), "current": number == page})
        previous = number
    return {
        "last": last,
        "pages": pages if last > 1 else [],
        "previous_url": url_for(page - 1) if page > 1 else None,
        "next_url": url_for(page + 1) if page < last else None,
        "first_item": (page - 1) * size + 1 if total else 0,
        "last_item": min(total, page * size),
    }
