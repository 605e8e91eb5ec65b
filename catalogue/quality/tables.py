"""Stored quality: each dataset's score, the addresses to check and their answers, and a
daily snapshot of the catalogue's aggregates (the dashboard's trend).

Scores are written inside every dataset write (the ``catalogue.events`` listener) and again
when the link checker's answers change, so no page ever scores a dataset, or the catalogue,
while a visitor waits. The columns beside the JSON exist to aggregate and sort in SQL.
"""

from piccolo.columns import JSON, UUID, Boolean, Date, Float, Integer, Timestamptz, Varchar
from piccolo.columns.column_types import Serial
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class QualityScore(Table):
    """One dataset's assessment (composite indexes in the migration)."""

    id = Serial(primary_key=True)
    dataset_id = UUID(unique=True, index=True)
    slug = Varchar(length=100, index=True)
    publisher = Varchar(length=100, default="")
    public = Boolean(default=False)  # published or deprecated: counted on the dashboard
    dcat_ap_conforms = Boolean(default=False)  # kept: a rescore for links reuses it
    points = Integer(default=0)
    rating = Varchar(length=20, default="bad")
    findability = Integer(default=0)
    accessibility = Integer(default=0)
    interoperability = Integer(default=0)
    reusability = Integer(default=0)
    contextuality = Integer(default=0)
    assessment = JSON()  # catalogue.quality.assess.Assessment.as_dict()
    revision = Integer(default=0)  # the dataset revision scored
    computed_at = Timestamptz(default=TimestamptzNow(), index=True)


class LinkCheck(Table):
    """An access or download address and what it last answered."""

    id = Serial(primary_key=True)
    url = Varchar(length=2000, unique=True, index=True)
    status = Integer(null=True, default=None)  # HTTP status after redirects; None: no answer
    error = Varchar(length=300, default="")
    method = Varchar(length=8, default="")  # HEAD, or GET when HEAD was refused
    elapsed_ms = Integer(default=0)
    checked_at = Timestamptz(null=True, default=None)
    due = Timestamptz(default=TimestamptzNow(), index=True)  # when to ask it next


class DatasetLink(Table):
    """Which dataset uses which address (to rescore it when the answer changes)."""

    id = Serial(primary_key=True)
    dataset_id = UUID(index=True)
    url = Varchar(length=2000, index=True)


class QualityDaily(Table):
    """The public catalogue's aggregates on one day (the last run of the day wins)."""

    id = Serial(primary_key=True)
    day = Date(unique=True, index=True)
    datasets = Integer(default=0)
    mean = Float(default=0.0)
    dimensions = JSON()  # {"findability": mean points, ...}
    ratings = JSON()  # {"excellent": count, ...}
