"""People, their roles per organisation, and their API tokens."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
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


class SignInFailure(Table, tablename="sign_in_failure"):
    """A failed sign-in for an address (known or not): the throttle every process shares."""

    id = Serial(primary_key=True)
    email = Varchar(length=320, index=True)
    at = Timestamptz(default=TimestamptzNow())
