"""Organisations: publishers, owners and consumers of data."""

from piccolo.columns import (
    UUID,
    ForeignKey,
    Timestamptz,
    Varchar,
)
from piccolo.columns.column_types import Text
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Organisation(Table):
    id = UUID(primary_key=True)
    slug = Varchar(length=100, unique=True, index=True)
    name = Varchar(length=300)
    description = Text(default="")
    type = Varchar(length=100, default="")
    parent: "ForeignKey[Organisation]" = ForeignKey("self", null=True)
    homepage = Varchar(length=2000, default="")
    email = Varchar(length=320, default="")
    created = Timestamptz(default=TimestamptzNow())
    modified = Timestamptz(default=TimestamptzNow())
