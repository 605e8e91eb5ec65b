"""Browser sessions and CSRF protection for the pages stewards sign in to.

The session is an encrypted cookie (Litestar's client-side backend, AES-GCM keyed from
``secret_key``), HttpOnly, SameSite=Lax, and Secure when the catalogue is served over https.
It carries a random session id that the server looks up on each request
(:mod:`catalogue.accounts.sessions`), so signing out ends it even for a copied cookie.

The CSRF token is a random value kept in that session and echoed by every form (hidden field
``_csrf_token``) or by scripts (header ``X-CSRF-Token``). It is made when a page first
writes a form (:class:`LazyCsrfToken`): pages without one set no cookie. Requests that carry an
``Authorization`` header are exempt: browsers never add that header on their own, so a
token-authenticated API call cannot be forged by another site.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from litestar import MediaType, Request, Response
from litestar.enums import RequestEncodingType, ScopeType
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.types import ASGIApp, Receive, Scope, Send

from catalogue.accounts.sessions import SESSION_LIFETIME, SESSION_TOKEN_KEY
from catalogue.settings import Settings

SESSION_COOKIE = "catalogue_session"
SESSION_MAX_AGE = int(SESSION_LIFETIME.total_seconds())
CSRF_SESSION_KEY = "csrf"
CSRF_FORM_FIELD = "_csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
NO_SESSION_PREFIXES = ("/static/", "/healthz", "/schema", "/swagger")


def session_secret(secret_key: str) -> bytes:
    """AES-GCM needs exactly 16, 24 or 32 bytes; any operator secret hashes to 32."""
    return hashlib.sha256(f"catalogue-session:{secret_key}".encode()).digest()


def session_config(settings: Settings) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=session_secret(settings.secret_key),
        key=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
        exclude=[f"^{prefix}" for prefix in NO_SESSION_PREFIXES],
    )


def new_csrf_token(session: dict[str, Any]) -> str:
    """Start a fresh token (on sign-in and sign-out, so a token never outlives its session)."""
    token = secrets.token_urlsafe(32)
    session[CSRF_SESSION_KEY] = token
    return token


def tokens_match(sent: str | None, expected: str | None) -> bool:
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def needs_check(method: str, path: str, headers: Any, session: dict[str, Any]) -> bool:
    """Which requests must prove they come from our own pages."""
    if method in SAFE_METHODS:
        return False
    if headers.get("authorization"):
        return False  # token-authenticated: not something a browser sends by itself
    if path.startswith("/api/"):
        # The JSON API without a token acts for the signed-in browser session (if any);
        # anonymous calls get their 401 from the service instead.
        return bool(session.get(SESSION_TOKEN_KEY))
    return True


def _rejection(path: str) -> Response[Any]:
    if path.startswith("/api/"):
        return Response(
            {
                "status": 403,
                "title": "Not allowed",
                "detail": "CSRF token missing or wrong: send the X-CSRF-Token header "
                "or use 'Authorization: Bearer <token>'",
            },
            status_code=403,
            media_type=MediaType.JSON,
        )
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>The form has expired</title></head><body><main>"
        "<h1>The form has expired</h1>"
        "<p>For your safety we could not accept this form: it was opened in an earlier "
        "session or on another site. Go back, reload the page and send it again.</p>"
        "<p><a href='/'>Home page</a></p></main></body></html>"
    )
    return Response(html, status_code=403, media_type=MediaType.HTML)


class CSRFMiddleware:
    """Check unsafe requests against the session's token; expose the token to templates."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"].startswith(NO_SESSION_PREFIXES):
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope, receive)
        session = scope.get("session")
        if not isinstance(session, dict):
            session = {}
            scope["session"] = session
        if needs_check(request.method, scope["path"], request.headers, session):
            sent = request.headers.get(CSRF_HEADER)
            content_type, _ = request.content_type
            if not sent and content_type in {
                RequestEncodingType.URL_ENCODED,
                RequestEncodingType.MULTI_PART,
            }:
                form = await request.form()  # cached in the scope for the handler
                value = form.get(CSRF_FORM_FIELD)
                sent = value if isinstance(value, str) else None
            if not tokens_match(sent, session.get(CSRF_SESSION_KEY)):
                await _rejection(scope["path"]).to_asgi_response(app=None, request=request)(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)


def ui_middleware(settings: Settings) -> list[Any]:
    """Session first (outermost), then CSRF, which reads the session."""
    return [session_config(settings).middleware, DefineMiddleware(CSRFMiddleware)]


def session_csrf_token(request: Request[Any, Any, Any], create: bool = True) -> str:
    """The session's token, started when a page first needs one (a form): pages without a
    form set no cookie, so crawlers, harvesters and first visits get none. ``create=False``:
    only a token the session already holds ("" otherwise)."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or request.scope["path"].startswith(NO_SESSION_PREFIXES):
        return ""
    token = session.get(CSRF_SESSION_KEY)
    if isinstance(token, str) and token:
        return token
    return new_csrf_token(session) if create else ""


class LazyCsrfToken:
    """The token as a template value: made when the template writes it, not before."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self._request = request

    def __str__(self) -> str:
        return session_csrf_token(self._request)

    __html__ = __str__
