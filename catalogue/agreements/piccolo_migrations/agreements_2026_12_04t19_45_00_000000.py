"""Agreements by dataset or consumer in one status, in reference order, from an index.

The record of processing lists a dataset's first recipients and a consumer's reuses by
reference, a page at a time. Without these SQLite read every agreement of a register used by
3,600 services and sorted the whole rows (stored documents too) to show three of them.
"""

from catalogue.db import ddl_migration

ID = "2026-12-04T19:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "agreement (dataset, status, reference) and (consumer, status, reference)"

FORWARDS = (
    "CREATE INDEX IF NOT EXISTS agreement_dataset_status_reference"
    ' ON "agreement" ("dataset", "status", "reference")',
    "CREATE INDEX IF NOT EXISTS agreement_consumer_status_reference"
    ' ON "agreement" ("consumer", "status", "reference")',
)
BACKWARDS = (
    "DROP INDEX IF EXISTS agreement_dataset_status_reference",
    "DROP INDEX IF EXISTS agreement_consumer_status_reference",
)


forwards = ddl_migration(ID, "agreements", DESCRIPTION, FORWARDS, BACKWARDS)
