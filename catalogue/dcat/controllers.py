"""``/catalog`` (negotiated), ``/catalog.{ttl,rdf,jsonld,nt}`` and ``POST /api/v1/validate``.

The paths and paging follow ckanext-dcat, so CKAN, data.europa.eu and uData harvesters read
this catalogue without any adaptation. ``/dataset/{slug}.{ext}`` is answered through
:func:`catalogue.dcat.web.dataset_rdf_response` by the dataset page's handler.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Redirect

from catalogue.datasets.service import register_publish_check
from catalogue.dcat import feed, snapshot, validation
from catalogue.dcat.catalog import CatalogInfo, PageInfo, catalog_graph
from catalogue.dcat.schemas import (
    FEED_PARAMETERS,
    FEED_PARAMS,
    NEGOTIATED_RDF_RESPONSES,
    RDF_CONTENT,
    RDF_RESPONSES,
    ValidationReport,
)
from catalogue.dcat.web import (
    FORMATS,
    accepts_html,
    client_gone,
    dataset_context,
    preferred_rdf_format,
    rdf_response,
)
from catalogue.domain.problems import InvalidDocument
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies
from catalogue.web.errors import problem_response
from catalogue.web.limits import LimitExceeded, limits
from catalogue.web.openapi import errors, with_content

CLIENT_GONE = 499  # nginx's "client closed request": nobody reads it, the log shows it


async def _catalog_response(request: Request[Any, Any, Any], fmt: str, path: str,
                            vary: bool) -> Response[Any]:
    raw = {name: request.query_params.get(name) for name in FEED_PARAMS}
    try:
        query = feed.parse_feed_query(raw)
        records, total = await feed.feed_page(query)
    except InvalidDocument as error:
        return problem_response(
            400,
            "; ".join(f"{p.field}: {p.message}" for p in error.problems),
            problems=[p.as_dict() for p in error.problems],
        )
    if await client_gone(request):  # a harvester that gave up: render nothing for it
        return Response(b"", status_code=CLIENT_GONE)
    settings = get_settings()
    current = await snapshot.refresh()
    publisher = current.publishers.get(settings.catalogue_publisher)
    catalog = CatalogInfo(
        base_url=settings.base_url,
        title=settings.catalogue_title,
        description=settings.catalogue_description,
        languages=settings.languages,
        publisher=publisher,
    )
    page = PageInfo(query.page, feed.PAGE_SIZE, total, path, query.params())
    items = [(record.document, dataset_context(record, settings)) for record in records]
    last_modified = await feed.last_change()
    graph = catalog_graph(catalog, items, page, default_vocabularies(), last_modified)
    if await client_gone(request):
        return Response(b"", status_code=CLIENT_GONE)
    return rdf_response(request, graph, fmt, last_modified, vary=vary)


async def validate_within_budget(body: bytes, content_type: str) -> validation.Report:
    """SHACL in a worker thread, so the event loop serves others meanwhile; past the
    validation budget the client gets its 400 (the thread finishes on its own, bounded by
    the size and triple limits)."""
    budget = limits().validation_budget_seconds
    try:
        with anyio.fail_after(budget):
            return await anyio.to_thread.run_sync(
                validation.validate_bytes, body, content_type, abandon_on_cancel=True
            )
    except TimeoutError:
        raise LimitExceeded(
            "(body)", "validation_budget_seconds",
            f"validating the document took longer than {budget:g} s; send fewer datasets",
            kind="time",
        ) from None


class CatalogController(Controller):
    path = "/"
    tags = ["dcat"]

    @get("/catalog", summary="The DCAT-AP catalogue; the format follows the Accept header",
         description="Parameters: page (100 datasets a page), modified_since (ISO 8601), q, "
                     "theme, classification, publisher. Browsers are sent to the home page.",
         responses=NEGOTIATED_RDF_RESPONSES,
         operation_class=with_content({"200": RDF_CONTENT}, parameters=FEED_PARAMETERS,
                                      replace=True))
    async def catalog(self, request: Request[Any, Any, Any]) -> Response[Any]:
        accept = request.headers.get("accept")
        fmt = preferred_rdf_format(accept)
        if fmt is None:
            if accepts_html(accept):
                return Redirect("/", status_code=303, headers={"Vary": "Accept"})
            fmt = "ttl"
        return await _catalog_response(request, fmt, "/catalog", vary=True)

    @get(
        [f"/catalog.{ext}" for ext in FORMATS],
        summary="The DCAT-AP catalogue in Turtle, RDF/XML, JSON-LD or N-Triples",
        description="The media type follows the extension: .ttl Turtle, .rdf RDF/XML, "
        ".jsonld JSON-LD, .nt N-Triples.",
        responses=RDF_RESPONSES,
        operation_class=with_content(
            {"200": RDF_CONTENT}, parameters=FEED_PARAMETERS, replace=True
        ),
    )
    async def catalog_file(self, request: Request[Any, Any, Any]) -> Response[Any]:
        fmt = request.url.path.rsplit(".", 1)[-1]
        return await _catalog_response(request, fmt, request.url.path, vary=False)

    @post(
        "/api/v1/validate",
        status_code=200,
        summary="Validate a DCAT-AP description (Turtle, RDF/XML or JSON-LD) with our shapes",
        responses={
            200: ResponseSpec(ValidationReport, description="The report", generate_examples=False),
            **errors(413, 415),
        },
        operation_class=with_content(request=RDF_CONTENT, request_required=True),
    )
    async def validate(self, request: Request[Any, Any, Any]) -> Response[Any]:
        content_type = request.headers.get("content-type", "text/turtle")
        body = await request.body()
        try:
            report = await validate_within_budget(body, content_type)
        except validation.UnreadableRdf as error:
            status = 415 if error.unsupported_type else 400
            return problem_response(status, str(error), problems=[{
                "field": "(body)", "message": str(error), "code": "unreadable_rdf",
                "severity": "error"}])
        return Response(report.as_dict())


register_publish_check(validation.publish_check)
