"""Every error as JSON naming the problem (and each bad field), never a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from catalogue.errors import (
    BadRequest,
    CatalogueError,
    InvalidDocument,
    PreconditionFailed,
    TooManyAttempts,
)
from catalogue.limits import LimitExceeded
from catalogue.web.statuses import status_for

logger = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Sign-in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Changed since you read it",
    413: "Too large",
    414: "Address too long",
    415: "Unsupported media type",
    422: "The data has problems",
    428: "If-Match required",
    429: "Too many requests",
    500: "Server error",
}


def problem_response(status: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    return Response(
        {"status": status, "title": TITLES.get(status, "Error"), "detail": detail, **extra},
        status_code=status,
        media_type=MediaType.JSON,
    )


def invalid_document(_: Request[Any, Any, Any], error: InvalidDocument) -> Response[Any]:
    return problem_response(
        status_for(error),
        f"{len(error.problems)} problem(s) found; each one names its field",
        problems=[problem.as_dict() for problem in error.problems],
    )


def catalogue_error(_: Request[Any, Any, Any], error: CatalogueError) -> Response[Any]:
    extra: dict[str, Any] = {}
    if isinstance(error, PreconditionFailed):
        extra["current_revision"] = error.current_revision
    if isinstance(error, BadRequest) and error.problems:
        extra["problems"] = [problem.as_dict() for problem in error.problems]
    response = problem_response(status_for(error), error.message, **extra)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def validation_error(_: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    problems = []
    for item in error.extra or []:
        if isinstance(item, dict):
            problems.append(
                {
                    "field": str(item.get("key") or item.get("source") or "(request)"),
                    "message": str(item.get("message", "is not valid")),
                    "code": "invalid",
                    "severity": "error",
                }
            )
    return problem_response(400, str(error.detail), problems=problems)


LIMIT_STATUS = {"body": 413, "query_string": 414}


def limit_exceeded(_: Request[Any, Any, Any], error: LimitExceeded) -> Response[Any]:
    """A request over one of the limits in ``catalogue.limits``: 413, 414 or 400."""
    problem = {
        "field": error.field,
        "message": error.message,
        "code": "limit_exceeded",
        "severity": "error",
        "limit": error.limit,
    }
    return problem_response(
        LIMIT_STATUS.get(error.kind, 400),
        f"{error.field}: {error.message}",
        limit=error.limit,
        problems=[problem],
    )


def static_not_found(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """A missing static file, without the server's directory in the message."""
    return problem_response(404, "there is no such file under /static/")


def http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    response = problem_response(error.status_code, str(error.detail))
    if error.headers:
        response.headers.update(error.headers)
    return response


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(
        HTTP_500_INTERNAL_SERVER_ERROR, "something went wrong on our side; it has been logged"
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    InvalidDocument: invalid_document,
    LimitExceeded: limit_exceeded,
    CatalogueError: catalogue_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
