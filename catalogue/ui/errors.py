"""HTML error pages for browsers; everyone else keeps the JSON problem responses.

The JSON handlers in ``catalogue.web.errors`` stay the single source of status and wording:
each HTML page is rendered from the JSON body the API handler would have sent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response

from catalogue.i18n import N_, translate
from catalogue.ui.negotiation import wants_html_error
from catalogue.ui.rendering import render

logger = logging.getLogger(__name__)

Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]

EXPLANATIONS = {
    400: N_("The address or the form had something we could not understand."),
    401: N_("You need to sign in to see this page."),
    403: N_("You are signed in, but your account may not see or change this."),
    404: N_("There is no page at this address, or it is not public."),
    405: N_("This page cannot be used that way."),
    500: N_("Something went wrong on our side. It has been logged; please try again later."),
}
TITLES = (
    N_("Error"),
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Conflict"),
    N_("Payload Too Large"),
    N_("URI Too Long"),
    N_("Unprocessable Entity"),
    N_("Too Many Requests"),
    N_("Internal Server Error"),
    N_("Precondition Failed"),
    N_("Not Acceptable"),
    N_("Unsupported Media Type"),
)
"""The titles of HTTP errors the pages show (translated where shown)."""


def _problem(response: Response[Any]) -> dict[str, Any]:
    content = response.content
    if isinstance(content, (bytes, str)):
        try:
            content = json.loads(content)
        except ValueError:
            content = {}
    return content if isinstance(content, dict) else {}


def html_aware(handler: Handler) -> Handler:
    """Wrap a JSON error handler so that browsers get the same error as a readable page."""

    def handle(request: Request[Any, Any, Any], error: Any) -> Response[Any]:
        response = handler(request, error)
        if not wants_html_error(request):
            return response
        problem = _problem(response)
        status = response.status_code or 500
        try:
            page = render(
                request,
                "error.html",
                {
                    "status": status,
                    "title": translate(str(problem.get("title", "Error"))),
                    "detail": translate(str(problem.get("detail", ""))),
                    "explanation": translate(EXPLANATIONS.get(status, "")),
                    "problems": problem.get("problems", []),
                },
                status=status,
            )
        except Exception:  # the error page itself must never turn one error into two
            logger.exception("could not render the HTML error page")
            return response
        for name, value in response.headers.items():
            if name.lower() not in {"content-type", "content-length"}:
                page.headers[name] = value
        return page

    return handle


def html_aware_handlers(handlers: Mapping[Any, Handler]) -> dict[Any, Handler]:
    """The app's exception handlers, each answering browsers with HTML."""
    return {exception: html_aware(handler) for exception, handler in handlers.items()}
