"""``/api/v1/tokens`` and ``/api/v1/users``: tokens for API clients, users for admins."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.params import PathParameter

from catalogue.accounts import service, signin
from catalogue.accounts.principal import Principal
from catalogue.accounts.schemas import (
    CreatedUserOut,
    GrantedRoleOut,
    IssuedTokenOut,
    MeOut,
    NewUserBody,
    RevokedRoleOut,
    RevokedTokenOut,
    RoleGrantBody,
    TokenListOut,
    TokenRequestBody,
    UpdatedUserOut,
    UserListOut,
    UserUpdateBody,
)
from catalogue.errors import InvalidDocument, Problem
from catalogue.web.auth import require_principal
from catalogue.web.openapi import errors
from catalogue.web.params import (
    CurrentPrincipal,
    FromPath,
    JSONBody,
)

LIMITS = {"email": 320, "name": 300, "password": 1000, "organisation": 100, "role": 50}
"""The longest value each text field may hold (the columns' sizes; PostgreSQL enforces them)."""
TOKEN_NAME_LIMIT = 200

RowId = Annotated[int, PathParameter(ge=1, le=2_147_483_647, description="A row id")]
"""Ids are 32-bit on PostgreSQL; a larger one is a 400, never a failed query."""


def _text(data: dict[str, Any], name: str, problems: list[Problem]) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(name, "is required"))
        return ""
    if len(value.strip()) > LIMITS[name]:
        problems.append(Problem(name, f"is too long (at most {LIMITS[name]} characters)"))
    return value.strip()


class TokenController(Controller):
    path = "/api/v1/tokens"
    tags = ["accounts"]

    @post(
        "/",
        summary="Create an API token (with e-mail and password, or with a token)",
        responses=errors(401, 413, 422, 429),
    )
    async def create_token(
        self, data: JSONBody[TokenRequestBody], principal: CurrentPrincipal
    ) -> IssuedTokenOut:
        name = str(data.get("name") or "")
        problems: list[Problem] = []
        if len(name) > TOKEN_NAME_LIMIT:
            problems.append(Problem("name", f"is too long (at most {TOKEN_NAME_LIMIT} characters)"))
        if principal is None:
            email, password = _text(data, "email", problems), _text(data, "password", problems)
        if problems:
            raise InvalidDocument(problems)
        if principal is None:
            principal = await signin.authenticate(email, password)
            if principal is None:
                raise NotAuthorizedException("wrong e-mail address or password")
        issued = await service.create_token(principal.user_id, name, principal)
        return {
            "id": issued.id,
            "name": issued.name,
            "token": issued.token,
            "note": "Keep this token safe: it is shown only once.",
        }

    @get("/", summary="Your tokens (never the secret)", responses=errors(401))
    async def list_tokens(self, principal: CurrentPrincipal) -> TokenListOut:
        actor = require_principal(principal)
        rows = await service.list_tokens(actor.user_id)
        return {
            "items": [
                {
                    **row,
                    **{
                        key: row[key].isoformat() if row[key] else None
                        for key in ("created", "last_used", "revoked")
                    },
                }
                for row in rows
            ]
        }

    @delete(
        "/{token_id:int}", status_code=200, summary="Revoke a token", responses=errors(401, 404)
    )
    async def revoke_token(self, token_id: RowId, principal: CurrentPrincipal) -> RevokedTokenOut:
        await service.revoke_token(token_id, require_principal(principal))
        return {"id": token_id, "revoked": True}


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["accounts"]

    @get("/me", summary="Who you are and your roles", responses=errors(401))
    async def me(self, principal: CurrentPrincipal) -> MeOut:
        actor = require_principal(principal)
        return {
            "id": actor.user_id,
            "name": actor.name,
            "email": actor.email,
            "global_role": actor.global_role,
            "roles": {slug: sorted(roles) for slug, roles in actor.roles.items()},
        }

    @post("/", summary="Create a user (admin)", responses=errors(401, 403, 404, 409, 413, 422))
    async def create_user(
        self, data: JSONBody[NewUserBody], principal: CurrentPrincipal
    ) -> CreatedUserOut:
        actor = require_principal(principal)
        if not actor.is_admin:
            raise PermissionDeniedException("only an administrator manages users")
        problems: list[Problem] = []
        email, name = _text(data, "email", problems), _text(data, "name", problems)
        password = _text(data, "password", problems)
        if problems:
            raise InvalidDocument(problems)
        user_id = await service.create_user(
            email,
            name,
            password,
            str(data.get("global_role") or ""),
            actor,
            roles=data.get("roles") or {},
        )
        return {"id": user_id, "email": email.lower(), "name": name}

    @get("/", summary="Every user with their roles (admin or auditor)", responses=errors(401, 403))
    async def list_users(self, principal: CurrentPrincipal) -> UserListOut:
        actor = require_principal(principal)
        if not (actor.is_admin or actor.is_auditor):
            raise PermissionDeniedException("only administrators and auditors list users")
        items = await service.list_users()
        return {"items": items, "total": len(items)}

    @post(
        "/{user_id:int}/roles",
        summary="Give a user a role in an organisation (admin)",
        responses=errors(401, 403, 404, 413, 422),
    )
    async def grant_role(
        self, user_id: RowId, data: JSONBody[RoleGrantBody], principal: CurrentPrincipal
    ) -> GrantedRoleOut:
        actor = require_principal(principal)
        if not actor.is_admin:
            raise PermissionDeniedException("only an administrator manages users")
        problems: list[Problem] = []
        organisation, role = _text(data, "organisation", problems), _text(data, "role", problems)
        if problems:
            raise InvalidDocument(problems)
        await service.grant_role(user_id, organisation, role, actor)
        return {"id": user_id, "organisation": organisation, "role": role}

    @delete(
        "/{user_id:int}/roles/{organisation:str}/{role:str}",
        status_code=200,
        summary="Take a role in an organisation away from a user (admin)",
        responses=errors(401, 403, 404, 422),
    )
    async def revoke_role(
        self,
        user_id: RowId,
        organisation: FromPath[str],
        role: FromPath[str],
        principal: CurrentPrincipal,
    ) -> RevokedRoleOut:
        await service.revoke_role(user_id, organisation, role, _admin(principal))
        return {"id": user_id, "organisation": organisation, "role": role, "revoked": True}

    @patch(
        "/{user_id:int}",
        summary="Disable or enable a user, set a password or global role",
        responses=errors(401, 403, 404, 413, 422),
    )
    async def update_user(
        self, user_id: RowId, data: JSONBody[UserUpdateBody], principal: CurrentPrincipal
    ) -> UpdatedUserOut:
        """Every change here ends the user's browser sessions (admin only)."""
        actor = _admin(principal)
        problems: list[Problem] = []
        unknown = sorted(set(data) - {"active", "password", "global_role"})
        problems += [Problem(name, "is not a field of a user update") for name in unknown]
        active, password, role = data.get("active"), data.get("password"), data.get("global_role")
        if active is not None and not isinstance(active, bool):
            problems.append(Problem("active", "must be true or false"))
        for name, value in (("password", password), ("global_role", role)):
            if value is not None and not isinstance(value, str):
                problems.append(Problem(name, "must be a string"))
        if problems:
            raise InvalidDocument(problems)
        await service.update_user(
            user_id, actor, active=active, password=password, global_role=role
        )
        return {"id": user_id, "updated": True}


def _admin(principal: Principal | None) -> Principal:
    actor = require_principal(principal)
    if not actor.is_admin:
        raise PermissionDeniedException("only an administrator manages users")
    return actor
