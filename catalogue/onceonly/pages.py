"""The once-only pages and their JSON twins, and the embeddable sign-in notice.

``/x`` renders HTML and ``/x.json`` returns the same view as JSON, like the transparency pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get

from catalogue.i18n import N_
from catalogue.onceonly import picture, rdf, services, views
from catalogue.ui.rendering import (
    NavItem,
    current_language,
    render,
    render_to_string,
)
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery

NAV_ITEMS = (
    NavItem(
        "/once-only",
        N_("Once only"),
        45,
        prefixes=("/register/", "/identifier/", "/registers", "/service/"),
    ),
)

Req = Request[Any, Any, Any]


def _page(
    request: Req, principal: Any, template: str, view: dict[str, Any], twin: str
) -> Response[Any]:
    if request.url.path.endswith(".json"):
        return Response(view, media_type=MediaType.JSON)
    return render(request, template, {**view, "json_twin": twin, "principal": principal})


@get(["/once-only", "/once-only.json"], include_in_schema=False, name="onceonly:map")
async def map_page(request: Req, principal: CurrentPrincipal) -> Response[Any]:
    """Registers, identifiers and the services reusing them, as a picture and a table."""
    view = await views.map_view(current_language(request))
    if request.url.path.endswith(".json"):
        return Response(view, media_type=MediaType.JSON)
    context = {
        **view,
        "picture": picture.layout(view),
        "json_twin": "/once-only.json",
        "principal": principal,
    }
    return render(request, "onceonly/map.html", context)


@get(["/registers", "/registers.json"], include_in_schema=False, name="onceonly:search")
async def registers_page(
    request: Req, principal: CurrentPrincipal, q: FromQuery[str | None] = None
) -> Response[Any]:
    """Which register holds X?"""
    view = await views.search_view(q or "", current_language(request))
    return _page(
        request,
        principal,
        "onceonly/registers.html",
        view,
        f"/registers.json?{urlencode({'q': q or ''})}",
    )


@get("/identifier/{code:str}", include_in_schema=False, name="onceonly:identifier")
async def identifier_page(
    request: Req,
    principal: CurrentPrincipal,
    code: FromPath[str],
    after: FromQuery[str | None] = None,
) -> Response[Any]:
    """An identifier scheme; ``after`` pages through the services taking it."""
    name = code.removesuffix(".json").removesuffix(".ttl")
    view = await views.identifier_view(name, current_language(request), (after or "")[:120] or None)
    if code.endswith(".ttl"):
        return Response(rdf.scheme_turtle(view), media_type="text/turtle")
    return _page(request, principal, "onceonly/identifier.html", view, view["links"]["json"])


@get("/register/{slug:str}", include_in_schema=False, name="onceonly:register")
async def register_page(
    request: Req,
    principal: CurrentPrincipal,
    slug: FromPath[str],
    after: FromQuery[str | None] = None,
) -> Response[Any]:
    """A base register; ``after`` pages through the services reusing it."""
    view = await views.register_view(
        slug.removesuffix(".json"), current_language(request), (after or "")[:120] or None
    )
    return _page(request, principal, "onceonly/register.html", view, view["links"]["json"])


@get("/service/{slug:str}", include_in_schema=False, name="onceonly:service")
async def service_page(
    request: Req, principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    view = await services.service_view(slug.removesuffix(".json"), current_language(request))
    return _page(request, principal, "onceonly/service.html", view, view["links"]["json"])


@get("/notice/{slug:str}", include_in_schema=False, name="onceonly:notice")
async def notice(request: Req, slug: FromPath[str]) -> Response[Any]:
    """A fragment a portal includes on its sign-in page: nothing loaded from elsewhere."""
    view = await services.notice_view(slug.removesuffix(".json"), current_language(request))
    headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
    if slug.endswith(".json"):
        return Response(view, media_type=MediaType.JSON, headers=headers)
    html = render_to_string(request, "onceonly/notice.html", view)
    return Response(html, media_type=MediaType.HTML, headers=headers)
