"""The record of processing activities (GDPR Art. 30) as pages: the controllers, and one page
per controller in plain language with CSV and JSON downloads (``/api/v1/ropa``).

Who may read what is the service's rule: administrators and auditors every controller,
stewards and DPOs their own organisations. Each page has a JSON twin.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from litestar import MediaType, Request, Response, Router, get
from litestar.response import Redirect

from catalogue.errors import Unauthorised
from catalogue.i18n import N_
from catalogue.organisations.service import get_organisation
from catalogue.ropa import service
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, current_language, render
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery

ROOT = "/records-of-processing"


NAV_ITEMS = (
    NavItem(
        ROOT,
        N_("Records of processing"),
        62,  # listed in catalogue.wiring
        visible=lambda principal: principal is not None and principal.reads_everything,
    ),
)


def _json(body: Any) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, headers={"Vary": "Accept"})


def _sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    if wants_json(request):
        raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to read the RoPA")
    return Redirect(path=f"/signin?next={quote(request.url.path, safe='/')}", status_code=303)


def downloads(controller: str | None = None) -> dict[str, str]:
    query = f"controller={quote(controller)}&" if controller else ""
    return {
        "csv": f"/api/v1/ropa?{query}format=csv",
        "json": f"/api/v1/ropa?{query}format=json",
    }


@get(ROOT, include_in_schema=False, name="ropa:controllers")
async def controllers_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """Every controller the visitor may read, with how many activities each records."""
    if principal is None:
        return _sign_in(request)
    controllers = [
        {**item, "url": f"{ROOT}/{item['organisation']}"}
        for item in await service.controllers(principal)
    ]
    if wants_json(request):
        return _json({"items": controllers, "total": len(controllers)})
    context = {
        "principal": principal,
        "controllers": controllers,
        "downloads": downloads(),
        "json_twin": f"{ROOT}?format=json",
    }
    return render(request, "ropa/controllers.html", context)


@get(f"{ROOT}/{{controller:str}}", include_in_schema=False, name="ropa:controller")
async def controller_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    controller: FromPath[str],
    after: FromQuery[str | None] = None,
) -> Response[Any]:
    """One controller's record: each processing activity, what, why, whose, to whom, how long."""
    if principal is None:
        return _sign_in(request)
    service.readable_controllers(principal, controller)  # 403 before anything is read
    organisation = await get_organisation(controller)  # 404 for no such organisation
    lang = current_language(request)
    page = await service.controller_record(
        principal, controller, lang, (after or "")[:200], limit=service.PAGE_SIZE
    )
    following = (
        f"{ROOT}/{quote(controller)}?{urlencode({'after': page.next_after})}"
        if page.next_after
        else None
    )
    if wants_json(request):
        body = service.as_document([page.record] if page.record.activities else [])
        return _json({**body, "next": f"{following}&format=json" if following else None})
    record = page.record.as_dict() if page.record.activities else None
    context = {
        "principal": principal,
        "organisation": organisation,
        "record": record,
        "activities": record["activities"] if record else [],
        "next": following,
        "downloads": downloads(controller),
        "json_twin": f"{ROOT}/{quote(controller)}?format=json",
    }
    return render(request, "ropa/controller.html", context)


ropa_pages = Router(path="/", route_handlers=[controllers_page, controller_page])
