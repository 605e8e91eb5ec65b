"""``dataset.public_modified``: when a dataset last changed what the public sees.

The feed's ``Last-Modified`` (and the catalogue's ``dct:modified``, hence its ETag) is the
latest of these, so editing a draft or a withdrawn dataset no longer moves them: a harvester
could otherwise watch the headers to learn that unpublished work is going on. Set on every
write while the dataset is public and on the write that takes it out of the public (a
withdrawal); left alone by writes that the public never sees.
"""

from catalogue.db import ddl_migration

ID = "2026-12-01T22:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "dataset.public_modified for the feed's Last-Modified"

# Plain SQL that both engines read alike (Piccolo's Timestamptz is TIMESTAMPTZ on both).
FORWARDS = (
    'ALTER TABLE "dataset" ADD COLUMN "public_modified" TIMESTAMPTZ NULL',
    'CREATE INDEX IF NOT EXISTS dataset_public_modified ON "dataset" ("public_modified")',
    'UPDATE "dataset" SET "public_modified" = "modified" '
    "WHERE \"status\" IN ('published', 'deprecated') OR \"issued\" IS NOT NULL",
)
BACKWARDS = (
    "DROP INDEX IF EXISTS dataset_public_modified",
    'ALTER TABLE "dataset" DROP COLUMN "public_modified"',
)


forwards = ddl_migration(ID, "datasets", DESCRIPTION, FORWARDS, BACKWARDS)
