"""``/catalog`` (negotiated), ``/catalog.{ttl,rdf,jsonld,nt}`` and ``POST /api/v1/validate``.

The paths and paging follow ckanext-dcat, so CKAN, data.europa.eu and uData harvesters read
this catalogue without any adaptation. ``/dataset/{slug}.{ext}`` is answered through
:func:`catalogue.dcat.web.dataset_rdf_response` by the dataset page's handler.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Redirect

from catalogue.datasets.versions import VersionedCache, current_version
from catalogue.dcat import feed, rendered, snapshot, validation
from catalogue.dcat.catalog import CatalogInfo, PageInfo
from catalogue.dcat.schemas import (
    FEED_CONTENT,
    FEED_PARAMETERS,
    FEED_PARAMS,
    NEGOTIATED_RDF_RESPONSES,
    RDF_CONTENT,
    RDF_RESPONSES,
    ValidationReport,
)
from catalogue.dcat.web import (
    ALIAS_MEDIA_TYPES,
    EXTENSION_ALIASES,
    FORMATS,
    accepts_html,
    body_etag,
    client_gone,
    preferred_rdf_format,
    rdf_bytes_response,
)
from catalogue.domain.problems import InvalidDocument
from catalogue.limits import LimitExceeded, limits
from catalogue.settings import get_settings
from catalogue.web.errors import problem_response
from catalogue.web.openapi import errors, with_content

CLIENT_GONE = 499  # nginx's "client closed request": nobody reads it, the log shows it
# Whole feed pages per catalogue version (a harvest reads each page once; others repeat).
_pages: VersionedCache[tuple[bytes, str, dt.datetime | None]] = VersionedCache(
    max_entries=4096, max_bytes=128 * 2**20
)


async def _feed_document(
    query: feed.FeedQuery, fmt: str, path: str
) -> tuple[bytes, str, dt.datetime | None]:
    """The page's bytes, their ETag and Last-Modified."""
    page_of = await feed.feed_page(query)
    settings = get_settings()
    current = await snapshot.refresh()
    catalog = CatalogInfo.from_settings(settings, current.publishers, await feed.first_issued())
    page = PageInfo(
        query.page,
        feed.PAGE_SIZE,
        page_of.total,
        path,
        query.params(),
        after=query.after.token() if query.after else None,
        next_after=page_of.next_after,
    )
    items = await rendered.describe_rows(page_of.rows, settings)
    last_modified = await feed.last_change()
    body = rendered.feed_document(catalog, items, page, last_modified, fmt, query.profile)
    return body, body_etag(body), last_modified


async def _catalog_response(
    request: Request[Any, Any, Any], fmt: str, path: str, vary: bool, media_type: str | None = None
) -> Response[Any]:
    raw = {name: request.query_params.get(name) for name in FEED_PARAMS}
    try:
        query = feed.parse_feed_query(raw)
        version = await current_version()
        key = (query, fmt, path)  # the query holds the profile, fq and sort too
        found = _pages.get(key, version)
        if found is None:
            if await client_gone(request):  # a harvester that gave up: render nothing for it
                return Response(b"", status_code=CLIENT_GONE)
            found = await _feed_document(query, fmt, path)
            _pages.put(key, version, found, size=len(found[0]))
    except InvalidDocument as error:
        return problem_response(
            400,
            "; ".join(f"{p.field}: {p.message}" for p in error.problems),
            problems=[p.as_dict() for p in error.problems],
        )
    if await client_gone(request):  # a harvester that gave up: send nothing
        return Response(b"", status_code=CLIENT_GONE)
    body, etag, last_modified = found
    return rdf_bytes_response(
        request,
        body,
        fmt,
        last_modified,
        vary=vary,
        etag=etag,
        media_type=media_type,
    )


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
            "(body)",
            "validation_budget_seconds",
            f"validating the document took longer than {budget:g} s; send fewer datasets",
            kind="time",
        ) from None


class CatalogController(Controller):
    path = "/"
    tags = ["dcat"]

    @get(
        "/catalog",
        summary="The DCAT-AP catalogue; the format follows the Accept header",
        description="Parameters: after (the position hydra:next gives), page (100 datasets a "
        "page, oldest first), modified_since (ISO 8601), q, "
        "theme, classification, publisher. Browsers are sent to the home page.",
        responses=NEGOTIATED_RDF_RESPONSES,
        operation_class=with_content(
            {"200": RDF_CONTENT}, parameters=FEED_PARAMETERS, replace=True
        ),
    )
    async def catalog(self, request: Request[Any, Any, Any]) -> Response[Any]:
        accept = request.headers.get("accept")
        fmt = preferred_rdf_format(accept)
        if fmt is None:
            if accepts_html(accept):
                return Redirect("/", status_code=303, headers={"Vary": "Accept"})
            fmt = "ttl"
        return await _catalog_response(request, fmt, "/catalog", vary=True)

    @get(
        [f"/catalog.{ext}" for ext in (*FORMATS, *EXTENSION_ALIASES)],
        summary="The DCAT-AP catalogue in Turtle, RDF/XML, JSON-LD or N-Triples",
        description="The media type follows the extension: .ttl Turtle, .rdf RDF/XML, "
        ".jsonld JSON-LD, .nt N-Triples; ckanext-dcat's .xml (RDF/XML) and .n3 (Turtle, "
        "sent as text/n3) too. profile=dcat_ap_2 gives DCAT-AP 2.1.1 (default dcat_ap_3).",
        responses=RDF_RESPONSES,
        operation_class=with_content(
            {"200": FEED_CONTENT}, parameters=FEED_PARAMETERS, replace=True
        ),
    )
    async def catalog_file(self, request: Request[Any, Any, Any]) -> Response[Any]:
        extension = request.url.path.rsplit(".", 1)[-1]
        fmt = EXTENSION_ALIASES.get(extension, extension)
        return await _catalog_response(
            request, fmt, request.url.path, vary=False, media_type=ALIAS_MEDIA_TYPES.get(extension)
        )

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
            return problem_response(
                status,
                str(error),
                problems=[
                    {
                        "field": "(body)",
                        "message": str(error),
                        "code": "unreadable_rdf",
                        "severity": "error",
                    }
                ],
            )
        return Response(report.as_dict())
