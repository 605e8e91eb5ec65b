"""``/api/v1/ropa``: the record of processing activities as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Stream

from catalogue.audit.schemas import RecordOfProcessing
from catalogue.errors import InvalidDocument, Problem
from catalogue.ropa import export, service
from catalogue.web.openapi import errors, text_content, with_content
from catalogue.web.params import CurrentPrincipal, FromQuery, HeaderParameter, QueryParameter
from catalogue.web.state import settings_of

FORMATS = ("json", "csv")


def _format(requested: str | None, accept: str | None) -> str:
    if requested is not None:
        if requested not in FORMATS:
            raise InvalidDocument([Problem("format", f"must be one of {', '.join(FORMATS)}")])
        return requested
    if accept and "text/csv" in accept and "application/json" not in accept:
        return "csv"
    return "json"


class RopaController(Controller):
    path = "/api/v1/ropa"
    tags = ["oversight"]

    @get(
        "/",
        summary="The GDPR Art. 30 record of processing activities, per controller",
        description="Admins and auditors read every controller; stewards and DPOs their own. "
        "CSV with ?format=csv or 'Accept: text/csv'.",
        responses={
            200: ResponseSpec(
                RecordOfProcessing, description="The record", generate_examples=False
            ),
            **errors(401, 403, 422),
        },
        operation_class=with_content({"200": {"text/csv": text_content("One row per activity")}}),
    )
    async def record_of_processing(
        self,
        request: Request[Any, Any, Any],
        principal: CurrentPrincipal,
        controller: FromQuery[str | None] = None,
        fmt: Annotated[str | None, QueryParameter(name="format", required=False)] = None,
        lang: FromQuery[str | None] = None,
        accept: Annotated[str | None, HeaderParameter(name="Accept", required=False)] = None,
    ) -> Response[Any]:
        chosen = _format(fmt, accept)
        settings = settings_of(request)
        languages = settings.languages
        if lang is not None and lang not in languages:
            raise InvalidDocument([Problem("lang", f"must be one of {', '.join(languages)}")])
        controllers = await service.readable_for_download(principal, controller)
        pages = service.record_pages(principal, controllers, lang or settings.default_language)
        if chosen == "csv":
            name = f"ropa-{controller or 'all'}.csv"
            return Stream(
                export.csv_stream(pages),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        head = service.as_document([])
        del head["controllers"], head["total_activities"]
        return Stream(export.json_stream(pages, head), media_type=MediaType.JSON)
