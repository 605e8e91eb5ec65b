"""People, their roles per organisation, and their API tokens."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from catalogue.organisations.tables import Organisation


class User(Table, tablename="catalogue_user"):
    id = Serial(primary_key=True)
    email = Varchar(length=320, unique=True, index=True)
    name = Varchar(length=300)
    password_hash = Varchar(length=500)
    # "" for ordinary users, "admin" (edits everything, manages users) or "auditor" (reads all).
    global_role = Varchar(length=20, default="")
    active = Boolean(default=True)
    created = Timestamptz(default=TimestamptzNow())


class Membership(Table):
    """A role a user holds in one organisation: ``steward`` or ``dpo``."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False)
    organisation = ForeignKey(Organisation, null=False)
    role = Varchar(length=20, default="steward")


class ApiToken(Table):
    """Only a hash of the token is kept; the token itself is shown once, at creation."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False)
    name = Varchar(length=200, default="")
    prefix = Varchar(length=12)
    token_hash = Varchar(length=64, unique=True, index=True)
    created = Timestamptz(default=TimestamptzNow())
    last_used = Timestamptz(null=True, default=None)
    revoked = Timestamptz(null=True, default=None)


class SignInThrottle(Table, tablename="sign_in_throttle"):
    """Sign-in attempts for one address (known or not) in its current window.

    One row per address, counted up by a single ``INSERT ... ON CONFLICT DO UPDATE ...
    RETURNING`` before the password is checked, so concurrent guesses in any number of
    worker processes cannot get past the limit together.
    """

    id = Serial(primary_key=True)
    email = Varchar(length=320, unique=True)
    attempts = Integer(default=0)
    window_start = Timestamptz(index=True, default=TimestamptzNow())


class UserSession(Table, tablename="user_session"):
    """A signed-in browser session; the cookie carries a random id, only its hash is kept.

    Signing out ends this one; disabling a user or changing their password or roles ends
    all of theirs. A cookie whose row has ended (or expired) signs no one in, even when it
    was copied before.
    """

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, index=True)
    token_hash = Varchar(length=64, unique=True, index=True)
    created = Timestamptz(default=TimestamptzNow())
    expires = Timestamptz(index=True, default=TimestamptzNow())
    ended = Timestamptz(null=True, default=None)
