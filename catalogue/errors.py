"""Domain errors; the web layer maps each one to a status code and a JSON body."""

from __future__ import annotations

from catalogue.domain.problems import InvalidDocument, Problem

__all__ = [
    "BadRequest",
    "CatalogueError",
    "Conflict",
    "Forbidden",
    "InvalidDocument",
    "NotFound",
    "PreconditionFailed",
    "PreconditionRequired",
    "Problem",
    "TooManyAttempts",
    "Unauthorised",
]


class CatalogueError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(CatalogueError):
    """Bad query parameters (as opposed to a bad document, which is a 422)."""

    status_code = 400

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class NotFound(CatalogueError):
    status_code = 404


class Conflict(CatalogueError):
    status_code = 409


class Unauthorised(CatalogueError):
    status_code = 401


class Forbidden(CatalogueError):
    status_code = 403


class PreconditionRequired(CatalogueError):
    status_code = 428


class PreconditionFailed(CatalogueError):
    status_code = 412

    def __init__(self, message: str, current_revision: int) -> None:
        super().__init__(message)
        self.current_revision = current_revision


class TooManyAttempts(CatalogueError):
    """Too many failed sign-ins for one address; ``retry_after`` in seconds."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
