"""Resolve the principal: a Bearer token for the API, or the signed-in session for pages."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from catalogue.accounts.principal import Principal
from catalogue.accounts.service import principal_for_session, principal_for_token
from catalogue.accounts.sessions import SESSION_TOKEN_KEY


async def current_principal(request: Request[Any, Any, Any]) -> Principal | None:
    """Anonymous is ``None``; a bad or revoked token is a 401, never silently anonymous."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("use 'Authorization: Bearer <token>'")
        principal = await principal_for_token(token.strip())
        if principal is None:
            raise NotAuthorizedException("the token is unknown or has been revoked")
        return principal
    session = request.scope.get("session") or {}
    kept = session.get(SESSION_TOKEN_KEY) if isinstance(session, dict) else None
    if isinstance(kept, str) and kept:
        return await principal_for_session(kept)  # None once the session has ended
    return None


def require_principal(principal: Principal | None) -> Principal:
    if principal is None:
        raise NotAuthorizedException("sign in or send 'Authorization: Bearer <token>'")
    return principal
