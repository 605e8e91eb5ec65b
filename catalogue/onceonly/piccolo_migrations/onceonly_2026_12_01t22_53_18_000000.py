"""Databases made before the once-only tables: index the datasets and agreements they hold."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T22:53:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "fill the once-only map from existing data"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="onceonly", description=DESCRIPTION)

    async def fill_from_existing_data() -> None:
        from catalogue.onceonly.index import rebuild

        await rebuild()

    manager.add_raw(fill_from_existing_data)
    return manager
