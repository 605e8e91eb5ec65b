"""``/api/v1/datasets``: thin handlers over the dataset service."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, delete, get, patch, post, put
from litestar.datastructures import ResponseHeader
from litestar.openapi.spec import Example
from litestar.params import JSONBody, PathParameter
from litestar.serialization import encode_json

from catalogue.datasets import batch, history, listing, queries, representation, seek, service
from catalogue.datasets.schemas import (
    DatasetAtRevisionOut,
    DatasetBatchBody,
    DatasetBatchOut,
    DatasetBody,
    DatasetHistoryOut,
    DatasetListOut,
    DatasetOut,
    DatasetPatchBody,
    DatasetProblemsOut,
)
from catalogue.domain.dataset import Classification, Status
from catalogue.domain.problems import Problem
from catalogue.errors import BadRequest
from catalogue.ui.page_cache import kept_page
from catalogue.web.conditional import NO_REVISION, IfMatch, expected_revision
from catalogue.web.links import with_dataset_links
from catalogue.web.openapi import errors
from catalogue.web.params import (
    CurrentPrincipal,
    FromQuery,
    QueryParameter,
)

DatasetSlug = Annotated[
    str,
    PathParameter(
        description="The dataset's slug",
        examples=[Example(value="population-by-municipality")],
    ),
]
ETAG = [ResponseHeader(name="ETag", description="The revision", documentation_only=True)]
LOCATION = [
    *ETAG,
    ResponseHeader(name="Location", description="The new dataset", documentation_only=True),
]
WRITE_ERRORS = errors(401, 403, 404, 412, 413, 422, 428)


def _with_etag(
    body: dict[str, Any], record: queries.DatasetRecord, status_code: int = 200
) -> Response[dict[str, Any]]:
    """A dataset's JSON twin with its links and its revision as the ETag."""
    return Response(
        with_dataset_links(body), status_code=status_code, headers={"ETag": record.etag}
    )


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
        responses=errors(400, 401),
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
    ) -> Response[DatasetListOut]:
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

    @post(
        "/",
        summary="Register a dataset (a steward of its publisher, or an admin)",
        responses=errors(401, 403, 409, 413, 422),
        response_headers=LOCATION,
    )
    async def create_dataset(
        self, data: JSONBody[DatasetBody], principal: CurrentPrincipal
    ) -> Response[DatasetOut]:
        record = await service.create_dataset(data, principal)
        response = _with_etag(await representation.represent(record, principal), record, 201)
        response.headers["Location"] = f"/api/v1/datasets/{record.slug}"
        return response

    @post(
        "/batch",
        status_code=207,
        summary="Register or replace many datasets; one result per item (207)",
        responses=errors(401, 413),
    )
    async def write_datasets(
        self, data: JSONBody[DatasetBatchBody], principal: CurrentPrincipal
    ) -> Response[DatasetBatchOut]:
        items, upsert, guards = _batch_request(data)
        outcomes = await batch.write_batch(items, principal, upsert=upsert, expected=guards)
        return Response(batch_body(outcomes), status_code=207)

    @get(
        "/{slug:str}",
        summary="Read one dataset; its ETag is the revision",
        responses=errors(401, 404),
        response_headers=ETAG,
    )
    async def read_dataset(
        self, request: Request[Any, Any, Any], slug: DatasetSlug, principal: CurrentPrincipal
    ) -> Response[DatasetOut]:
        """Kept whole for anonymous readers per catalogue version (``catalogue.ui.page_cache``)."""

        async def answer() -> Response[Any]:
            record = await queries.get_record(slug, principal)
            body = with_dataset_links(await representation.represent(record, principal))
            return Response(
                encode_json(body), media_type=MediaType.JSON, headers={"ETag": record.etag}
            )

        return await kept_page(request, principal, answer)

    @put(
        "/{slug:str}",
        summary="Replace a dataset (needs If-Match)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def replace_dataset(
        self,
        slug: DatasetSlug,
        data: JSONBody[DatasetBody],
        principal: CurrentPrincipal,
        if_match: IfMatch,
    ) -> Response[DatasetOut]:
        record = await service.replace_dataset(slug, data, expected_revision(if_match), principal)
        return _with_etag(await representation.represent(record, principal), record)

    @patch(
        "/{slug:str}",
        summary="Change some fields (JSON Merge Patch; needs If-Match)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def patch_dataset(
        self,
        slug: DatasetSlug,
        data: JSONBody[DatasetPatchBody],
        principal: CurrentPrincipal,
        if_match: IfMatch,
    ) -> Response[DatasetOut]:
        record = await service.patch_dataset(slug, data, expected_revision(if_match), principal)
        return _with_etag(await representation.represent(record, principal), record)

    @delete(
        "/{slug:str}",
        status_code=200,
        summary="Withdraw a dataset (soft delete that keeps history; needs If-Match)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def withdraw_dataset(
        self,
        slug: DatasetSlug,
        principal: CurrentPrincipal,
        if_match: IfMatch,
        reason: FromQuery[str] = "",
    ) -> Response[DatasetOut]:
        record = await service.withdraw_dataset(
            slug, expected_revision(if_match), principal, reason
        )
        return _with_etag(await representation.represent(record, principal), record)

    @get(
        "/{slug:str}/history",
        summary="Every revision: who, when, what changed",
        responses=errors(401, 404),
    )
    async def dataset_history(
        self, slug: DatasetSlug, principal: CurrentPrincipal
    ) -> DatasetHistoryOut:
        return {"slug": slug, "items": await history.history(slug, principal)}

    @get(
        "/{slug:str}/history/{revision:int}",
        summary="The dataset as it was at a revision",
        responses=errors(400, 401, 404),
    )
    async def dataset_at_revision(
        self,
        slug: DatasetSlug,
        revision: Annotated[int, PathParameter(ge=1, le=2_147_483_647)],
        principal: CurrentPrincipal,
    ) -> DatasetAtRevisionOut:
        snapshot = await history.snapshot_at(slug, revision, principal)
        return {"revision": revision, "document": snapshot}

    @get(
        "/{slug:str}/problems",
        summary="What the rules say is missing before publishing",
        responses=errors(401, 404),
    )
    async def dataset_problems(
        self, slug: DatasetSlug, principal: CurrentPrincipal
    ) -> DatasetProblemsOut:
        record = await queries.get_record(slug, principal)
        problems = await service.problems_for(record.document)
        return {
            "slug": slug,
            "classification": record.document.classification.value,
            "publishable": not service.rules.blocking(problems),
            "problems": [problem.as_dict() for problem in problems],
        }


def _batch_request(data: dict[str, Any]) -> tuple[list[Any], bool, list[int | None]]:
    """``{"items": [document | {"document", "if_match"}], "mode": "create" | "upsert"}``."""
    problems = []
    items = data.get("items")
    mode = data.get("mode", "create")
    if not isinstance(items, list) or not 1 <= len(items) <= batch.MAX_ITEMS:
        problems.append(Problem("items", f"must be a list of 1 to {batch.MAX_ITEMS} documents"))
    if mode not in ("create", "upsert"):
        problems.append(Problem("mode", "must be create or upsert"))
    if unknown := sorted(set(data) - {"items", "mode"}):
        problems.append(Problem(unknown[0], "is not a field of a batch request"))
    if problems:
        raise BadRequest("the batch request is not well formed", problems)
    documents: list[Any] = []
    guards: list[int | None] = []
    for item in items:  # type: ignore[union-attr]
        wrapped = isinstance(item, dict) and "document" in item
        documents.append(item["document"] if wrapped else item)
        guard = item.get("if_match") if wrapped else None
        # An item's if_match reads as the header does; one naming nothing matches nothing.
        guards.append(None if guard is None else expected_revision(str(guard)) or NO_REVISION)
    return documents, mode == "upsert", guards


def batch_body(outcomes: list[batch.Outcome]) -> dict[str, Any]:
    """A 207-style body: a summary, then per item its status and either the dataset's
    revision and links or the problems (as the single write's error body has them)."""
    results = []
    for outcome in outcomes:
        result: dict[str, Any] = {
            "index": outcome.index,
            "slug": outcome.slug,
            "status": outcome.status,
            "outcome": outcome.outcome,
        }
        if outcome.record is not None:
            record = outcome.record
            result.update(
                id=str(record.id),
                revision=record.revision,
                etag=record.etag,
                links={
                    "self": f"/api/v1/datasets/{record.slug}",
                    "html": f"/dataset/{record.slug}",
                },
            )
        elif outcome.error is not None:
            result["detail"] = str(
                getattr(outcome.error, "message", "")
                or f"{len(outcome.problems)} problem(s) found; each one names its field"
            )
            result["problems"] = [problem.as_dict() for problem in outcome.problems]
        results.append(result)
    summary = {
        name: sum(1 for o in outcomes if o.outcome == name)
        for name in ("created", "updated", "unchanged", "failed")
    }
    return {"summary": summary, "items": results}
