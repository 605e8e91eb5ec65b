"""Set the interface language for each request, and remember a chosen one in a cookie.

A page opened with ``?lang=sl`` (the switcher's links, or a shared link) is shown in
Slovenian and sets the ``lang`` cookie, so the next pages stay Slovenian without the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from catalogue.i18n.catalogues import _default_language, interface_languages, set_language
from catalogue.i18n.negotiation import LANGUAGE_COOKIE, LANGUAGE_PARAMETER, choose_language

COOKIE_MAX_AGE = 365 * 24 * 3600
LANGUAGE_SCOPE_KEY = "catalogue_language"


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


def request_language(scope: Scope) -> tuple[str, str | None]:
    """The request's language, and the ``?lang=`` value when it asked for one we have."""
    available = interface_languages()
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(LANGUAGE_PARAMETER)
    asked = query[-1] if query and query[-1] in available else None
    cookies = SimpleCookie()
    try:
        cookies.load(_header(scope, b"cookie"))
    except Exception:  # a malformed cookie header is ignored, never a 500
        cookies = SimpleCookie()
    cookie = cookies[LANGUAGE_COOKIE].value if LANGUAGE_COOKIE in cookies else None
    language = choose_language(
        available, _default_language(), asked, cookie, _header(scope, b"accept-language")
    )
    remember = asked if asked and asked != cookie else None
    return language, remember


def language_middleware(app: ASGIApp) -> ASGIApp:
    async def with_language(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        await _with_language(app, scope, receive, send)

    return with_language


async def _with_language(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    language, remember = request_language(scope)
    scope.setdefault("state", {})[LANGUAGE_SCOPE_KEY] = language
    set_language(language)
    if remember is None:
        await app(scope, receive, send)
        return

    async def send_with_cookie(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            headers.add(
                "set-cookie",
                f"{LANGUAGE_COOKIE}={remember}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax",
            )
        await send(message)

    await app(scope, receive, send_with_cookie)


def scope_language(scope: Mapping[str, Any]) -> str | None:
    value = scope.get("state", {}).get(LANGUAGE_SCOPE_KEY)
    return value if isinstance(value, str) else None
