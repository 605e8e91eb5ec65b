"""``/search``: full-text search with facets; the URL is the whole state, so links can be shared.

The search itself belongs to ``catalogue.search.service`` (imported lazily so the rest of the
UI works while that module is being built); this page only reads the query string and renders.
"""

from __future__ import annotations

import importlib
from typing import Any

from litestar import MediaType, Request, Response, get
from markupsafe import Markup

from catalogue.domain.problems import InvalidDocument
from catalogue.ui import summary
from catalogue.ui.negotiation import wants_json
from catalogue.ui.page_cache import kept_page
from catalogue.ui.rendering import current_language, render
from catalogue.ui.search_view import (
    FACETS,
    PAGE_SIZE,
    SORTS,
    Labels,
    SearchState,
    active_filters,
    facet_groups,
    pagination,
    parse_state,
)
from catalogue.web.params import CurrentPrincipal


def _search_service() -> Any:
    return importlib.import_module("catalogue.search.service")


def _result_as_json(state: SearchState, result: Any) -> dict[str, Any]:
    query = {"q": state.q, "filters": state.filters, "sort": state.sort}
    return {"query": query, **result.as_json()}


@get("/search", include_in_schema=False, name="ui:search")
async def search_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """Results with highlighted matches, facets with counts, removable filters, sort and pages."""
    if wants_json(request):
        return await _search(request, principal)
    # Kept per index snapshot too: a page's results follow the index, not the version.
    generation = await _search_service().generation()
    return await kept_page(request, principal, lambda: _search(request, principal), also=generation)


async def _search(request: Request[Any, Any, Any], principal: Any) -> Response[Any]:
    state = parse_state(lambda name: request.query_params.getall(name, []))
    service = _search_service()
    query = service.SearchQuery(
        q=state.q,
        filters=state.filters,
        sort=state.sort,
        page=state.page,
        size=PAGE_SIZE,
        language=current_language(request),
    )
    json_twin = "/api/v1" + state.url()  # the search API takes the same parameters
    error = None
    try:
        result = await service.search(query, principal)
    except InvalidDocument as problem:
        if wants_json(request):
            raise
        error = "; ".join(p.message for p in problem.problems)
        result = service.SearchResult(
            items=[],
            total=0,
            page=state.page,
            size=PAGE_SIZE,
            facets={},
            suggestion=None,
            note=None,
        )
    if wants_json(request):
        return Response(
            _result_as_json(state, result), media_type=MediaType.JSON, headers={"Vary": "Accept"}
        )
    lang = current_language(request)
    labels = Labels(
        organisations=await summary.organisation_names(),
        identifier_schemes=await summary.identifier_scheme_labels(),
    )
    hits = [
        {
            **vars(hit),
            "snippet": Markup(hit.snippet or ""),
            "modified": hit.modified,
            "title_lang": hit.title_language if hit.title_language != lang else None,
        }
        for hit in result.items
    ]
    context = {
        "principal": principal,
        "state": state,
        "hits": hits,
        "total": result.total,
        "facets": facet_groups(
            state, result.facets, labels, lang, request.query_params.getall("all", [])
        ),
        "active": active_filters(state, labels, lang),
        "sorts": SORTS,
        "facet_keys": list(FACETS),
        "suggestion": result.suggestion,
        "suggestion_url": state.url(q=result.suggestion, page=1) if result.suggestion else None,
        "note": result.note,
        "error": error,
        "paging": pagination(state.page, result.total, lambda number: state.url(page=number)),
        "clear_url": state.url(filters={}, page=1),
        "json_twin": json_twin,
    }
    return render(request, "search.html", context, status=422 if error else 200)
