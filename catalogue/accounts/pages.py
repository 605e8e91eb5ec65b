"""``/account/tokens``: "My API tokens" for everyone signed in (the page twin of
``/api/v1/tokens``).

Create a token with a name: its secret is shown on the answer page, once, and never again
(only a hash is kept). The list shows each token's name, prefix and use, never a secret.
Revoking asks for a confirmation first; a revoked token stops working on the API at once.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.accounts import queries, service
from catalogue.accounts.controllers import TOKEN_NAME_LIMIT
from catalogue.errors import InvalidDocument, NotFound
from catalogue.i18n import N_, translate
from catalogue.ui.admin_pages import admin_exception_handlers, field_errors, json_twin, signed_in
from catalogue.ui.auth_pages import flash
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, render
from catalogue.web.params import CurrentPrincipal, FromPath

PATH = "/account/tokens"
NO_STORE = "no-store"
NAV_ITEMS = (
    NavItem(
        PATH,
        N_("My API tokens"),
        65,  # listed in catalogue.wiring
        visible=lambda principal: principal is not None,
    ),
)


def shown_tokens(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tokens as the API lists them: times as ISO 8601 text, no secret."""
    return [
        {
            **row,
            **{
                key: row[key].isoformat() if row[key] else None
                for key in ("created", "last_used", "revoked")
            },
        }
        for row in rows
    ]


async def _tokens_page(
    request: Request[Any, Any, Any], principal: Any, status: int = 200, **extra: Any
) -> Response[Any]:
    tokens = shown_tokens(await service.list_tokens(principal.user_id))
    if wants_json(request):
        return json_twin({"items": tokens})
    context = {
        "principal": principal,
        "tokens": tokens,
        "form": {"name": ""},
        "errors": {},
        "json_twin": "/api/v1/tokens",
        **extra,
    }
    return render(request, "account/tokens.html", context, status=status)


@get(PATH, include_in_schema=False, name="account:tokens")
async def tokens_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _tokens_page(request, signed_in(principal))


@post(PATH, include_in_schema=False, name="account:create-token")
async def create_token(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    actor = signed_in(principal)
    form = await request.form()
    name = str(form.get("name") or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = translate(
            N_("Give the token a name, such as the program that will use it.")
        )
    elif len(name) > TOKEN_NAME_LIMIT:
        errors["name"] = translate(N_("The name is too long (at most 200 characters)."))
    if not errors:
        try:
            issued = await service.create_token(actor.user_id, name, actor)
        except InvalidDocument as error:
            errors = field_errors(error.problems, "name")
    if errors:
        return await _tokens_page(request, actor, 422, form={"name": name}, errors=errors)
    body = {"id": issued.id, "name": issued.name, "token": issued.token}
    if wants_json(request):
        answer = json_twin({**body, "note": "Keep this token safe: it is shown only once."}, 201)
        answer.headers["Cache-Control"] = NO_STORE
        return answer
    return render(
        request,
        "account/token_created.html",
        {"principal": actor, "issued": body, "json_twin": None},
        status=201,
        headers={"Cache-Control": NO_STORE},  # not kept for the Back button either
    )


async def _own_token(token_id: int, principal: Any) -> dict[str, Any]:
    """One of the principal's own tokens; anyone else's is a 404, as a missing one."""
    if await queries.token_owner(token_id) != principal.user_id:
        raise NotFound(f"no token {token_id}")
    rows = await service.list_tokens(principal.user_id)
    return next(row for row in shown_tokens(rows) if row["id"] == token_id)


@get(f"{PATH}/{{token_id:int}}/revoke", include_in_schema=False, name="account:confirm-revoke")
async def confirm_revoke(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, token_id: FromPath[int]
) -> Response[Any]:
    actor = signed_in(principal)
    token = await _own_token(token_id, actor)
    if wants_json(request):
        return json_twin(token)
    return render(
        request,
        "account/revoke_token.html",
        {
            "principal": actor,
            "token": token,
            "action": f"{PATH}/{token_id}/revoke",
            "back": PATH,
            "json_twin": f"{PATH}/{token_id}/revoke?format=json",
        },
    )


@post(f"{PATH}/{{token_id:int}}/revoke", include_in_schema=False, status_code=303)
async def revoke_token(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, token_id: FromPath[int]
) -> Response[Any]:
    actor = signed_in(principal)
    token = await _own_token(token_id, actor)
    await service.revoke_token(token_id, actor)
    flash(request, translate(N_("The token “%(name)s” is revoked.")) % {"name": token["name"]})
    return Redirect(path=PATH, status_code=303)


token_pages = Router(
    path="/",
    route_handlers=[tokens_page, create_token, confirm_revoke, revoke_token],
    exception_handlers=admin_exception_handlers(),
    include_in_schema=False,
)
