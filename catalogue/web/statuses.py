"""The one table from a domain error to the HTTP status that answers it.

Plain Python on purpose (no Litestar): the JSON error handlers, the CKAN envelope and the
batch endpoint's per-item statuses all read it here.
"""

from __future__ import annotations

from catalogue.errors import (
    BadRequest,
    CatalogueError,
    Conflict,
    Forbidden,
    InvalidDocument,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    TooManyAttempts,
    Unauthorised,
)

STATUS_FOR: dict[type[Exception], int] = {
    InvalidDocument: 422,
    BadRequest: 400,
    Unauthorised: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    PreconditionRequired: 428,
    TooManyAttempts: 429,
    CatalogueError: 400,
}


def status_for(error: Exception) -> int:
    """The status of ``error``'s nearest class in the table (400 for any other error)."""
    for cls in type(error).__mro__:
        if cls in STATUS_FOR:
            return STATUS_FOR[cls]
    return 400
