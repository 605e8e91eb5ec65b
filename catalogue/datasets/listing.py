"""``GET /api/v1/datasets`` bodies: a page by number or by cursor, the total, the next link.

Anonymous readers all see the same thing, so their bodies are kept per catalogue version
(:mod:`catalogue.datasets.versions`): a repeated list costs one read of the version. Signed-in
readers get theirs computed (the counts are still shared per visibility).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import MediaType, Request, Response

from catalogue.accounts.principal import Principal
from catalogue.datasets import queries, representation, seek
from catalogue.datasets.versions import VersionedCache, current_version
from catalogue.web.gzip import OnceGzipped
from catalogue.web.links import with_dataset_links

_bodies: VersionedCache[OnceGzipped] = VersionedCache(
    max_entries=2048, max_bytes=64 * 2**20, size_of=len
)


@dataclass(frozen=True)
class Window:
    """Which part of the list: a page number, or the rows after a cursor, in an order."""

    page: int
    size: int
    order: str = "modified"
    after: seek.Cursor | None = None


def _next_link(filters: queries.DatasetFilter, window: Window, token: str) -> str:
    params = [
        (name, value)
        for name, value in (
            ("classification", filters.classification),
            ("publisher", filters.publisher),
            ("theme", filters.theme),
            ("status", filters.status),
        )
        if value
    ]
    params += [("size", str(window.size)), ("order", window.order), ("cursor", token)]
    return f"/api/v1/datasets?{urlencode(params)}"


async def list_body(
    principal: Principal | None, filters: queries.DatasetFilter, window: Window
) -> dict[str, Any]:
    total = await queries.count_records(principal, filters)
    offset = 0 if window.after else (window.page - 1) * window.size
    rows, following = await seek.seek_records(
        principal, filters, window.size, window.after, window.order, offset=offset
    )
    token = following.token() if following else None
    return {
        "items": [
            with_dataset_links(body)
            for body in await representation.represent_many(
                queries.records_from_rows(rows), principal
            )
        ],
        "total": total,
        "page": None if window.after else window.page,
        "size": window.size,
        "order": window.order,
        "next_cursor": token,
        "links": {"next": _next_link(filters, window, token) if token else None},
    }


async def list_response(
    request: Request[Any, Any, Any],
    principal: Principal | None,
    filters: queries.DatasetFilter,
    window: Window,
) -> Response[Any]:
    if principal is not None:
        return Response(await list_body(principal, filters, window))
    key = (filters, window)
    version = await current_version()
    body = _bodies.get(key, version)
    if body is None:
        body = OnceGzipped(msgspec.json.encode(await list_body(None, filters, window)))
        _bodies.put(key, version, body)
    content, encoding = body.for_request(request)
    return Response(content, media_type=MediaType.JSON, headers=encoding)
