"""Signing in and out of the catalogue in a browser (the API uses bearer tokens instead).

A successful sign-in replaces the whole session (new CSRF token, no fixation); a failed one
says only that the pair did not match, so the form does not reveal who has an account.
Repeated failures for one address are slowed down by a small in-process limiter.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.accounts.service import authenticate
from catalogue.ui.csrf import new_csrf_token
from catalogue.ui.rendering import NavItem, register_context_processor, register_nav_item, render
from catalogue.web.auth import SESSION_USER_KEY
from catalogue.web.params import CurrentPrincipal, FromQuery

FLASH_KEY = "flash"
MAX_FAILURES = 10
FAILURE_WINDOW_SECONDS = 15 * 60


class FailureLimiter:
    """At most ``limit`` failed sign-ins per address per window (per process: a speed bump)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.limit

    def failed(self, key: str) -> None:
        self._recent(key).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


limiter = FailureLimiter()


def safe_next(target: str | None, default: str = "/dashboard") -> str:
    """Only paths on this site: never ``//evil.example`` or an absolute URL."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def flash(request: Request[Any, Any, Any], text: str, kind: str = "success") -> None:
    """A message shown once, on the next page rendered for this browser."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[FLASH_KEY] = [*session.get(FLASH_KEY, []), {"kind": kind, "text": text}]


def _account_context(request: Request[Any, Any, Any], context: dict[str, Any]) -> dict[str, Any]:
    """Sign-in link for visitors; dashboard and sign-out for signed-in users; flash messages."""
    values: dict[str, Any] = {}
    principal: Principal | None = context.get("principal")
    if principal is None:
        here = request.url.path
        if here not in {"/signin", "/signout"}:
            values["sign_in_url"] = "/signin?next=" + quote(
                here + (f"?{request.url.query}" if request.url.query else ""), safe="/"
            )
        else:
            values["sign_in_url"] = "/signin"
    else:
        values["account_links"] = [{"href": "/signout", "label": "Sign out"}]
    session = request.scope.get("session")
    if isinstance(session, dict) and session.get(FLASH_KEY):
        values["messages"] = [*context.get("messages", []), *session.pop(FLASH_KEY)]
    return values


register_context_processor(_account_context)
register_nav_item(
    NavItem("/dashboard", "My datasets", 40, visible=lambda principal: principal is not None)
)


def _signin_page(
    request: Request[Any, Any, Any],
    next_url: str,
    email: str = "",
    error: str = "",
    status: int = 200,
) -> Response[str]:
    return render(
        request,
        "auth/signin.html",
        {"principal": None, "next": next_url, "email": email, "error": error},
        status=status,
    )


@get("/signin", include_in_schema=False)
async def signin_form(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    next: FromQuery[str | None] = None,
) -> Response[Any]:
    target = safe_next(next)
    if principal is not None:
        return Redirect(path=target, status_code=303)
    return _signin_page(request, target)


@post("/signin", include_in_schema=False, status_code=303)
async def signin(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    email = str(form.get("email") or "").strip()
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    if not email or not password:
        return _signin_page(
            request, target, email, "Enter your e-mail address and your password.", 400
        )
    key = email.lower()
    if limiter.blocked(key):
        return _signin_page(
            request,
            target,
            email,
            "Too many attempts to sign in with this address. Wait 15 minutes and try again.",
            429,
        )
    found = await authenticate(email, password)
    if found is None:
        limiter.failed(key)
        return _signin_page(
            request,
            target,
            email,
            "The e-mail address or the password is not right. Check both and try again.",
            400,
        )
    limiter.succeeded(key)
    session = request.scope.get("session")
    if isinstance(session, dict):
        session.clear()
        session[SESSION_USER_KEY] = found.user_id
        new_csrf_token(session)
    flash(request, f"Signed in as {found.name or found.email}.")
    return Redirect(path=target, status_code=303)


@get("/signout", include_in_schema=False)
async def signout_form(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """A confirmation with a button: signing out changes state, so it is a POST."""
    if principal is None:
        return Redirect(path="/", status_code=303)
    return render(request, "auth/signout.html", {"principal": principal})


@post("/signout", include_in_schema=False, status_code=303)
async def signout(request: Request[Any, Any, Any]) -> Response[Any]:
    session = request.scope.get("session")
    if isinstance(session, dict):
        session.clear()
        new_csrf_token(session)
    flash(request, "You have signed out.")
    return Redirect(path="/", status_code=303)


AUTH_HANDLERS = [signin_form, signin, signout_form, signout]
