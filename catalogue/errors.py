"""Domain errors: each class says what went wrong, never how HTTP answers it.

``catalogue.web.statuses`` (the one place) maps each to a status code; ``catalogue.web.errors``
turns it into a JSON body, the CLI into a message.
"""

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
    """A request the catalogue cannot carry out as asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(CatalogueError):
    """Bad parameters (as opposed to a bad document: :class:`InvalidDocument`)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class NotFound(CatalogueError):
    """No such thing, or not one the caller may see."""


class Conflict(CatalogueError):
    """It clashes with what exists (a slug taken, a state that does not allow it)."""


class Unauthorised(CatalogueError):
    """Who is asking is unknown: sign in, or send a token."""


class Forbidden(CatalogueError):
    """Known, but not allowed to do this."""


class PreconditionRequired(CatalogueError):
    """A change must name the revision it was made on (so nobody overwrites unseen work)."""


class PreconditionFailed(CatalogueError):
    """The revision the change was made on is no longer the current one."""

    def __init__(self, message: str, current_revision: int) -> None:
        super().__init__(message)
        self.current_revision = current_revision


class TooManyAttempts(CatalogueError):
    """Too many failed sign-ins for one address; ``retry_after`` in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
