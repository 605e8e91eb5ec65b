"""Gzip: answers the handler did not encode itself are compressed here; kept bodies once.

A feed page is 700 KB of Turtle and a dataset page 40 KB of HTML; gzip at level 6 took
10-20 ms of a worker for each feed page and about a millisecond for a kept page or list,
on every request that asked for it, more than everything else such a kept answer costs.
So bodies kept in a cache are kept with their gzip (:class:`OnceGzipped`, made on the
first request that accepts it) and sent with ``Content-Encoding: gzip``; the middleware
(:func:`gzip_answers`) compresses every other answer and leaves encoded ones alone.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any, cast

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

LEVEL = 6
MINIMUM_SIZE = 1024
"""Smaller bodies are sent as they are: gzip's header would eat most of the gain."""


def gzipped_headers(vary: str = "") -> dict[str, str]:
    """The headers of an answer sent gzipped; ``vary``: what else it varies by (``Accept``)."""
    return {
        "Content-Encoding": "gzip",
        "Vary": f"{vary}, Accept-Encoding" if vary else "Accept-Encoding",
    }


def accepts_gzip_header(accept_encoding: str) -> bool:
    """``Accept-Encoding`` names gzip (or ``*``) without ``q=0``."""
    for part in accept_encoding.split(","):
        coding, _, parameters = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            quality = parameters.strip().lower()
            if quality.startswith("q=") and _is_zero(quality.removeprefix("q=")):
                continue
            return True
    return False


def accepts_gzip(request: Request[Any, Any, Any]) -> bool:
    return accepts_gzip_header(request.headers.get("accept-encoding", ""))


def _is_zero(quality: str) -> bool:
    try:
        return float(quality) == 0
    except ValueError:
        return False


def pack(body: bytes) -> bytes:
    """The gzip of ``body``, the same bytes every time (no timestamp in the header)."""
    return gzip.compress(body, LEVEL, mtime=0)


class OnceGzipped:
    """A kept body and, once a client has accepted it, its gzip."""

    __slots__ = ("_packed", "body")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self._packed: bytes | None = None

    def __len__(self) -> int:
        """What it may hold: the body and its gzip (a fifth of the body or less)."""
        return len(self.body) * 6 // 5

    def for_request(
        self, request: Request[Any, Any, Any], vary: str = ""
    ) -> tuple[bytes, dict[str, str]]:
        """The bytes to send this client and the headers that say how they are encoded
        (``vary``: what else the answer varies by)."""
        if len(self.body) < MINIMUM_SIZE or not accepts_gzip(request):
            return self.body, {}
        if self._packed is None:
            self._packed = pack(self.body)
        return self._packed, gzipped_headers(vary)


def gzip_answers(app: ASGIApp) -> ASGIApp:
    """Compress answers of at least :data:`MINIMUM_SIZE` for clients that accept gzip,
    unless the handler already set a ``Content-Encoding``; streamed answers chunk by chunk."""

    async def compressing(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        accept = next((v for k, v in scope["headers"] if k == b"accept-encoding"), b"")
        if not accepts_gzip_header(accept.decode("latin-1")):
            await app(scope, receive, send)
            return
        await app(scope, receive, _Compressor(send).send)

    return compressing


class _Compressor:
    """One answer's ``send``: decides at its first body chunk whether to compress."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._start: Message | None = None
        self._stream: Any = None  # a zlib compressor once compressing
        self._decided = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            return
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        body, more = message.get("body", b""), message.get("more_body", False)
        if not self._decided and self._start is not None:
            self._decided = True
            start, self._start = self._start, None
            headers = MutableScopeHeaders(cast("HTTPResponseStartEvent", start))
            if "content-encoding" in headers or (not more and len(body) < MINIMUM_SIZE):
                await self._send(start)
                await self._send(message)
                return
            headers["Content-Encoding"] = "gzip"
            headers.extend_header_value("vary", "Accept-Encoding")
            if not more:
                body = pack(body)
                headers["Content-Length"] = str(len(body))
                await self._send(start)
                await self._send({**message, "body": body})
                return
            del headers["Content-Length"]
            self._stream = zlib.compressobj(LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            await self._send(start)
        if self._stream is None:
            await self._send(message)
            return
        chunk = self._stream.compress(body)
        if not more:
            chunk += self._stream.flush()
        await self._send({**message, "body": chunk})
