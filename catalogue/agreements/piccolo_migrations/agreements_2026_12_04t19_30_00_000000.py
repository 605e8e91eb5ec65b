"""A dataset's agreements in one status, newest change first, from one index.

The transparency page of a register reused by thousands of services shows 25 approved
agreements a page. With the dataset's index alone SQLite read and sorted every one of them
(whole rows, the stored documents too: 40 ms for 2,200); with ``(dataset, status,
modified)`` it walks the index in page order and stops at the page's end.
"""

from catalogue.db import ddl_migration

ID = "2026-12-04T19:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "agreement (dataset, status, modified)"

FORWARDS = (
    "CREATE INDEX IF NOT EXISTS agreement_dataset_status_modified"
    ' ON "agreement" ("dataset", "status", "modified")',
)
BACKWARDS = ("DROP INDEX IF EXISTS agreement_dataset_status_modified",)


forwards = ddl_migration(ID, "agreements", DESCRIPTION, FORWARDS, BACKWARDS)
