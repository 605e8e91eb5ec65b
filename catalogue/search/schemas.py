"""The shape of ``GET /api/v1/search`` answers, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.web.openapi import Body, Shape


class HitLinks(Body):
    self: str
    html: str


class SearchHitOut(Body):
    slug: str
    title: str
    snippet: str = Field(description="HTML: matched words in <mark>, everything else escaped")
    classification: str
    publisher: str
    publisher_name: str
    themes: list[str]
    modified: str
    links: HitLinks


class FacetCount(Body):
    value: str
    count: int = Field(ge=0)


class SearchResults(Body):
    items: list[SearchHitOut]
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    size: int = Field(ge=1)
    facets: dict[str, list[FacetCount]] = Field(
        description="Per facet field, the counts over the visible matches"
    )
    suggestion: str | None = Field(default=None, description="A corrected query (did you mean)")
    note: str | None = Field(default=None, description="Explains a fallback")


SearchResultsOut = Annotated[dict[str, Any], Shape(SearchResults)]
