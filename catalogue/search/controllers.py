"""``GET /api/v1/search``: a thin handler over :func:`catalogue.search.service.search`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from litestar import Controller, Request, get

from catalogue.errors import BadRequest, InvalidDocument
from catalogue.search.outbox import search_lifespan
from catalogue.search.schema import FACET_FIELDS
from catalogue.search.schemas import SearchResultsOut
from catalogue.search.service import MAX_SIZE, SORTS, SearchQuery, search
from catalogue.web.openapi import errors
from catalogue.web.params import CurrentPrincipal, FromQuery, QueryParameter

__all__ = ["SearchController", "search_lifespan"]


def _filters(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    """Repeated parameters (``?theme=ECON&theme=AGRI``) and comma lists both mean OR."""
    filters: dict[str, list[str]] = {}
    for name in FACET_FIELDS:
        values = [
            part.strip()
            for value in request.query_params.getall(name, [])
            for part in value.split(",")
            if part.strip()
        ]
        if values:
            filters[name] = values
    return filters


class SearchController(Controller):
    path = "/api/v1/search"
    tags = ["search"]

    @get(
        "/",
        summary="Search datasets: full text, facets, highlights and did-you-mean",
        description=(
            "Words must all match (falling back to any word, with a note); \"phrases\", "
            "-word to exclude, field:value. Filters: " + ", ".join(FACET_FIELDS) + " "
            "(repeat a parameter for OR; different parameters AND)."
        ),
        responses=errors(401),
    )
    async def search_datasets(
        self,
        request: Request[Any, Any, Any],
        principal: CurrentPrincipal,
        q: FromQuery[str] = "",
        sort: Annotated[str, QueryParameter(description=" | ".join(SORTS))] = "relevance",
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        size: Annotated[int, QueryParameter(ge=1, le=MAX_SIZE)] = 20,
        classification: FromQuery[list[str] | None] = None,
        theme: FromQuery[list[str] | None] = None,
        publisher: FromQuery[list[str] | None] = None,
        format: FromQuery[list[str] | None] = None,
        licence: FromQuery[list[str] | None] = None,
        identifier: FromQuery[list[str] | None] = None,
        base_register: FromQuery[list[str] | None] = None,
        hvd: FromQuery[list[str] | None] = None,
        status: FromQuery[list[str] | None] = None,
        language: FromQuery[list[str] | None] = None,
    ) -> SearchResultsOut:
        query = SearchQuery(q=q, filters=_filters(request), sort=sort, page=page, size=size)
        try:
            result = await search(query, principal)
        except InvalidDocument as error:
            detail = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
            raise BadRequest(detail, error.problems) from None
        body = asdict(result)
        for item in body["items"]:
            item["modified"] = item["modified"].isoformat()
            item["links"] = {
                "self": f"/api/v1/datasets/{item['slug']}",
                "html": f"/dataset/{item['slug']}",
            }
        body["facets"] = {
            name: [{"value": value, "count": count} for value, count in counts]
            for name, counts in result.facets.items()
        }
        return body
