"""The change log and the index marker: the durable half of keeping every index in step.

Every change writes a ``change_log`` row in its own transaction (see :mod:`.changelog`), so a
crash between commit and indexing loses nothing, and every node (each with its own index)
follows the same ordered log from the last position it applied.
"""

from piccolo.columns import BigSerial, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class ChangeLog(Table, tablename="change_log"):
    """One row per committed change, in id order; kept for the retention window."""

    id = BigSerial(primary_key=True)
    kind = Varchar(length=30)
    action = Varchar(length=20)
    object_id = Varchar(length=100)
    created = Timestamptz(default=TimestamptzNow(), index=True)


class SearchState(Table):
    """Named markers: ``index`` identifies the database (a restored or emptied one loses or
    changes it, which tells every node its index no longer describes it); ``log_pruned`` is
    the last change-log id pruned, so a node that had not applied it knows to rebuild.
    """

    id = Serial(primary_key=True)
    name = Varchar(length=50, unique=True)
    marker = Varchar(length=64)
