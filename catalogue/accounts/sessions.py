"""Browser sessions kept on the server, so that signing out really ends them.

The session cookie holds only a random session id; the database keeps its SHA-256 hash
with the user, an expiry and, once ended, when. Each request looks the id up (one indexed
read), so a cookie copied before sign-out, before the user was disabled or before their
password or roles changed signs no one in afterwards.
"""

from __future__ import annotations

import datetime as dt
import secrets

from catalogue.accounts.security import token_digest
from catalogue.accounts.tables import UserSession

SESSION_LIFETIME = dt.timedelta(hours=12)  # a working day; signing in again is cheap
SESSION_TOKEN_KEY = "sid"
"""The key under which the (encrypted) session cookie carries the session id."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def start_session(user_id: int) -> str:
    """A new session for the user; returns the id to put in the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    await UserSession.delete().where(UserSession.expires < now)  # keeps the table small
    await UserSession.insert(
        UserSession(
            user=user_id,
            token_hash=token_digest(token),
            created=now,
            expires=now + SESSION_LIFETIME,
        )
    )
    return token


async def end_session(token: str) -> None:
    """Sign-out: this session ends, whoever holds a copy of its cookie."""
    await UserSession.update({UserSession.ended: _now()}).where(
        (UserSession.token_hash == token_digest(token)) & UserSession.ended.is_null()
    )


async def end_sessions_of(user_id: int) -> None:
    """Every session of the user ends (disabled, new password, changed roles)."""
    await UserSession.update({UserSession.ended: _now()}).where(
        (UserSession.user == user_id) & UserSession.ended.is_null()
    )


async def user_for_session(token: str) -> int | None:
    """The user a live session belongs to, or None when it ended, expired or never was."""
    row = (
        await UserSession.select(UserSession.user)
        .where(
            (UserSession.token_hash == token_digest(token))
            & UserSession.ended.is_null()
            & (UserSession.expires > _now())
        )
        .first()
    )
    return row["user"] if row else None
