"""One row per foreign dataset and source: a unique (source, key) index, plain SQL both
SQLite and PostgreSQL accept (Piccolo declares single-column indexes only)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T10:02:42:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique (source, key) of harvest records, (source, hash) of pages; (source, last_job)"

INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS harvest_record_source_key"
    " ON harvest_record (source, key)",
    "CREATE INDEX IF NOT EXISTS harvest_record_source_job ON harvest_record (source, last_job)",
    "CREATE UNIQUE INDEX IF NOT EXISTS harvest_page_source_hash ON harvest_page (source, hash)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="harvest", description=DESCRIPTION)

    async def create_indexes() -> None:
        from catalogue.harvest.tables import HarvestRecord

        for statement in INDEXES:
            await HarvestRecord.raw(statement)

    manager.add_raw(create_indexes)
    return manager
