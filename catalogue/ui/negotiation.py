"""Who gets HTML and who gets JSON: one rule for every page and every error."""

from __future__ import annotations

from typing import Any

from litestar import Request

HTML = "text/html"
JSON = "application/json"
MACHINE_PREFIXES = ("/api/", "/schema")
FORMAT_IS_A_FILTER = ("/search",)
"""Pages where ``?format=`` filters by file format, so it cannot ask for JSON."""


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """JSON when the Accept header prefers it over HTML, or ``?format=json`` asks for it."""
    path = request.url.path
    if request.query_params.get("format") == "json" and path not in FORMAT_IS_A_FILTER:
        return True
    return request.accept.best_match([HTML, JSON], default=HTML) == JSON


def wants_html_error(request: Request[Any, Any, Any]) -> bool:
    """Browsers (which name text/html explicitly) get an HTML error page, except on the API."""
    path = request.url.path
    if path.startswith(MACHINE_PREFIXES) or path == "/api":
        return False
    if HTML not in request.headers.get("accept", ""):
        return False
    return not wants_json(request)
