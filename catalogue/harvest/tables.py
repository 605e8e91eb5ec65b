"""Harvesting: the sources, their jobs, and what each harvested dataset came from.

A ``harvest_record`` row ties one foreign dataset (its identity at the source) to the
dataset stored here, with the content hash and the document of its last harvest (the base
of the three-way merge that keeps local enrichment), its issues and its archive state.
"""

from piccolo.columns import JSON, UUID, Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.column_types import Text
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from catalogue.organisations.tables import Organisation


class HarvestSource(Table, tablename="harvest_source"):
    id = Serial(primary_key=True)
    name = Varchar(length=100, unique=True, index=True)
    kind = Varchar(length=20)  # "dcat", "ckan" or "file"
    url = Varchar(length=2000, default="")
    organisation = ForeignKey(Organisation, null=False, index=True)
    schedule_seconds = Integer(default=0)  # 0: manual
    options = JSON()  # see catalogue.harvest.sources.SourceOptions
    created = Timestamptz(default=TimestamptzNow())
    modified = Timestamptz(default=TimestamptzNow())
    next_run = Timestamptz(null=True, default=None, index=True)
    # The guarded row: a job holds the source while its lease is in the future.
    running_job = Integer(null=True, default=None)
    lease_until = Timestamptz(null=True, default=None)
    last_complete = Timestamptz(null=True, default=None)  # for CKAN's incremental harvest


class HarvestJob(Table, tablename="harvest_job"):
    id = Serial(primary_key=True)
    source = ForeignKey(HarvestSource, null=False, index=True)
    status = Varchar(length=20, default="running", index=True)
    dry_run = Boolean(default=False)
    node = Varchar(length=300, default="")  # host:pid of the process that runs it
    started = Timestamptz(default=TimestamptzNow())
    finished = Timestamptz(null=True, default=None)
    heartbeat = Timestamptz(default=TimestamptzNow())
    pages = Integer(default=0)
    records = Integer(default=0)
    report = JSON()  # catalogue.harvest.report.Report.as_dict()
    error = Text(default="")


class HarvestRecord(Table, tablename="harvest_record"):
    id = Serial(primary_key=True)
    source = ForeignKey(HarvestSource, null=False, index=True)
    key = Varchar(length=64, index=True)  # sha256 of the identifier; (source, key) is unique
    identifier = Text(default="")
    dataset = UUID(index=True)
    slug = Varchar(length=100, index=True)
    content_hash = Varchar(length=64, default="")
    harvested = JSON()  # the document as the source gave it last time (the merge's base)
    fields = JSON()  # the document paths the source carries (read-only here)
    issues = JSON()  # [{"path", "value", "reason"}] of the mapping
    problems = JSON()  # [{"field", "message"}] of the rules, when it could not be published
    source_issued = Varchar(length=40, default="")
    source_modified = Varchar(length=40, default="")
    landing_page = Varchar(length=2000, default="")
    last_job = Integer(default=0, index=True)
    page = Varchar(length=64, default="", index=True)  # the feed page that last carried it
    missing_since = Timestamptz(null=True, default=None)
    archived = Boolean(default=False)


class HarvestPage(Table, tablename="harvest_page"):
    """A feed page whose every record was stored: the same bytes again (and the same mapping
    and options) hold the same records, so a re-harvest need not parse it."""

    id = Serial(primary_key=True)
    source = ForeignKey(HarvestSource, null=False, index=True)
    hash = Varchar(length=64, index=True)
    next_url = Text(default="")
    records = Integer(default=0)
    last_job = Integer(default=0)
