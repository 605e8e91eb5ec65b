"""Where a harvested dataset comes from moves the catalogue read version.

A dataset page shows its harvest provenance (the source, the fields it carries, mapping
issues, the source's dates); pages are kept per catalogue version for anonymous visitors
(``catalogue.ui.page_cache``). Only the columns a page shows count: a harvest run that finds
a record unchanged writes its job and page bookkeeping, which moves nothing.
"""

from catalogue.datasets.read_version import trigger_migration

ID = "2026-12-07T01:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "harvest provenance moves the catalogue read version"

RECORD_SHOWN = (
    "identifier",
    "dataset",
    "fields",
    "issues",
    "problems",
    "source_issued",
    "source_modified",
    "landing_page",
    "archived",
    "source",
)
SOURCE_SHOWN = ("name", "url", "kind")

forwards = trigger_migration(
    ID,
    "harvest",
    DESCRIPTION,
    [("harvest_record", RECORD_SHOWN), ("harvest_source", SOURCE_SHOWN)],
)
