"""``/api/v1/datasets``: thin handlers over the dataset service."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put

from catalogue.datasets import listing, queries, seek, service
from catalogue.domain.dataset import Classification, Status
from catalogue.domain.problems import Problem
from catalogue.errors import BadRequest
from catalogue.web.params import (
    CurrentPrincipal,
    FromPath,
    FromQuery,
    HeaderParameter,
    JsonObject,
    QueryParameter,
)

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]


def _with_etag(
    body: dict[str, Any], record: queries.DatasetRecord, status_code: int = 200
) -> Response[dict[str, Any]]:
    return Response(body, status_code=status_code, headers={"ETag": record.etag})


def _check_filter(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        message = f"must be one of {', '.join(allowed)}"
        raise BadRequest(f"{name} {message}", [Problem(name, message)])


class DatasetController(Controller):
    path = "/api/v1/datasets"
    tags = ["datasets"]

    @get(
        "/",
        summary="List datasets you may see, newest change first (or oldest first by "
        "order=created); page by page or by the cursor of next_cursor",
    )
    async def list_datasets(
        self,
        request: Request[Any, Any, Any],
        principal: CurrentPrincipal,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        size: Annotated[int, QueryParameter(ge=1, le=queries.MAX_PAGE_SIZE)] = 20,
        classification: FromQuery[str | None] = None,
        publisher: FromQuery[str | None] = None,
        theme: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        order: Annotated[str, QueryParameter(description="modified | created")] = "modified",
        cursor: FromQuery[str | None] = None,
    ) -> Response[Any]:
        _check_filter("classification", classification, tuple(c.value for c in Classification))
        _check_filter("status", status, tuple(s.value for s in Status))
        _check_filter("order", order, tuple(seek.SEEK_ORDERS))
        after = seek.Cursor.parse(cursor) if cursor else None
        if after is not None and after.order != order:
            order = after.order  # a cursor carries the order of the walk it came from
        filters = queries.DatasetFilter(
            classification=classification, publisher=publisher, theme=theme, status=status
        )
        return await listing.list_response(
            request, principal, filters, listing.Window(page, size, order, after)
        )

    @post("/", summary="Register a dataset (a steward of its publisher, or an admin)")
    async def create_dataset(
        self, data: JsonObject, principal: CurrentPrincipal
    ) -> Response[dict[str, Any]]:
        record = await service.create_dataset(data, principal)
        response = _with_etag(service.represent(record, principal), record, 201)
        response.headers["Location"] = f"/api/v1/datasets/{record.slug}"
        return response

    @get("/{slug:str}", summary="Read one dataset; its ETag is the revision")
    async def read_dataset(self, slug: FromPath[str], principal: CurrentPrincipal) -> Response[Any]:
        record = await queries.get_record(slug, principal)
        return _with_etag(service.represent(record, principal), record)

    @put("/{slug:str}", summary="Replace a dataset (needs If-Match)")
    async def replace_dataset(
        self, slug: FromPath[str], data: JsonObject, principal: CurrentPrincipal, if_match: IfMatch
    ) -> Response[Any]:
        record = await service.replace_dataset(slug, data, if_match, principal)
        return _with_etag(service.represent(record, principal), record)

    @patch("/{slug:str}", summary="Change some fields (JSON Merge Patch; needs If-Match)")
    async def patch_dataset(
        self, slug: FromPath[str], data: JsonObject, principal: CurrentPrincipal, if_match: IfMatch
    ) -> Response[Any]:
        record = await service.patch_dataset(slug, data, if_match, principal)
        return _with_etag(service.represent(record, principal), record)

    @delete(
        "/{slug:str}",
        status_code=200,
        summary="Withdraw a dataset (soft delete that keeps history; needs If-Match)",
    )
    async def withdraw_dataset(
        self,
        slug: FromPath[str],
        principal: CurrentPrincipal,
        if_match: IfMatch,
        reason: FromQuery[str] = "",
    ) -> Response[Any]:
        record = await service.withdraw_dataset(slug, if_match, principal, reason)
        return _with_etag(service.represent(record, principal), record)

    @get("/{slug:str}/history", summary="Every revision: who, when, what changed")
    async def dataset_history(
        self, slug: FromPath[str], principal: CurrentPrincipal
    ) -> dict[str, Any]:
        return {"slug": slug, "items": await queries.history(slug, principal)}

    @get("/{slug:str}/history/{revision:int}", summary="The dataset as it was at a revision")
    async def dataset_at_revision(
        self, slug: FromPath[str], revision: FromPath[int], principal: CurrentPrincipal
    ) -> dict[str, Any]:
        snapshot = await queries.snapshot_at(slug, revision, principal)
        record = await queries.get_record(slug, principal)
        if principal is None or not principal.can_see_unpublished_of(record.publisher):
            snapshot.pop("internal_note", None)
        return {"revision": revision, "document": snapshot}

    @get("/{slug:str}/problems", summary="What the rules say is missing before publishing")
    async def dataset_problems(
        self, slug: FromPath[str], principal: CurrentPrincipal
    ) -> dict[str, Any]:
        record = await queries.get_record(slug, principal)
        problems = await service.problems_for(record.document)
        return {
            "slug": slug,
            "classification": record.document.classification.value,
            "publishable": not service.rules.blocking(problems),
            "problems": [problem.as_dict() for problem in problems],
        }
