"""Signing in and out of the catalogue in a browser (the API uses bearer tokens instead).

A successful sign-in replaces the whole session (new CSRF token, no fixation); a failed one
says only that the pair did not match, so the form does not reveal who has an account.
Repeated failures for one address are refused for a while (``accounts.signin.authenticate``
counts attempts atomically in the database, shared with the token API and every worker).
The session lives on the server (``accounts.sessions``): signing out ends it for good.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.accounts.sessions import SESSION_TOKEN_KEY, end_session, start_session
from catalogue.accounts.signin import authenticate
from catalogue.errors import TooManyAttempts
from catalogue.i18n import N_, translate
from catalogue.ui.csrf import new_csrf_token
from catalogue.ui.rendering import NavItem, render
from catalogue.web.params import CurrentPrincipal, FromQuery

FLASH_KEY = "flash"


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
        values["account_links"] = [{"href": "/signout", "label": translate(N_("Sign out"))}]
    session = request.scope.get("session")
    if isinstance(session, dict) and session.get(FLASH_KEY):
        values["messages"] = [*context.get("messages", []), *session.pop(FLASH_KEY)]
    return values


CONTEXT_PROCESSORS = (_account_context,)
NAV_ITEMS = (
    NavItem("/dashboard", N_("My datasets"), 40, visible=lambda principal: principal is not None),
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
            request,
            target,
            email,
            translate(N_("Enter your e-mail address and your password.")),
            400,
        )
    try:
        found = await authenticate(email, password)
    except TooManyAttempts as error:
        minutes = error.retry_after // 60 + 1
        return _signin_page(
            request,
            target,
            email,
            translate(
                N_(
                    "Too many attempts to sign in with this address. "
                    "Wait %(minutes)s minutes and try again."
                )
            )
            % {"minutes": minutes},
            429,
        )
    if found is None:
        return _signin_page(
            request,
            target,
            email,
            translate(
                N_("The e-mail address or the password is not right. Check both and try again.")
            ),
            400,
        )
    session = request.scope.get("session")
    if isinstance(session, dict):
        session.clear()
        session[SESSION_TOKEN_KEY] = await start_session(found.user_id)
        new_csrf_token(session)
    flash(request, translate(N_("Signed in as %(name)s.")) % {"name": found.name or found.email})
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
        token = session.get(SESSION_TOKEN_KEY)
        if isinstance(token, str) and token:
            await end_session(token)  # a copy of the cookie no longer signs anyone in
        session.clear()
        new_csrf_token(session)
    flash(request, translate(N_("You have signed out.")))
    return Redirect(path="/", status_code=303)


AUTH_HANDLERS = [signin_form, signin, signout_form, signout]
