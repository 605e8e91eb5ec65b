"""``GET /api/v1/search``: a thin handler over :func:`catalogue.search.service.search`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.enums import ParamType
from litestar.openapi.spec import OpenAPIType, Operation, Parameter, Schema
from litestar.serialization import encode_json

from catalogue.domain.fields import FACETS
from catalogue.errors import BadRequest, InvalidDocument
from catalogue.search.outbox import search_lifespan
from catalogue.search.schema import FACET_FIELDS
from catalogue.search.schemas import SearchResultsOut
from catalogue.search.service import MAX_SIZE, SORTS, SearchQuery, generation, search
from catalogue.ui.page_cache import kept_page
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


@dataclass
class FacetFilters(Operation):
    """The search operation in OpenAPI, with one query parameter per registry facet (read by
    ``_filters``, so a facet added to the registry is documented without code here)."""

    def __post_init__(self) -> None:
        known = {getattr(parameter, "name", None) for parameter in self.parameters or []}
        self.parameters = [
            *(self.parameters or []),
            *(
                Parameter(
                    name=facet.name,
                    param_in=ParamType.QUERY,
                    required=False,
                    description=f"{facet.label}: one or more values (repeat or comma-separate)",
                    schema=Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING)),
                )
                for facet in FACETS
                if facet.name not in known
            ),
        ]


class SearchController(Controller):
    path = "/api/v1/search"
    tags = ["search"]

    @get(
        "/",
        summary="Search datasets: full text, facets, highlights and did-you-mean",
        description=(
            'Words must all match (falling back to any word, with a note); "phrases", '
            "-word to exclude, field:value. Filters: " + ", ".join(FACET_FIELDS) + " "
            "(repeat a parameter for OR; different parameters AND)."
        ),
        responses=errors(401),
        operation_class=FacetFilters,
    )
    async def search_datasets(
        self,
        request: Request[Any, Any, Any],
        principal: CurrentPrincipal,
        q: FromQuery[str] = "",
        sort: Annotated[str, QueryParameter(description=" | ".join(SORTS))] = "relevance",
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        size: Annotated[int, QueryParameter(ge=1, le=MAX_SIZE)] = 20,
    ) -> Response[SearchResultsOut]:
        """Anonymous answers are kept whole per index snapshot (``catalogue.ui.page_cache``)."""
        query = SearchQuery(q=q, filters=_filters(request), sort=sort, page=page, size=size)

        async def answer() -> Response[Any]:
            try:
                result = await search(query, principal)
            except InvalidDocument as error:
                detail = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
                raise BadRequest(detail, error.problems) from None
            return Response(encode_json(result.as_json()), media_type=MediaType.JSON)

        return await kept_page(request, principal, answer, also=await generation())
