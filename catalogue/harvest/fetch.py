"""Fetching a source page by page: DCAT feeds (any RDF syntax, hydra paging) and CKAN's
Action API (``package_search``), within limits (time, bytes and triples per page, pages).

Each page is read, parsed and handed on before the next is asked for, so memory stays flat
with the number of pages. Anything that stops the walk part way (an HTTP error, a timeout,
a page over a limit, RDF that does not parse, a paging loop) raises :class:`HarvestFailed`:
the job then archives nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
from rdflib import Graph, URIRef

from catalogue.dcat.namespaces import HYDRA, RDF
from catalogue.dcat.rdf_input import DeclarationsRefused, _BoundedStore, refuse_xml_declarations
from catalogue.limits import LimitExceeded

ACCEPT = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
    "application/n-triples;q=0.8, text/n3;q=0.5, */*;q=0.1"
)
MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/n3": "n3",
    "text/rdf+n3": "n3",
}
EXTENSIONS = {
    ".ttl": "turtle",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
    ".n3": "n3",
}
CKAN_ROWS = 100
PAGED = (HYDRA.PagedCollection, HYDRA.PartialCollectionView)


class HarvestFailed(Exception):
    """The walk over the source stopped part way; nothing may be archived."""


@dataclass(frozen=True)
class FetchLimits:
    timeout_seconds: float = 30.0  # per page, the whole request (a trickling server too)
    max_page_bytes: int = 20 * 1024 * 1024
    max_page_triples: int = 500_000
    max_pages: int = 10_000


@dataclass
class Page:
    url: str
    graph: Graph | None = None  # DCAT read in this process
    records: list[Any] | None = None  # DCAT as ``read`` gave it (a worker's mapped records)
    packages: list[dict[str, Any]] | None = None  # CKAN
    digest: str = ""  # sha256 of the body
    next_url: str | None = None
    skipped: bool = False  # the same bytes as a page stored before: not parsed
    body: bytes | None = None  # a skipped page's bytes, should it be read after all
    media: str = ""


SkipCheck = Callable[[str], Awaitable[tuple[bool, str | None]]]
"""Given a page body's digest: (skip it, the next page's URL as stored with it)."""
Read = Callable[[bytes, str, str], Awaitable[tuple[list[Any], str | None]]]
"""Given a page's body, rdflib format and URL: (its records, the next page's URL)."""


async def get(
    client: httpx.AsyncClient, url: str, limits: FetchLimits, accept: str = ACCEPT
) -> tuple[bytes, str]:
    """The body and media type of ``url``; :class:`HarvestFailed` on any error or limit."""
    try:
        async with asyncio.timeout(limits.timeout_seconds):
            async with client.stream("GET", url, headers={"Accept": accept}) as response:
                if response.status_code >= 400:
                    raise HarvestFailed(f"{url} answered HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_page_bytes:
                    raise HarvestFailed(_too_large(url, limits))
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limits.max_page_bytes:
                        raise HarvestFailed(_too_large(url, limits))
                    chunks.append(chunk)
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return b"".join(chunks), media
    except TimeoutError:
        raise HarvestFailed(f"{url} did not answer within {limits.timeout_seconds:g} s") from None
    except httpx.HTTPError as error:
        raise HarvestFailed(f"{url} could not be read: {error}") from None


def _too_large(url: str, limits: FetchLimits) -> str:
    return f"{url} is larger than the page limit of {limits.max_page_bytes} bytes"


def rdf_format(media_type: str, name: str, body: bytes) -> str:
    """The rdflib parser for a document: by media type, else by extension, else by a look."""
    extension = PurePosixPath(urlsplit(name).path).suffix.lower()
    fmt = MEDIA_TYPES.get(media_type)
    if fmt and not (
        media_type in ("text/plain", "application/octet-stream") and extension in EXTENSIONS
    ):
        return fmt
    if fmt := EXTENSIONS.get(extension):
        return fmt
    start = body[:200].lstrip()
    if start.startswith((b"<?xml", b"<rdf")):
        return "xml"
    if start.startswith((b"{", b"[")):
        return "json-ld"
    return "turtle"


def parse_rdf(body: bytes, fmt: str, maximum: int, where: str) -> Graph:
    """A graph of at most ``maximum`` triples (RDF/XML without DOCTYPE); HarvestFailed else."""
    try:
        if fmt == "xml":
            refuse_xml_declarations(body)
        graph = Graph(store=_BoundedStore(maximum))
        return graph.parse(data=body, format=fmt)
    except LimitExceeded:
        raise HarvestFailed(f"{where} has more than {maximum} triples") from None
    except DeclarationsRefused as error:
        raise HarvestFailed(f"{where}: {error}") from None
    except Exception as error:  # rdflib raises many kinds for bad syntax
        raise HarvestFailed(f"{where} is not valid RDF ({fmt}): {error}"[:1000]) from None


def next_page(graph: Graph, current: str) -> str | None:
    """``hydra:next`` (or ``hydra:nextPage``) of the page's collection or view."""
    for predicate in (HYDRA.next, HYDRA.nextPage):
        for subject, target in graph.subject_objects(predicate):
            types = set(graph.objects(subject, RDF.type))
            if not types or any(URIRef(t) in types for t in PAGED):
                return urljoin(current, str(target))
    return None


async def dcat_pages(
    client: httpx.AsyncClient,
    url: str,
    limits: FetchLimits,
    skip: SkipCheck | None = None,
    read: Read | None = None,
) -> AsyncIterator[Page]:
    """Every page of a DCAT feed, following hydra paging; a loop is an error. A page that
    ``skip`` recognises (by its digest) is not parsed. With ``read`` each page comes as its
    records (``read`` parses and maps it, elsewhere), else as its graph."""
    seen_urls: set[str] = set()
    seen_bodies: set[str] = set()
    current: str | None = url
    while current is not None:
        if current in seen_urls:
            raise HarvestFailed(f"paging loop: {current} was already read in this harvest")
        if len(seen_urls) >= limits.max_pages:
            raise HarvestFailed(f"more than {limits.max_pages} pages")
        seen_urls.add(current)
        body, media = await get(client, current, limits)
        digest = hashlib.sha256(body).hexdigest()
        if digest in seen_bodies:
            raise HarvestFailed(f"paging loop: {current} repeats an earlier page")
        seen_bodies.add(digest)
        if skip is not None:
            known, stored_next = await skip(digest)
            if known:
                yield Page(url=current, digest=digest, skipped=True, body=body, media=media)
                current = stored_next or None
                continue
        fmt = rdf_format(media, current, body)
        if read is not None:
            records, following = await read(body, fmt, current)
            del body
            yield Page(url=current, records=records, digest=digest, next_url=following)
            current = following
            continue
        graph = await asyncio.to_thread(parse_rdf, body, fmt, limits.max_page_triples, current)
        del body
        following = next_page(graph, current)
        yield Page(url=current, graph=graph, digest=digest, next_url=following)
        current = following


def ckan_search_url(url: str) -> str:
    """The ``package_search`` action of a CKAN site given by its root or its API address."""
    trimmed = url.split("?")[0].rstrip("/")
    if trimmed.endswith("/package_search"):
        return trimmed
    for tail in ("/api/3/action", "/api/action", "/api/3", "/api"):
        if trimmed.endswith(tail):
            trimmed = trimmed[: -len(tail)]
            break
    return f"{trimmed}/api/3/action/package_search"


async def ckan_pages(
    client: httpx.AsyncClient, url: str, limits: FetchLimits, modified_since: str | None = None
) -> AsyncIterator[Page]:
    """``package_search`` page by page (``rows``, ``start``, ``sort=id asc``); with
    ``modified_since`` only packages changed since then (``metadata_modified``)."""
    endpoint = ckan_search_url(url)
    start, pages = 0, 0
    while True:
        params: dict[str, Any] = {"rows": CKAN_ROWS, "start": start, "sort": "id asc"}
        if modified_since:
            params["fq"] = f"metadata_modified:[{modified_since} TO *]"
        page_url = f"{endpoint}?{urlencode(params)}"
        pages += 1
        if pages > limits.max_pages:
            raise HarvestFailed(f"more than {limits.max_pages} pages")
        body, _ = await get(client, page_url, limits, accept="application/json")
        try:
            answer = json.loads(body)
            result = answer["result"]
            packages = list(result["results"])
            count = int(result.get("count", 0))
        except (ValueError, KeyError, TypeError):
            raise HarvestFailed(f"{page_url} is not a CKAN package_search answer") from None
        if not answer.get("success", True):
            raise HarvestFailed(f"{page_url} answered an error: {answer.get('error')}")
        yield Page(url=page_url, packages=[p for p in packages if isinstance(p, dict)])
        start += len(packages)
        if not packages or start >= count:
            return
