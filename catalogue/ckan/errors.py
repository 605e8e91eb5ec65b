"""CKAN's typed action errors: what ``ckanapi`` turns back into NotFound, ValidationError ..."""

from __future__ import annotations

from typing import Any


class CkanError(Exception):
    """An action failed; ``error_body`` is the ``error`` member of CKAN's envelope."""

    status_code = 400
    type_name = "Bad Request"
    prefix = "Bad request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error_body(self) -> dict[str, Any]:
        text = f"{self.prefix} - {self.message}" if self.message else self.prefix
        return {"__type": self.type_name, "message": text}


class BadRequest(CkanError):
    """Unknown action, unreadable body: CKAN's ``_finish_bad_request``."""


class NotFoundError(CkanError):
    status_code = 404
    type_name = "Not Found Error"
    prefix = "Not found"

    def error_body(self) -> dict[str, Any]:
        text = f"{self.prefix}: {self.message}" if self.message else self.prefix
        return {"__type": self.type_name, "message": text}


class AuthorizationError(NotFoundError):
    status_code = 403
    type_name = "Authorization Error"
    prefix = "Access denied"


class SearchQueryError(NotFoundError):
    """A ``q``, ``fq`` or ``sort`` we cannot parse (Solr's syntax errors in CKAN)."""

    status_code = 409
    type_name = "Search Query Error"
    prefix = "Search Query is invalid"


class ValidationError(CkanError):
    """Bad parameters: CKAN names each field with a list of messages, beside ``__type``."""

    status_code = 409
    type_name = "Validation Error"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items()))
        self.fields = fields

    def error_body(self) -> dict[str, Any]:
        return {"__type": self.type_name, **self.fields}

    @classmethod
    def one(cls, field: str, message: str) -> ValidationError:
        return cls({field: [message]})
