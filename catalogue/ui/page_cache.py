"""Public pages kept rendered for anonymous visitors, per catalogue version and day.

A dataset, organisation, search or transparency page reads a dozen tables and renders a
large template: 10-15 ms of a worker's time at 100,000 datasets, while most of its readers
are anonymous visitors and crawlers who all get the same bytes until something on it
changes. So the HTML an anonymous visitor gets is kept, keyed by the address and the
interface language (and the application's settings), and used while these stay the same:

- the catalogue read version (:mod:`catalogue.datasets.versions`), which every table such a
  page shows moves: datasets, themes, organisations, agreements, services' uses of
  datasets, identifier schemes and harvest provenance;
- what else the page shows: a dataset page its quality score, an organisation page its
  datasets' (link checks rescore datasets without touching them), a search page the index
  snapshot it was read from (the index applies a change a few milliseconds after the
  version moves);
- the day (agreements lapse at their end date; ``catalogue.agreements.expiry``).

Signed-in users, bearer tokens, a session holding a message to show, other methods than
GET and HEAD, answers other than 200 and pages holding the visitor's CSRF token (a form) are
never kept or served from here. A kept page is kept with its gzip (:mod:`catalogue.web.gzip`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from litestar import MediaType, Request, Response

from catalogue.datasets.versions import VersionedCache, current_version
from catalogue.ui.csrf import CSRF_SESSION_KEY, session_csrf_token
from catalogue.ui.rendering import current_language
from catalogue.web.gzip import OnceGzipped
from catalogue.web.state import settings_of

PAGE_CACHE_BYTES = 64 * 1024 * 1024
"""Per worker: about 1,500 dataset pages."""

_pages: VersionedCache[tuple[OnceGzipped, str, dict[str, str]]] = VersionedCache(
    max_entries=20_000, max_bytes=PAGE_CACHE_BYTES, size_of=lambda page: len(page[0])
)


def is_anonymous_read(request: Request[Any, Any, Any], principal: Any) -> bool:
    """Whether this request gets what every anonymous visitor gets."""
    if principal is not None or request.method not in {"GET", "HEAD"}:
        return False
    if request.headers.get("authorization"):
        return False
    # Every browser gets its CSRF token in its session; anything more (a sign-in, a flash
    # message) is this browser's own.
    session = request.scope.get("session") or {}
    return isinstance(session, dict) and set(session) <= {CSRF_SESSION_KEY}


async def kept_page(
    request: Request[Any, Any, Any],
    principal: Any,
    build: Callable[[], Awaitable[Response[Any]]],
    also: Hashable = None,
    variant: Hashable = None,
) -> Response[Any]:
    """``build()``'s response (HTML, or JSON bytes such as CKAN's), computed once per key
    and freshness for anonymous visitors (concurrent misses wait for one rendering), and
    afresh for everyone else.
    ``also``: what else the page follows (a search page: the index snapshot; a dataset
    page: when its quality was scored); ``variant``: which of the address's answers this is
    (a page's JSON twin, asked for by ``Accept``)."""
    if not is_anonymous_read(request, principal):
        return await build()
    key = (
        request.url.path,
        request.scope.get("query_string", b""),
        current_language(request),
        settings_of(request),  # the title, base URL, languages... of this application
        variant,
    )
    freshness = (await current_version(), dt.datetime.now(dt.UTC).date(), also)
    uncached: list[Response[Any]] = []

    async def render() -> tuple[OnceGzipped, str, dict[str, str]]:
        response = await build()
        content = response.content
        content = content.encode() if isinstance(content, str) else content
        token = session_csrf_token(request, create=False)  # made if the page has a form
        if (
            (response.status_code or 200) != 200  # None: the GET route's default, 200
            or not isinstance(content, bytes)
            or (token and token.encode() in content)
        ):
            uncached.append(response)  # not what every visitor gets (a form has their token)
            raise _NotKept
        media_type: str = response.media_type or MediaType.HTML
        return OnceGzipped(content), media_type, dict(response.headers)

    try:
        kept, media_type, headers = await _pages.get_or_compute(key, render, version=freshness)
    except _NotKept:
        if uncached:
            return uncached[0]
        return await build()  # a concurrent request's answer was not kept: build our own
    body, encoding = kept.for_request(request, vary=headers.get("Vary", ""))
    return Response(body, media_type=media_type, headers={**headers, **encoding})


class _NotKept(Exception):
    """The page's answer is not one every visitor gets (a 404, a redirect, a stream)."""


def clear() -> None:
    """Forget every kept page (tests)."""
    _pages.clear()
