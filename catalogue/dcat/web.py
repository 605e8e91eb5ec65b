"""RDF over HTTP: formats, content negotiation and conditional responses (ETag, 304).

``preferred_rdf_format`` and ``dataset_rdf_response`` are the interface the dataset page
(``/dataset/{slug}``) calls for linked-data clients and for ``/dataset/{slug}.{ext}``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import anyio
from litestar import Request, Response
from rdflib import Graph

from catalogue.datasets.queries import DatasetRecord
from catalogue.datasets.versions import VersionedCache
from catalogue.dcat.namespaces import PREFIXES
from catalogue.domain.problems import InvalidDocument
from catalogue.errors import BadRequest
from catalogue.web.gzip import MINIMUM_SIZE, accepts_gzip, gzipped_headers, pack
from catalogue.web.state import settings_of

# extension -> (rdflib format, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
}
RDF_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/rdf+xml": "rdf",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
}
COMPETING_MEDIA_TYPES = ("text/html", "application/xhtml+xml", "application/json")
EXTENSION_ALIASES: dict[str, str] = {"xml": "rdf", "n3": "ttl"}
"""ckanext-dcat's other extensions: ``.xml`` is RDF/XML, ``.n3`` our Turtle (N3 reads it)."""
ALIAS_MEDIA_TYPES: dict[str, str] = {"xml": "application/rdf+xml", "n3": "text/n3"}


def content_type(media_type: str) -> str:
    """The Content-Type of an RDF body, with ``charset`` once: Litestar adds it to ``text/``
    types itself, the others get it here."""
    return media_type if media_type.startswith("text/") else f"{media_type}; charset=utf-8"


def parse_accept(accept: str | None) -> list[tuple[str, float, int]]:
    """``(media type, q, position)`` for every entry of an Accept header."""
    entries = []
    for position, part in enumerate((accept or "").split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        entries.append((media.lower(), quality, position))
    return entries


def preferred_rdf_format(accept: str | None) -> str | None:
    """ "ttl" | "rdf" | "jsonld" | "nt" when Accept prefers an RDF type over HTML and JSON.

    Wildcards never select RDF: a browser's ``*/*`` gets the page. On equal quality the
    type named first wins.
    """
    best_rdf: tuple[float, int, str] | None = None
    best_other: tuple[float, int] | None = None
    for media, quality, position in parse_accept(accept):
        if quality <= 0:
            continue
        if media in RDF_MEDIA_TYPES:
            if best_rdf is None or (quality, -position) > (best_rdf[0], -best_rdf[1]):
                best_rdf = (quality, position, RDF_MEDIA_TYPES[media])
        elif media in COMPETING_MEDIA_TYPES and (
            best_other is None or (quality, -position) > (best_other[0], -best_other[1])
        ):
            best_other = (quality, position)
    if best_rdf is None:
        return None
    if best_other is not None and (best_other[0], -best_other[1]) > (best_rdf[0], -best_rdf[1]):
        return None
    return best_rdf[2]


def accepts_html(accept: str | None) -> bool:
    """A browser: names text/html (or XHTML) with a quality above zero."""
    return any(
        media in ("text/html", "application/xhtml+xml") and quality > 0
        for media, quality, _ in parse_accept(accept)
    )


async def client_gone(request: Request[Any, Any, Any]) -> bool:
    """True when the client has already closed the connection, asked without waiting: the
    server answers ``http.disconnect`` at once then, and a pending receive is cancelled."""
    with anyio.move_on_after(0):
        message = await request.receive()
        return message.get("type") == "http.disconnect"
    return False


def serialize(graph: Graph, fmt: str) -> bytes:
    rdflib_format, _ = FORMATS[fmt]
    if rdflib_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    else:
        text = graph.serialize(format=rdflib_format)
    return text.encode("utf-8") if isinstance(text, str) else text


def http_date(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone(dt.UTC), usegmt=True)


def _etag_matches(header: str, etag: str) -> bool:
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in wanted or etag in wanted


def _not_modified_since(header: str, last_modified: dt.datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None:
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    if last_modified.tzinfo is None:
        last_modified = last_modified.replace(tzinfo=dt.UTC)
    return last_modified.replace(microsecond=0) <= since


def rdf_response(
    request: Request[Any, Any, Any],
    graph: Graph,
    fmt: str,
    last_modified: dt.datetime | None,
    vary: bool = False,
) -> Response[Any]:
    """The serialised graph (see :func:`rdf_bytes_response`)."""
    return rdf_bytes_response(request, serialize(graph, fmt), fmt, last_modified, vary)


_packed: VersionedCache[bytes] = VersionedCache(max_entries=8192, max_bytes=48 * 2**20)
"""Gzipped RDF answers by ETag (a hash of the bytes, or a feed page's own)."""


def body_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def rdf_bytes_response(
    request: Request[Any, Any, Any],
    body: bytes,
    fmt: str,
    last_modified: dt.datetime | None,
    vary: bool = False,
    etag: str | None = None,
    media_type: str | None = None,
    gzip: bool = True,
) -> Response[Any]:
    """The bytes with ETag (a hash of the bytes) and Last-Modified; 304 when the
    client's copy is current (If-None-Match wins over If-Modified-Since, as RFC 9110 says).
    ``media_type`` overrides the format's (``.n3`` is Turtle sent as ``text/n3``);
    Gzipped once per ETag for the clients that accept it (a feed page is 700 KB of Turtle,
    a ninth of that gzipped), not by the middleware on every request; ``gzip=False`` for
    an answer that is kept, and gzipped, whole."""
    etag = etag or body_etag(body)
    headers = {"ETag": etag}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    if vary:
        headers["Vary"] = "Accept"
    if_none_match = request.headers.get("if-none-match")
    if_modified_since = request.headers.get("if-modified-since")
    if (if_none_match and _etag_matches(if_none_match, etag)) or (
        not if_none_match
        and if_modified_since
        and last_modified is not None
        and _not_modified_since(if_modified_since, last_modified)
    ):
        return Response(content=b"", status_code=304, headers=headers)
    media_type = media_type or FORMATS[fmt][1]
    if gzip and len(body) >= MINIMUM_SIZE and accepts_gzip(request):
        packed = _packed.get(etag, None)
        if packed is None:
            packed = pack(body)
            _packed.put(etag, None, packed)
        headers.update(gzipped_headers(headers.get("Vary", "")))
        body = packed
    return Response(content=body, media_type=content_type(media_type), headers=headers)


def dataset_rdf_response(
    request: Request[Any, Any, Any], record: DatasetRecord, fmt: str
) -> Response[Any]:
    """One dataset as DCAT-AP in ``fmt`` (an extension: ``ttl``, ``rdf``, ``jsonld``, ``nt``,
    or ckanext-dcat's ``xml`` and ``n3``) and the ``?profile=`` asked for, with ETag,
    Last-Modified and 304 support; an unknown profile is a 400 naming ``profile``.

    Synchronous for the page handler's sake; the document is written (or taken from the
    per-revision cache) when the response is sent, with the publisher and related datasets
    as they are then.
    """
    from catalogue.dcat import profiles

    try:
        profile = profiles.parse_profile(request.query_params.get("profile"))
    except InvalidDocument as error:
        raise BadRequest(error.problems[0].message, error.problems) from None
    return _DatasetRdfResponse(request, record, fmt, profile)


class _DatasetRdfResponse(Response[Any]):
    def __init__(
        self, request: Request[Any, Any, Any], record: DatasetRecord, fmt: str, profile: str
    ) -> None:
        canonical = EXTENSION_ALIASES.get(fmt, fmt)
        super().__init__(content=b"", media_type=FORMATS[canonical][1])
        self._request, self._record, self._fmt, self._profile = request, record, fmt, profile

    def to_asgi_response(self, app: Any, request: Request[Any, Any, Any], **options: Any) -> Any:
        return _SendDatasetRdf(self._request, self._record, self._fmt, self._profile, options)


class _SendDatasetRdf:
    """The ASGI side: refresh the snapshot, build the graph, then answer (200 or 304)."""

    def __init__(
        self,
        request: Request[Any, Any, Any],
        record: DatasetRecord,
        fmt: str,
        profile: str,
        options: dict[str, Any],
    ) -> None:
        self.request, self.record, self.fmt, self.options = request, record, fmt, options
        self.profile = profile

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        response = await _dataset_rdf(self.request, self.record, self.fmt, self.profile)
        options = {k: v for k, v in self.options.items() if k not in ("media_type", "status_code")}
        await response.to_asgi_response(None, self.request, **options)(scope, receive, send)


async def dataset_rdf_answer(
    request: Request[Any, Any, Any], record: DatasetRecord, fmt: str
) -> Response[Any]:
    """What :func:`dataset_rdf_response` sends, as a plain response written now and not
    gzipped: for an answer kept whole (``catalogue.ui.page_cache``)."""
    from catalogue.dcat import profiles

    try:
        profile = profiles.parse_profile(request.query_params.get("profile"))
    except InvalidDocument as error:
        raise BadRequest(error.problems[0].message, error.problems) from None
    return await _dataset_rdf(request, record, fmt, profile, gzip=False)


async def _dataset_rdf(
    request: Request[Any, Any, Any],
    record: DatasetRecord,
    fmt: str,
    profile: str,
    gzip: bool = True,
) -> Response[Any]:
    from catalogue.dcat import rendered
    from catalogue.quality.rdf import dataset_measurements

    settings = settings_of(request)
    canonical = EXTENSION_ALIASES.get(fmt, fmt)
    [item] = await rendered.describe([record], settings)
    quality, scored = await dataset_measurements(record, settings.base_url)
    body = rendered.dataset_document(item, canonical, profile, quality, scored)
    return rdf_bytes_response(
        request,
        body,
        canonical,
        record.modified,
        vary=True,
        media_type=ALIAS_MEDIA_TYPES.get(fmt),
        gzip=gzip,
    )
