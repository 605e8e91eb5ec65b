"""``/admin/users``: the administrators' pages for people (the twin of ``/api/v1/users``).

The list (administrators and auditors, as the API), in e-mail order, a page at a time by seek
key; a new user with an optional first role; one user's page: roles per organisation given and
taken away, disable or enable, and their API tokens with a revoke button. Every change goes
through :mod:`catalogue.accounts.service`, which ends the user's sessions where rights change.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.accounts import queries, service
from catalogue.accounts.pages import shown_tokens
from catalogue.accounts.principal import GLOBAL_ROLES, ORGANISATION_ROLES, Principal
from catalogue.errors import Conflict, Forbidden, InvalidDocument, NotFound, Problem
from catalogue.i18n import N_, translate
from catalogue.organisations.service import list_organisations
from catalogue.ui.admin_pages import (
    admin,
    admin_exception_handlers,
    field_errors,
    json_twin,
    plain_message,
    signed_in,
)
from catalogue.ui.auth_pages import flash
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import render
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery

PATH = "/admin/users"
PAGE_SIZE = 50
ROLE_LABELS = {"steward": N_("Data steward"), "dpo": N_("Data protection officer")}
GLOBAL_ROLE_LABELS = {
    "": N_("No global role"),
    "admin": N_("Administrator"),
    "auditor": N_("Auditor"),
}
NEW_USER_FIELDS = ("email", "name", "password", "global_role", "organisation", "role")


async def _choices() -> dict[str, Any]:
    return {
        "organisations": [
            {"slug": row["slug"], "name": row["name"]} for row in await list_organisations()
        ],
        "roles": [(code, translate(ROLE_LABELS[code])) for code in ORGANISATION_ROLES],
        "global_roles": [(code, translate(GLOBAL_ROLE_LABELS[code])) for code in GLOBAL_ROLES],
    }


@get(PATH, include_in_schema=False, name="admin:users")
async def users_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    after: FromQuery[str | None] = None,
) -> Response[Any]:
    reader = signed_in(principal)
    if not reader.reads_everything:
        raise Forbidden("only administrators and auditors list users")
    items, next_key = await queries.users_page(after or None, PAGE_SIZE)
    next_url = f"{PATH}?{urlencode({'after': next_key})}" if next_key else None
    if wants_json(request):
        return json_twin({"items": items, "next": next_url})
    return render(
        request,
        "admin/users.html",
        {
            "principal": reader,
            "users": items,
            "next_url": next_url,
            "first_url": PATH if after else None,
            "role_labels": {code: translate(label) for code, label in ROLE_LABELS.items()},
            "global_role_labels": {c: translate(label) for c, label in GLOBAL_ROLE_LABELS.items()},
            "json_twin": "/api/v1/users",
        },
    )


async def _new_user_page(
    request: Request[Any, Any, Any], principal: Principal, status: int = 200, **extra: Any
) -> Response[Any]:
    choices = await _choices()
    if wants_json(request):
        return json_twin({**choices, "fields": list(NEW_USER_FIELDS)}, status)
    context = {
        "principal": principal,
        **choices,
        "form": dict.fromkeys(NEW_USER_FIELDS, ""),
        "errors": {},
        "json_twin": f"{PATH}/new?format=json",
        **extra,
    }
    return render(request, "admin/user_new.html", context, status=status)


@get(f"{PATH}/new", include_in_schema=False, name="admin:new-user")
async def new_user_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _new_user_page(request, admin(principal))


@post(f"{PATH}/new", include_in_schema=False)
async def create_user(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    actor = admin(principal)
    data = await request.form()
    form = {name: str(data.get(name) or "").strip() for name in NEW_USER_FIELDS}
    form["password"] = str(data.get("password") or "")
    errors = {
        name: translate(N_("Fill this in."))
        for name in ("email", "name", "password")
        if not form[name]
    }
    if form["organisation"] and not form["role"]:
        errors["role"] = translate(N_("Choose the role in this organisation."))
    if not errors:
        roles = {form["organisation"]: form["role"]} if form["organisation"] else {}
        try:
            user_id = await service.create_user(
                form["email"], form["name"], form["password"], form["global_role"], actor, roles
            )
        except InvalidDocument as error:
            errors = field_errors(_role_fields(error.problems), "email")
        except Conflict as error:
            errors = {"email": plain_message(error.message)}
    if errors:
        return await _new_user_page(
            request, actor, 422, form={**form, "password": ""}, errors=errors
        )
    flash(request, translate(N_("User %(email)s created.")) % {"email": form["email"].lower()})
    return Redirect(path=f"{PATH}/{user_id}", status_code=303)


def _role_fields(problems: list[Problem]) -> list[Problem]:
    """``roles.<slug>`` problems belong beside the organisation field of the form."""
    return [
        Problem("organisation", p.message) if p.field.startswith("roles") else p for p in problems
    ]


async def _user_page(
    request: Request[Any, Any, Any],
    principal: Principal,
    user_id: int,
    status: int = 200,
    **extra: Any,
) -> Response[Any]:
    user = await queries.user_detail(user_id)
    tokens = shown_tokens(await service.list_tokens(user_id))
    if wants_json(request):
        return json_twin({**user, "tokens": tokens}, status)
    context = {
        "principal": principal,
        "user": user,
        "tokens": tokens,
        **await _choices(),
        "role_labels": {code: translate(label) for code, label in ROLE_LABELS.items()},
        "global_role_label": translate(GLOBAL_ROLE_LABELS.get(user["global_role"], "")),
        "form": {"organisation": "", "role": ""},
        "errors": {},
        "is_self": user["id"] == principal.user_id,
        "json_twin": f"{PATH}/{user_id}?format=json",
        **extra,
    }
    return render(request, "admin/user.html", context, status=status)


@get(f"{PATH}/{{user_id:int}}", include_in_schema=False, name="admin:user")
async def user_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, user_id: FromPath[int]
) -> Response[Any]:
    return await _user_page(request, admin(principal), user_id)


@post(f"{PATH}/{{user_id:int}}/roles", include_in_schema=False)
async def grant_role(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, user_id: FromPath[int]
) -> Response[Any]:
    actor = admin(principal)
    data = await request.form()
    form = {name: str(data.get(name) or "").strip() for name in ("organisation", "role")}
    errors = {name: translate(N_("Choose one of the options.")) for name in form if not form[name]}
    if not errors:
        try:
            await service.grant_role(user_id, form["organisation"], form["role"], actor)
        except InvalidDocument as error:
            errors = field_errors(error.problems, "role")
        except NotFound as error:
            await queries.user_detail(user_id)  # a missing user stays a 404
            errors = {"organisation": plain_message(error.message)}
    if errors:
        return await _user_page(request, actor, user_id, 422, form=form, errors=errors)
    flash(request, translate(N_("Role given. The user signs in again to use it.")))
    return Redirect(path=f"{PATH}/{user_id}", status_code=303)


@post(f"{PATH}/{{user_id:int}}/roles/remove", include_in_schema=False, status_code=303)
async def remove_role(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, user_id: FromPath[int]
) -> Response[Any]:
    actor = admin(principal)
    data = await request.form()
    organisation, role = str(data.get("organisation") or ""), str(data.get("role") or "")
    await service.revoke_role(user_id, organisation, role, actor)
    flash(request, translate(N_("Role taken away.")))
    return Redirect(path=f"{PATH}/{user_id}", status_code=303)


@post(f"{PATH}/{{user_id:int}}/active", include_in_schema=False, status_code=303)
async def set_active(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, user_id: FromPath[int]
) -> Response[Any]:
    actor = admin(principal)
    active = (await request.form()).get("active") == "1"
    if not active and user_id == actor.user_id:
        raise Forbidden("an administrator cannot disable their own account")
    await service.update_user(user_id, actor, active=active)
    message = N_("User enabled.") if active else N_("User disabled: their sessions have ended.")
    flash(request, translate(message))
    return Redirect(path=f"{PATH}/{user_id}", status_code=303)


@post(
    f"{PATH}/{{user_id:int}}/tokens/{{token_id:int}}/revoke",
    include_in_schema=False,
    status_code=303,
)
async def revoke_token(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    user_id: FromPath[int],
    token_id: FromPath[int],
) -> Response[Any]:
    actor = admin(principal)
    if await queries.token_owner(token_id) != user_id:
        raise NotFound(f"user {user_id} has no token {token_id}")
    await service.revoke_token(token_id, actor)
    flash(request, translate(N_("Token revoked: it no longer works on the API.")))
    return Redirect(path=f"{PATH}/{user_id}", status_code=303)


user_pages = Router(
    path="/",
    route_handlers=[
        users_page,
        new_user_page,
        create_user,
        user_page,
        grant_role,
        remove_role,
        set_active,
        revoke_token,
    ],
    exception_handlers=admin_exception_handlers(),
    include_in_schema=False,
)
