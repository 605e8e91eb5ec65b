"""The search outbox and the index marker: the durable half of keeping the index in step.

A dataset change writes an outbox row in the same transaction (see :mod:`.outbox`), so a
crash between commit and indexing loses nothing: the next drain or start-up picks it up.
"""

from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class SearchOutbox(Table):
    """One row per committed dataset change that the index has not taken in yet."""

    id = Serial(primary_key=True)
    dataset_id = Varchar(length=36)
    action = Varchar(length=20)
    created = Timestamptz(default=TimestamptzNow())


class SearchState(Table):
    """The marker of the last full rebuild; the index keeps the same marker beside it.

    A database restored from a backup or emptied (tests) loses or changes this row, which
    tells every process that the index no longer describes this database.
    """

    id = Serial(primary_key=True)
    name = Varchar(length=50, unique=True)
    marker = Varchar(length=64)
