"""``/api/v1/tokens`` and ``/api/v1/users``: tokens for API clients, users for admins."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from catalogue.accounts import service, signin
from catalogue.accounts.principal import Principal
from catalogue.errors import InvalidDocument, Problem
from catalogue.web.auth import require_principal
from catalogue.web.params import (
    CurrentPrincipal,
    FromPath,
    JsonObject,
)


def _text(data: JsonObject, name: str, problems: list[Problem]) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(name, "is required"))
        return ""
    return value.strip()


class TokenController(Controller):
    path = "/api/v1/tokens"
    tags = ["accounts"]

    @post("/", summary="Create an API token (with e-mail and password, or with a token)")
    async def create_token(self, data: JsonObject, principal: CurrentPrincipal) -> dict[str, Any]:
        name = str(data.get("name") or "")
        if principal is None:
            problems: list[Problem] = []
            email, password = _text(data, "email", problems), _text(data, "password", problems)
            if problems:
                raise InvalidDocument(problems)
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

    @get("/", summary="Your tokens (never the secret)")
    async def list_tokens(self, principal: CurrentPrincipal) -> dict[str, Any]:
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

    @delete("/{token_id:int}", status_code=200, summary="Revoke a token")
    async def revoke_token(
        self, token_id: FromPath[int], principal: CurrentPrincipal
    ) -> dict[str, Any]:
        await service.revoke_token(token_id, require_principal(principal))
        return {"id": token_id, "revoked": True}


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["accounts"]

    @get("/me", summary="Who you are and your roles")
    async def me(self, principal: CurrentPrincipal) -> dict[str, Any]:
        actor = require_principal(principal)
        return {
            "id": actor.user_id,
            "name": actor.name,
            "email": actor.email,
            "global_role": actor.global_role,
            "roles": {slug: sorted(roles) for slug, roles in actor.roles.items()},
        }

    @post("/", summary="Create a user (admin)")
    async def create_user(self, data: JsonObject, principal: CurrentPrincipal) -> dict[str, Any]:
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

    @get("/", summary="Every user with their roles (admin)")
    async def list_users(self, principal: CurrentPrincipal) -> dict[str, Any]:
        actor = require_principal(principal)
        if not (actor.is_admin or actor.is_auditor):
            raise PermissionDeniedException("only administrators and auditors list users")
        items = await service.list_users()
        return {"items": items, "total": len(items)}

    @post("/{user_id:int}/roles", summary="Give a user a role in an organisation (admin)")
    async def grant_role(
        self, user_id: FromPath[int], data: JsonObject, principal: CurrentPrincipal
    ) -> dict[str, Any]:
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
    )
    async def revoke_role(
        self,
        user_id: FromPath[int],
        organisation: FromPath[str],
        role: FromPath[str],
        principal: CurrentPrincipal,
    ) -> dict[str, Any]:
        await service.revoke_role(user_id, organisation, role, _admin(principal))
        return {"id": user_id, "organisation": organisation, "role": role, "revoked": True}

    @patch("/{user_id:int}", summary="Disable or enable a user, set a password or global role")
    async def update_user(
        self, user_id: FromPath[int], data: JsonObject, principal: CurrentPrincipal
    ) -> dict[str, Any]:
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
