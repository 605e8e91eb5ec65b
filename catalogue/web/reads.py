"""A read request sees one catalogue version: it is read at most once per GET or HEAD.

The caches of :mod:`catalogue.datasets.versions` each ask the version before answering; a
dataset page asks five of them, and on PostgreSQL each ask is a round trip. Requests that
may write (POST, PUT, PATCH, DELETE) ask afresh every time, so a write is never followed by
a read keyed by the version from before it.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from catalogue.datasets.versions import version_held_lazily

READ_METHODS = frozenset({"GET", "HEAD"})


def one_version_per_read(app: ASGIApp) -> ASGIApp:
    async def held(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in READ_METHODS:
            await app(scope, receive, send)
            return
        with version_held_lazily():
            await app(scope, receive, send)

    return held
