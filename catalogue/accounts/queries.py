"""Reading users for the administrators' pages: a page of users in e-mail order, one user.

The list seeks in the unique e-mail index (``WHERE email > ?``), so the hundredth page costs
what the first does, however many users there are.
"""

from __future__ import annotations

from typing import Any

from catalogue.accounts.tables import ApiToken, Membership, User
from catalogue.errors import NotFound

USER_COLUMNS = (User.id, User.email, User.name, User.global_role, User.active, User.created)


async def _roles_of(user_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    if not user_ids:
        return {}
    rows = await (
        Membership.select(Membership.user, Membership.organisation.slug, Membership.role)
        .where(Membership.user.is_in(user_ids))
        .order_by(Membership.id)
    )
    roles: dict[int, dict[str, list[str]]] = {}
    for row in rows:
        held = roles.setdefault(row["user"], {}).setdefault(row["organisation.slug"], [])
        if row["role"] not in held:
            held.append(row["role"])
    return roles


def _shown(user: dict[str, Any], roles: dict[int, dict[str, list[str]]]) -> dict[str, Any]:
    return {
        **user,
        "created": user["created"].isoformat(),
        "roles": {slug: sorted(held) for slug, held in sorted(roles.get(user["id"], {}).items())},
    }


async def users_page(after: str | None, size: int) -> tuple[list[dict[str, Any]], str | None]:
    """Up to ``size`` users whose e-mail sorts after ``after``, and the key of the next page
    (``None`` on the last one)."""
    query = User.select(*USER_COLUMNS).order_by(User.email).limit(size + 1)
    if after:
        query = query.where(User.email > after)
    rows = await query
    more = len(rows) > size
    rows = rows[:size]
    roles = await _roles_of([row["id"] for row in rows])
    return [_shown(row, roles) for row in rows], rows[-1]["email"] if more else None


async def user_detail(user_id: int) -> dict[str, Any]:
    """One user with their roles per organisation."""
    row = await User.select(*USER_COLUMNS).where(User.id == user_id).first()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return _shown(row, await _roles_of([user_id]))


async def token_owner(token_id: int) -> int | None:
    """The user a token belongs to (``None`` when there is no such token)."""
    row = await ApiToken.select(ApiToken.user).where(ApiToken.id == token_id).first()
    return row["user"] if row else None
