"""Users, memberships and tokens: creating them and turning a token into a principal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from catalogue.accounts.principal import GLOBAL_ROLES, ORGANISATION_ROLES, Principal
from catalogue.accounts.security import hash_password, new_token, token_digest
from catalogue.accounts.sessions import end_sessions_of, user_for_session
from catalogue.accounts.signin import authenticate  # noqa: F401  (lives there; kept importable)
from catalogue.accounts.tables import ApiToken, Membership, User
from catalogue.db import write_transaction
from catalogue.domain.types import CONTROL_CHARACTERS, check_email, check_text
from catalogue.errors import Conflict, InvalidDocument, NotFound, Problem
from catalogue.events import Change, announce
from catalogue.organisations.tables import Organisation


@dataclass(frozen=True)
class IssuedToken:
    id: int
    name: str
    token: str  # shown once: only its hash is stored


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text_problems(**values: str) -> list[Problem]:
    """Control characters refused in every text a user supplies, on both engines alike."""
    problems = []
    for field, value in values.items():
        try:
            check_text(value, multiline=field == "password")
        except ValueError as error:
            problems.append(Problem(field, str(error)))
    return problems


async def create_user(
    email: str,
    name: str,
    password: str,
    global_role: str = "",
    actor: Principal | None = None,
    roles: dict[str, str] | None = None,
) -> int:
    """Create a user and their organisation roles together, or nothing at all."""
    problems = []
    roles = roles or {}
    if not isinstance(roles, dict):
        problems.append(Problem("roles", "must be an object: organisation slug -> role"))
        roles = {}
    for organisation, role in roles.items():
        if not isinstance(organisation, str) or CONTROL_CHARACTERS.search(organisation):
            problems.append(Problem("roles", "organisation slugs must be plain text"))
        elif role not in ORGANISATION_ROLES:
            problems.append(
                Problem(f"roles.{organisation}", f"must be one of {', '.join(ORGANISATION_ROLES)}")
            )
        elif not await Organisation.exists().where(Organisation.slug == organisation):
            problems.append(Problem(f"roles.{organisation}", "no such organisation"))
    problems.extend(_text_problems(name=name, password=password))
    try:
        email = check_email(email.strip())
    except ValueError as error:
        problems.append(Problem("email", str(error)))
    if len(password) < 10:
        problems.append(Problem("password", "must be at least 10 characters long"))
    if global_role not in GLOBAL_ROLES:
        problems.append(Problem("global_role", "must be empty, 'admin' or 'auditor'"))
    if problems:
        raise InvalidDocument(problems)
    email = email.strip().lower()
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(f"a user with the e-mail address {email} already exists")
        rows = await User.insert(
            User(
                email=email,
                name=name,
                password_hash=hash_password(password),
                global_role=global_role,
            )
        ).returning(User.id)
        user_id = rows[0]["id"]
        await announce(
            Change(
                "user",
                "create",
                str(user_id),
                email,
                actor,
                after={"email": email, "name": name, "global_role": global_role},
            )
        )
        for organisation, role in roles.items():
            await grant_role(user_id, organisation, role, actor)
    return user_id


async def grant_role(
    user_id: int, organisation_slug: str, role: str, actor: Principal | None = None
) -> None:
    if role not in ORGANISATION_ROLES:
        raise InvalidDocument([Problem("role", f"must be one of {', '.join(ORGANISATION_ROLES)}")])
    organisation = (
        await Organisation.select(Organisation.id)
        .where(Organisation.slug == organisation_slug)
        .first()
    )
    if organisation is None:
        raise NotFound(f"no organisation '{organisation_slug}'")
    if not await User.exists().where(User.id == user_id):
        raise NotFound(f"no user {user_id}")
    async with write_transaction():
        exists = await Membership.exists().where(
            (Membership.user == user_id)
            & (Membership.organisation == organisation["id"])
            & (Membership.role == role)
        )
        if not exists:
            await Membership.insert(
                Membership(user=user_id, organisation=organisation["id"], role=role)
            )
            await end_sessions_of(user_id)  # new rights: sign in again to use them
            await announce(
                Change(
                    "user",
                    "grant_role",
                    str(user_id),
                    organisation_slug,
                    actor,
                    after={"organisation": organisation_slug, "role": role},
                )
            )


async def revoke_role(
    user_id: int, organisation_slug: str, role: str, actor: Principal | None = None
) -> None:
    """Take a role away; the user's sessions end, so the lost rights cannot linger."""
    organisation = (
        await Organisation.select(Organisation.id)
        .where(Organisation.slug == organisation_slug)
        .first()
    )
    mine = (Membership.user == user_id) & (Membership.role == role)
    async with write_transaction():
        if organisation is None or not await Membership.exists().where(
            mine & (Membership.organisation == organisation["id"])
        ):
            raise NotFound(f"user {user_id} has no role '{role}' in '{organisation_slug}'")
        await Membership.delete().where(mine & (Membership.organisation == organisation["id"]))
        await end_sessions_of(user_id)
        await announce(
            Change(
                "user",
                "revoke_role",
                str(user_id),
                organisation_slug,
                actor,
                before={"organisation": organisation_slug, "role": role},
            )
        )


async def update_user(
    user_id: int,
    actor: Principal | None = None,
    *,
    active: bool | None = None,
    password: str | None = None,
    global_role: str | None = None,
) -> None:
    """Disable or enable a user, set a new password or a global role.

    Any of these ends every session of the user: a disabled user, a stolen old password or
    a withdrawn right must not live on in a browser that signed in before.
    """
    problems = []
    if password is not None and len(password) < 10:
        problems.append(Problem("password", "must be at least 10 characters long"))
    if global_role is not None and global_role not in GLOBAL_ROLES:
        problems.append(Problem("global_role", "must be empty, 'admin' or 'auditor'"))
    if problems:
        raise InvalidDocument(problems)
    async with write_transaction():
        user = (
            await User.select(User.email, User.active, User.global_role)
            .where(User.id == user_id)
            .first()
        )
        if user is None:
            raise NotFound(f"no user {user_id}")
        before = {"active": user["active"], "global_role": user["global_role"]}
        after = {
            "active": before["active"] if active is None else active,
            "global_role": before["global_role"] if global_role is None else global_role,
        }
        values: dict[Any, Any] = {
            User.active: after["active"],
            User.global_role: after["global_role"],
        }
        if password is not None:
            values[User.password_hash] = hash_password(password)
            after["password"] = "changed"  # the audit log shows only that it changed
        if after == before:
            return
        await User.update(values).where(User.id == user_id)
        await end_sessions_of(user_id)
        await announce(
            Change("user", "update", str(user_id), user["email"], actor, before=before, after=after)
        )


async def list_users() -> list[dict[str, Any]]:
    users = await User.select(
        User.id, User.email, User.name, User.global_role, User.active, User.created
    ).order_by(User.email)
    memberships = await Membership.select(
        Membership.user, Membership.organisation.slug, Membership.role
    )
    roles: dict[int, dict[str, list[str]]] = {}
    for row in memberships:
        roles.setdefault(row["user"], {}).setdefault(row["organisation.slug"], []).append(
            row["role"]
        )
    return [
        {**user, "created": user["created"].isoformat(), "roles": roles.get(user["id"], {})}
        for user in users
    ]


async def user_id_for_email(email: str) -> int:
    row = await User.select(User.id).where(User.email == email.strip().lower()).first()
    if row is None:
        raise NotFound(f"no user with the e-mail address {email}")
    return row["id"]


async def principal_for_user(user_id: int) -> Principal | None:
    user = await User.select().where((User.id == user_id) & (User.active == True)).first()  # noqa: E712
    if user is None:
        return None
    memberships = await Membership.select(Membership.organisation.slug, Membership.role).where(
        Membership.user == user_id
    )
    roles: dict[str, set[str]] = {}
    for row in memberships:
        roles.setdefault(row["organisation.slug"], set()).add(row["role"])
    return Principal(
        user_id=user["id"],
        name=user["name"],
        email=user["email"],
        global_role=user["global_role"],
        roles={slug: frozenset(values) for slug, values in roles.items()},
    )


async def create_token(user_id: int, name: str = "", actor: Principal | None = None) -> IssuedToken:
    if problems := _text_problems(name=name):
        raise InvalidDocument(problems)
    token = new_token()
    async with write_transaction():
        rows = await ApiToken.insert(
            ApiToken(user=user_id, name=name, prefix=token[:8], token_hash=token_digest(token))
        ).returning(ApiToken.id)
        await announce(
            Change(
                "token",
                "create",
                str(rows[0]["id"]),
                name,
                actor,
                after={"user": user_id, "name": name, "prefix": token[:8]},
            )
        )
    return IssuedToken(id=rows[0]["id"], name=name, token=token)


async def list_tokens(user_id: int) -> list[dict[str, Any]]:
    return (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.prefix,
            ApiToken.created,
            ApiToken.last_used,
            ApiToken.revoked,
        )
        .where(ApiToken.user == user_id)
        .order_by(ApiToken.id)
    )


async def revoke_token(token_id: int, actor: Principal) -> None:
    row = (
        await ApiToken.select(ApiToken.user, ApiToken.revoked)
        .where(ApiToken.id == token_id)
        .first()
    )
    if row is None or (row["user"] != actor.user_id and not actor.is_admin):
        raise NotFound(f"no token {token_id}")
    if row["revoked"] is None:
        async with write_transaction():
            await ApiToken.update({ApiToken.revoked: _now()}).where(ApiToken.id == token_id)
            await announce(Change("token", "revoke", str(token_id), "", actor))


async def principal_for_token(token: str) -> Principal | None:
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.user)
        .where((ApiToken.token_hash == token_digest(token)) & ApiToken.revoked.is_null())
        .first()
    )
    if row is None:
        return None
    await ApiToken.update({ApiToken.last_used: _now()}).where(ApiToken.id == row["id"])
    return await principal_for_user(row["user"])


async def principal_for_session(token: str) -> Principal | None:
    """The signed-in user of a live browser session (see :mod:`catalogue.accounts.sessions`)."""
    user_id = await user_for_session(token)
    return await principal_for_user(user_id) if user_id is not None else None
