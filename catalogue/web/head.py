"""``HEAD`` for every ``GET`` route, in one place.

uData sends ``HEAD`` before it harvests an extension-less address, and link checkers do too;
RFC 9110 says a server that answers ``GET`` answers ``HEAD`` the same way without the body.
Litestar routes by method before any middleware runs, so :func:`answer_head` wraps the
application's ASGI handler (after routing would be too late): a ``HEAD`` request is routed
and answered as the ``GET`` it stands for (same status, same headers, ``Content-Length``
and ``ETag`` included), and the body is dropped on its way out. A route with no ``GET``
still answers ``405``.
"""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def answer_head(handler: ASGIApp) -> ASGIApp:
    """``handler`` answering ``HEAD`` as ``GET`` without a body."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await handler(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] == "http.response.body":
                if ended or message.get("more_body", False):
                    return
                ended = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        as_get: Any = {**scope, "method": "GET"}
        await handler(as_get, receive, headers_only)

    return wrapped
