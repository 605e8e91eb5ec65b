"""Checking an e-mail address and password, with a throttle no number of racers can beat.

Every attempt is counted *before* its password is checked, by one statement that increments
and reads the address's count together (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``,
atomic on SQLite and PostgreSQL alike). However many requests arrive at once, in however
many worker processes, at most :data:`MAX_FAILURES` of them reach the password check in one
window; the rest are refused without it. Unknown addresses are counted and checked (against
a dummy hash) exactly like known ones, so neither the answer nor its timing says who has an
account.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.accounts.security import verify_password
from catalogue.accounts.tables import SignInThrottle, User
from catalogue.errors import TooManyAttempts

MAX_FAILURES = 10
FAILURE_WINDOW = dt.timedelta(minutes=15)

_COUNT_ATTEMPT = """
INSERT INTO sign_in_throttle (email, attempts, window_start) VALUES ({}, 1, {})
ON CONFLICT (email) DO UPDATE SET
    attempts = CASE WHEN sign_in_throttle.window_start < {}
                    THEN 1 ELSE sign_in_throttle.attempts + 1 END,
    window_start = CASE WHEN sign_in_throttle.window_start < {}
                        THEN excluded.window_start ELSE sign_in_throttle.window_start END
RETURNING attempts, window_start
"""


def _as_time(value: Any) -> dt.datetime:
    """RETURNING gives a datetime on PostgreSQL and may give the stored text on SQLite."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def count_attempt(address: str, now: dt.datetime) -> tuple[int, dt.datetime]:
    """This attempt's number in the address's current window, and when the window began.

    A window older than :data:`FAILURE_WINDOW` starts again at 1.
    """
    since = now - FAILURE_WINDOW
    rows = await SignInThrottle.raw(_COUNT_ATTEMPT, address, now, since, since)
    return rows[0]["attempts"], _as_time(rows[0]["window_start"])


def _throttle_key(email: str) -> str:
    """The address as stored and counted. One holding control characters (which PostgreSQL
    cannot store and no user's address has) or too long to be one becomes a digest that can
    match no user, so it is counted and refused like any unknown address."""
    address = email.strip().lower()
    if len(address) > 320 or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in address):
        return "invalid:" + hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
    return address


async def authenticate(email: str, password: str) -> Principal | None:
    """The active user with these credentials, or None.

    The :data:`MAX_FAILURES` + 1st attempt for one address within a window of
    :data:`FAILURE_WINDOW` (and every one after it, until the window ends) raises
    :class:`TooManyAttempts` without checking the password. The count is in the database,
    shared by the sign-in form and the token API in every worker; a success clears it.
    """
    address = _throttle_key(email)
    now = dt.datetime.now(dt.UTC)
    attempt, window_start = await count_attempt(address, now)
    if attempt > MAX_FAILURES:
        wait = max(1, int((window_start + FAILURE_WINDOW - now).total_seconds()) + 1)
        raise TooManyAttempts(
            f"too many failed sign-ins for this address; try again in {wait // 60 + 1} minutes",
            wait,
        )
    user = (
        await User.select(User.id, User.password_hash, User.active)
        .where(User.email == address)
        .first()
    )
    # argon2 releases the GIL: checking in a thread keeps the event loop serving others.
    matches = await asyncio.to_thread(
        verify_password, user["password_hash"] if user else None, password
    )
    if user is None or not matches or not user["active"]:
        await SignInThrottle.delete().where(SignInThrottle.window_start < now - FAILURE_WINDOW)
        return None
    await SignInThrottle.delete().where(SignInThrottle.email == address)
    from catalogue.accounts.service import principal_for_user  # service re-exports this module

    return await principal_for_user(user["id"])
