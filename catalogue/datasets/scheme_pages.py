"""``/admin/identifier-schemes``: the identifier schemes datasets are joined on, and a form to
add one (administrators; the twin of ``/api/v1/identifier-schemes``)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.datasets.identifier_schemes import add_scheme, list_schemes
from catalogue.errors import Conflict, InvalidDocument
from catalogue.i18n import N_, translate
from catalogue.ui.admin_pages import (
    admin,
    admin_exception_handlers,
    field_errors,
    json_twin,
    plain_message,
)
from catalogue.ui.auth_pages import flash
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import render
from catalogue.web.params import CurrentPrincipal

PATH = "/admin/identifier-schemes"
FIELDS = ("code", "label", "description", "iri")


async def _page(
    request: Request[Any, Any, Any], principal: Principal, status: int = 200, **extra: Any
) -> Response[Any]:
    schemes = await list_schemes()
    if wants_json(request):
        return json_twin({"items": schemes, "total": len(schemes)})
    context = {
        "principal": principal,
        "schemes": schemes,
        "form": dict.fromkeys(FIELDS, ""),
        "errors": {},
        "json_twin": "/api/v1/identifier-schemes",
        **extra,
    }
    return render(request, "admin/identifier_schemes.html", context, status=status)


@get(PATH, include_in_schema=False, name="admin:identifier-schemes")
async def schemes_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _page(request, admin(principal))


@post(PATH, include_in_schema=False)
async def add_scheme_from_form(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    actor = admin(principal)
    data = await request.form()
    form = {name: str(data.get(name) or "").strip() for name in FIELDS}
    raw: dict[str, Any] = {**form, "iri": form["iri"] or None}
    try:
        await add_scheme(raw, actor)
    except InvalidDocument as error:
        return await _page(
            request, actor, 422, form=form, errors=field_errors(error.problems, "code")
        )
    except Conflict as error:
        errors = {"code": plain_message(error.message)}
        return await _page(request, actor, 422, form=form, errors=errors)
    flash(request, translate(N_("Identifier scheme %(label)s added.")) % {"label": form["label"]})
    return Redirect(path=PATH, status_code=303)


scheme_pages = Router(
    path="/",
    route_handlers=[schemes_page, add_scheme_from_form],
    exception_handlers=admin_exception_handlers(),
    include_in_schema=False,
)
