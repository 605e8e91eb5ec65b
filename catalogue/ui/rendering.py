"""One way to turn a template into an HTML response, shared by every page of every domain.

``render`` adds what the layout (``ui/templates/base.html``) needs: the signed-in principal,
the CSRF token, the languages, the navigation and the catalogue title. Other domains extend the
layout without editing this module: each declares its navigation links and context processors
(values added to every page: sign-in links, flash messages, ...) as constants, and
:mod:`catalogue.wiring` installs them with :func:`install_layout`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request, Response

from catalogue.accounts.principal import Principal
from catalogue.i18n import catalogues as i18n
from catalogue.i18n.middleware import scope_language
from catalogue.i18n.negotiation import LANGUAGE_COOKIE, LANGUAGE_PARAMETER, choose_language
from catalogue.settings import PROJECT_ROOT
from catalogue.ui import filters
from catalogue.ui.csrf import LazyCsrfToken
from catalogue.web.state import settings_of

TEMPLATES_DIR = PROJECT_ROOT / "ui" / "templates"
STATIC_DIR = PROJECT_ROOT / "ui" / "static"
STATIC_PATH = "/static"

ContextProcessor = Callable[[Request[Any, Any, Any], dict[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation; ``visible`` decides per principal (None = everyone)."""

    href: str
    label: str
    order: int = 50
    visible: Callable[[Principal | None], bool] | None = None
    prefixes: tuple[str, ...] = ()
    """Other path prefixes where this link is the current section (e.g. "/dataset/")."""

    def is_current(self, path: str) -> bool:
        if self.href == "/":
            return path == "/"
        if path == self.href or path.startswith(f"{self.href.rstrip('/')}/"):
            return True
        return any(path.startswith(prefix) for prefix in self.prefixes)


BASE_NAV_ITEMS = (
    NavItem("/", i18n.N_("Home"), 0),
    NavItem("/search", i18n.N_("Datasets"), 10, prefixes=("/dataset/",)),
    NavItem("/organisations", i18n.N_("Organisations"), 20, prefixes=("/organisation/",)),
)
_NAV_ITEMS: list[NavItem] = list(BASE_NAV_ITEMS)
_CONTEXT_PROCESSORS: list[ContextProcessor] = []


def install_layout(items: Sequence[NavItem], processors: Sequence[ContextProcessor]) -> None:
    """Called by :func:`catalogue.wiring.wire`: the navigation beyond the base links, and
    the context processors, in order."""
    _NAV_ITEMS[:] = list(BASE_NAV_ITEMS)
    _CONTEXT_PROCESSORS[:] = []
    for item in items:
        register_nav_item(item)
    for processor in processors:
        register_context_processor(processor)


def register_nav_item(item: NavItem) -> None:
    """Add a main-navigation link (the wiring does; tests add their own)."""
    if all(existing.href != item.href for existing in _NAV_ITEMS):
        _NAV_ITEMS.append(item)
        _NAV_ITEMS.sort(key=lambda nav: nav.order)


def register_context_processor(processor: ContextProcessor) -> None:
    """Add values to every rendered page; the processor sees the request and the context so far."""
    if processor not in _CONTEXT_PROCESSORS:
        _CONTEXT_PROCESSORS.append(processor)


def _build_environment(directory: Path) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(directory)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    filters.install(environment)
    environment.globals["static_url"] = static_url
    return environment


_environment: Environment | None = None


def template_environment() -> Environment:
    """The single Jinja2 environment (also handed to Litestar's template engine in create_app)."""
    global _environment
    if _environment is None:
        _environment = _build_environment(TEMPLATES_DIR)
    return _environment


def static_url(name: str) -> str:
    """The URL of a file in ``ui/static``, with its modification time to bust caches."""
    path = STATIC_DIR / name
    version = int(path.stat().st_mtime) if path.exists() else 0
    return f"{STATIC_PATH}/{name}?v={version}"


def current_language(request: Request[Any, Any, Any]) -> str:
    """``?lang=`` first, then the language cookie, then the browser's Accept-Language, then
    the catalogue's default language (the middleware decided it; this reads its choice)."""
    chosen = scope_language(request.scope)
    if chosen is not None:
        return chosen
    return choose_language(
        i18n.interface_languages(),
        settings_of(request).default_language,
        request.query_params.get(LANGUAGE_PARAMETER),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )


LANGUAGE_NAMES = {"en": "English", "sl": "Slovenščina"}
"""Each language's name in itself (the switcher shows a language in its own words)."""


def language_links(request: Request[Any, Any, Any], current: str) -> list[dict[str, Any]]:
    """The switcher: this page in every interface language (``?lang=`` kept with the rest)."""
    links = []
    for language in i18n.interface_languages():
        query = [(k, v) for k, v in request.query_params.multi_items() if k != LANGUAGE_PARAMETER]
        query.append((LANGUAGE_PARAMETER, language))
        links.append(
            {
                "code": language,
                "name": LANGUAGE_NAMES.get(language, language),
                "href": f"{request.url.path}?{urlencode(query)}",
                "current": language == current,
            }
        )
    return links


def navigation(path: str, principal: Principal | None) -> list[dict[str, Any]]:
    items = []
    for item in _NAV_ITEMS:
        if item.visible is not None and not item.visible(principal):
            continue
        current = item.is_current(path)
        marker = ("page" if path == item.href else "true") if current else None
        items.append(
            {
                "href": item.href,
                "label": i18n.translate(item.label),
                "current": current,
                "aria_current": marker,
            }
        )
    return items


def page_context(request: Request[Any, Any, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    """The values every page gets, overridable by the handler's own context."""
    settings = settings_of(request)
    language = current_language(request)
    principal = context.get("principal")
    if principal is None:
        principal = request.scope.get("state", {}).get("principal")
    merged: dict[str, Any] = {
        "request": request,
        "path": request.url.path,
        "catalogue_title": settings.catalogue_title,
        "lang": language,
        "languages": settings.languages,
        "language_links": language_links(request, language),
        "csrf_token": LazyCsrfToken(request),  # a session cookie only for pages with a form
        "messages": [],
        "json_twin": None,
        "sign_in_url": None,
        "account_links": [],
        **context,
        "principal": principal,
    }
    merged.setdefault("nav", navigation(request.url.path, principal))
    for processor in _CONTEXT_PROCESSORS:
        added = processor(request, merged)
        merged.update({key: value for key, value in added.items() if key not in context})
    return merged


def render_to_string(
    request: Request[Any, Any, Any], template: str, context: Mapping[str, Any]
) -> str:
    with i18n.use_language(current_language(request)):
        values = page_context(request, context)
        return template_environment().get_template(template).render(values)


def render(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """Render ``template`` eagerly (a broken template becomes a logged 500, not a broken page).

    Pass the principal as ``context["principal"]`` (inject it with ``principal: CurrentPrincipal``).
    """
    html = render_to_string(request, template, context)
    response: Response[str] = Response(
        html, status_code=status, media_type=MediaType.HTML, headers=dict(headers or {})
    )
    response.headers.setdefault("Vary", "Accept, Accept-Language, Cookie")
    response.headers.setdefault("Content-Language", current_language(request))
    return response
