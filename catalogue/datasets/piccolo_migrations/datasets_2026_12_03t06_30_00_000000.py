"""``dataset.controller``: the organisation controlling a dataset's personal data.

The record of processing (GDPR Art. 30) is kept per controller. Reading one controller's
datasets by this indexed column, and counting them per controller, replaces reading every
personal dataset's document on each request (seconds at 100,000 datasets). Filled from the
documents: the controller stated at the legal level, else the publisher.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

from catalogue.db import run_ddl

ID = "2026-12-03T06:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "dataset.controller for the record of processing"

STATED = {
    "sqlite": "json_extract(\"document\", '$.legal.personal_data.controller.organisation')",
    "postgres": "(\"document\"::jsonb #>> '{legal,personal_data,controller,organisation}')",
}
PUBLISHER = '(SELECT "slug" FROM "organisation" WHERE "organisation"."id" = "dataset"."publisher")'


def forwards_sql(dialect: str) -> tuple[str, ...]:
    return (
        'ALTER TABLE "dataset" ADD COLUMN "controller" VARCHAR(100) NOT NULL DEFAULT \'\'',
        'UPDATE "dataset" SET "controller" = '
        f"COALESCE(NULLIF({STATED[dialect]}, ''), {PUBLISHER}, '')",
        # One controller's personal datasets in slug order, and the counts per controller.
        'CREATE INDEX IF NOT EXISTS dataset_classification_controller ON "dataset" '
        '("classification", "controller", "status", "slug")',
    )


BACKWARDS = (
    "DROP INDEX IF EXISTS dataset_classification_controller",
    'ALTER TABLE "dataset" DROP COLUMN "controller"',
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="datasets", description=DESCRIPTION)

    async def forward() -> None:
        engine = engine_finder()
        dialect = "postgres" if isinstance(engine, PostgresEngine) else "sqlite"
        await run_ddl(forwards_sql(dialect))

    async def backward() -> None:
        await run_ddl(BACKWARDS)

    manager.add_raw(forward)
    manager.add_raw_backwards(backward)
    return manager
