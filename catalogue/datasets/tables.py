"""Datasets: the current document, its themes for filtering, its history, and identifier schemes.

The full four-level document is stored as JSON (the domain model validates it); the columns
beside it exist to filter, sort and guard concurrent edits.
"""

from piccolo.columns import (
    JSON,
    UUID,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.column_types import Text
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from catalogue.accounts.tables import User
from catalogue.organisations.tables import Organisation


class Dataset(Table):
    id = UUID(primary_key=True)
    slug = Varchar(length=100, unique=True, index=True)
    classification = Varchar(length=20, index=True)
    status = Varchar(length=20, index=True, default="draft")
    publisher = ForeignKey(Organisation, null=False, index=True)
    title = Varchar(length=500, default="")
    revision = Integer(default=1)
    document = JSON()
    created = Timestamptz(default=TimestamptzNow())
    modified = Timestamptz(default=TimestamptzNow(), index=True, index_method=IndexMethod.btree)
    issued = Timestamptz(null=True, default=None)
    # The last write the public saw (see disclosure.changes_public_view): the feed's
    # Last-Modified, which editing a draft must not move.
    public_modified = Timestamptz(null=True, default=None, index=True)
    # Who controls the personal data (DatasetDocument.controller): the record of processing
    # reads one controller's datasets by it (migration 2026-12-03).
    controller = Varchar(length=100, default="")


class DatasetTheme(Table):
    """One row per (dataset, theme code), so the list can be filtered by theme in SQL."""

    id = Serial(primary_key=True)
    dataset = ForeignKey(Dataset, null=False, index=True)
    theme = Varchar(length=20, index=True)


class DatasetRevision(Table):
    """Append-only history: who changed what, when, and the document as it became."""

    id = Serial(primary_key=True)
    dataset = ForeignKey(Dataset, null=False, index=True)
    revision = Integer()
    action = Varchar(length=20)
    actor = ForeignKey(User, null=True)
    actor_name = Varchar(length=300, default="")
    at = Timestamptz(default=TimestamptzNow())
    changes = JSON()
    snapshot = JSON()


class IdentifierScheme(Table):
    """Common identifiers datasets can be joined on (personal ID number, tax number, ...)."""

    id = Serial(primary_key=True)
    code = Varchar(length=50, unique=True, index=True)
    label = Varchar(length=200)
    description = Text(default="")
    iri = Varchar(length=2000, default="")
