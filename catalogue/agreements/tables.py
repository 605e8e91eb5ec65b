"""Data-use agreements: the proposal as JSON plus the columns to filter, guard and expire by."""

from piccolo.columns import JSON, UUID, Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.column_types import Text
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from catalogue.accounts.tables import User
from catalogue.datasets.tables import Dataset
from catalogue.organisations.tables import Organisation


class Agreement(Table):
    id = UUID(primary_key=True)
    reference = Varchar(length=100, unique=True, index=True)
    dataset = ForeignKey(Dataset, null=False, index=True)
    consumer = ForeignKey(Organisation, null=False, index=True)
    provider = ForeignKey(Organisation, null=False, index=True)
    status = Varchar(length=20, index=True, default="proposed")
    outcome = Varchar(length=30, default="")
    revision = Integer(default=1)
    document = JSON()
    check_result = JSON()
    decision = JSON()
    valid_from = Date()
    valid_until = Date(index=True)
    proposed_by = ForeignKey(User, null=True)
    created = Timestamptz(default=TimestamptzNow())
    modified = Timestamptz(default=TimestamptzNow(), index=True)
    title = Text(default="")
