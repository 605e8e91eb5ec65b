"""``/admin/webhooks``: the administrators' page for webhooks (the API's twin for people).

Register a receiver (its secret is shown on the answer page, once), see each hook's latest
deliveries with every attempt's answer, remove a hook. Everything goes through
:mod:`catalogue.webhooks.service`, which checks the administrator and the fields.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.errors import InvalidDocument
from catalogue.i18n import N_
from catalogue.ui.auth_pages import flash
from catalogue.ui.rendering import NavItem, render
from catalogue.ui.steward_pages import SignInRequired, _to_signin
from catalogue.web.params import CurrentPrincipal, FromPath
from catalogue.webhooks import rules, service

PATH = "/admin/webhooks"
SHOWN_DELIVERIES = 10
NAV_ITEMS = (
    NavItem(
        PATH,
        N_("Webhooks"),
        60,  # listed in catalogue.wiring
        visible=lambda principal: principal is not None and principal.is_admin,
    ),
)


async def _page(request: Request[Any, Any, Any], principal: Any, **extra: Any) -> Response[Any]:
    if principal is None:
        raise SignInRequired
    hooks = await service.list_hooks(principal)
    for hook in hooks:
        hook["deliveries"] = (await service.deliveries(hook["id"], principal))[:SHOWN_DELIVERIES]
    context = {
        "principal": principal,
        "hooks": hooks,
        "events": rules.EVENTS,
        "form": {"url": "", "description": "", "events": []},
        "errors": {},
        "json_twin": "/api/v1/webhooks",
        **extra,
    }
    return render(
        request,
        "admin/webhooks.html",
        context,
        status=422 if extra.get("errors") else extra.get("status", 200),
    )


@get(PATH, include_in_schema=False)
async def webhooks_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _page(request, principal)


@post(PATH, include_in_schema=False)
async def register_webhook(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    if principal is None:
        raise SignInRequired
    form = await request.form()
    raw = {
        "url": str(form.get("url") or ""),
        "description": str(form.get("description") or ""),
        "events": [str(value) for value in form.getall("events", [])],
    }
    try:
        created = await service.register(raw, principal)
    except InvalidDocument as problem:
        errors: dict[str, str] = {}
        for item in problem.problems:
            errors.setdefault(item.field.split("[", 1)[0] or "url", item.message)
        return await _page(request, principal, form=raw, errors=errors)
    return await _page(request, principal, created=created, status=201)


@post(f"{PATH}/{{hook_id:int}}/delete", include_in_schema=False)
async def delete_webhook(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, hook_id: FromPath[int]
) -> Redirect:
    if principal is None:
        raise SignInRequired
    await service.delete_hook(hook_id, principal)
    flash(request, f"Webhook {hook_id} removed.")
    return Redirect(path=PATH, status_code=303)


webhook_pages = Router(
    path="/",
    route_handlers=[webhooks_page, register_webhook, delete_webhook],
    exception_handlers={SignInRequired: _to_signin},
    include_in_schema=False,
)
