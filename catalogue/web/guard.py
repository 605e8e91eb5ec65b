"""Two outermost middlewares: the request limits, and the slow-request log.

:func:`limits_middleware` checks, before any handler or other middleware reads anything:
the path (no control characters), the query string's length and parameter count, every
integer path parameter against :attr:`Limits.max_int`, and the body: its size against the
route's limit (413, counted as it arrives, so a lying ``Content-Length`` does not help) and,
for JSON, its nesting depth (a parser would recurse once per level). The body is read once
and handed on unchanged.

:func:`slow_request_log` logs every request slower than :attr:`Limits.slow_request_seconds`
on ``catalogue.web.slow`` with its method, route, path parameters and query string (never its
body or headers, which may hold personal data or credentials).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from catalogue.limits import LimitExceeded, Limits, check_json_depth, limits

slow_logger = logging.getLogger("catalogue.web.slow")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# C0 controls but tab and new lines, and DEL: never text we store or search for (PostgreSQL
# refuses NUL outright, SQLite would store it), so refused wherever a request carries text.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NOT_JSON = (
    "text/turtle",
    "text/n3",
    "text/xml",
    "application/x-turtle",
    "application/rdf+xml",
    "application/xml",
    "application/n-triples",
    "application/x-www-form-urlencoded",
    "multipart/",
)  # anything else starting with { or [ is read as JSON (CKAN does)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def check_target(scope: Scope, limit: Limits) -> None:
    """The path and the query string, before routing reads them."""
    path = scope.get("path", "")
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        raise LimitExceeded(
            "(path)", "control_characters", "the address may not contain control characters"
        )
    query = scope.get("query_string", b"")
    if CONTROL_BYTES.search(unquote_to_bytes(query.replace(b"+", b" "))):
        raise LimitExceeded(
            "(query)", "control_characters", "the query string may not contain control characters"
        )
    if len(query) > limit.max_query_string_bytes:
        raise LimitExceeded(
            "(query)",
            "max_query_string_bytes",
            f"the query string is {len(query)} bytes; at most "
            f"{limit.max_query_string_bytes} are read",
            kind="query_string",
        )
    if query.count(b"&") + 1 > limit.max_query_parameters:
        count = len(parse_qsl(query.decode("latin-1"), keep_blank_values=True))
        if count > limit.max_query_parameters:
            raise LimitExceeded(
                "(query)",
                "max_query_parameters",
                f"{count} query parameters; at most {limit.max_query_parameters} are read",
            )


def check_path_integers(scope: Scope, limit: Limits) -> None:
    """Integers in the path (``/history/{revision}``) fit the database's integer column."""
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, int) and not 0 <= value <= limit.max_int:
            raise LimitExceeded(
                name, "max_int", f"must be a whole number between 0 and {limit.max_int}"
            )


def _looks_like_json(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        return True
    return not content_type.startswith(NOT_JSON) and body.lstrip()[:1] in (b"{", b"[")


async def read_body(scope: Scope, receive: Receive, maximum: int) -> bytes:
    """The whole body, refused as soon as it passes ``maximum`` bytes."""
    declared = _header(scope, b"content-length")
    if declared.isdigit() and int(declared) > maximum:
        raise _too_large(int(declared), maximum)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > maximum:
            raise _too_large(size, maximum)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _check_text(body: bytes, found: re.Match[bytes] | None) -> None:
    """A form body holds no control character (tab and new lines are fine)."""
    if found is not None:
        raise LimitExceeded(
            "(body)",
            "control_characters",
            "the body may not contain control characters (tab and new lines are fine)",
        )


def _too_large(size: int, maximum: int) -> LimitExceeded:
    return LimitExceeded(
        "(body)",
        "max_body_bytes",
        f"the body has {size} bytes or more; at most {maximum} are accepted here",
        kind="body",
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> ReceiveMessage:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as ASGI says

    return replay


def limits_middleware(app: ASGIApp) -> ASGIApp:
    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = limits()
        check_target(scope, limit)
        check_path_integers(scope, limit)
        if scope.get("method", "GET") in BODY_METHODS:
            body = await read_body(scope, receive, limit.body_limit(scope.get("path", "")))
            content_type = _header(scope, b"content-type").lower()
            if body and _looks_like_json(content_type, body):
                check_json_depth(body)  # its texts are checked field by field (422s)
            elif body and content_type.startswith("application/x-www-form-urlencoded"):
                _check_text(body, CONTROL_BYTES.search(unquote_to_bytes(body.replace(b"+", b" "))))
            receive = _replay(body, receive)
        await app(scope, receive, send)

    return guarded


def slow_request_log(app: ASGIApp) -> ASGIApp:
    async def timed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status: dict[str, Any] = {}

        async def remember_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await app(scope, receive, remember_status)
        finally:
            elapsed = time.perf_counter() - started
            if elapsed > limits().slow_request_seconds:
                log_slow(scope, elapsed, status.get("code"))

    return timed


def log_slow(scope: Scope, elapsed: float, status: int | None) -> None:
    handler = scope.get("route_handler")
    route = getattr(handler, "paths", None)
    query = scope.get("query_string", b"")[:1024].decode("latin-1")
    slow_logger.warning(
        "slow request: %.2f s %s %s (route %s, path parameters %s, query %r) -> %s",
        elapsed,
        scope.get("method"),
        scope.get("path"),
        ",".join(sorted(route)) if route else "?",
        dict(scope.get("path_params") or {}),
        query,
        status,
        extra={
            "elapsed": elapsed,
            "route": ",".join(sorted(route)) if route else None,
            "query": query,
            "status": status,
        },
    )
