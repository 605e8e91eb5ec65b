"""``dataset.public_modified``: when a dataset last changed what the public sees.

The feed's ``Last-Modified`` (and the catalogue's ``dct:modified``, hence its ETag) is the
latest of these, so editing a draft or a withdrawn dataset no longer moves them: a harvester
could otherwise watch the headers to learn that unpublished work is going on. Set on every
write while the dataset is public and on the write that takes it out of the public (a
withdrawal); left alone by writes that the public never sees.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

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


async def _run(statements: tuple[str, ...]) -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in statements:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="datasets", description=DESCRIPTION)

    async def forward() -> None:
        await _run(FORWARDS)

    async def backward() -> None:
        await _run(BACKWARDS)

    manager.add_raw(forward)
    manager.add_raw_backwards(backward)
    return manager
