"""Composite indexes the map's reads sort inside, then fill the tables from existing data.

Piccolo declares single-column indexes only; these are plain SQL both SQLite and PostgreSQL
accept. ``rebuild`` indexes the datasets and agreements a database made before these tables
already holds (a new database has none).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T23:06:26:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite indexes of the once-only tables; fill them from existing data"

INDEXES = (
    "CREATE INDEX IF NOT EXISTS register_term_word_rank"
    " ON register_term (word, is_base_register DESC, dataset_slug)",
    "CREATE INDEX IF NOT EXISTS register_attribute_scheme_rank ON register_attribute"
    " (identifier_scheme, is_base_register DESC, dataset_slug, id)",
    "CREATE INDEX IF NOT EXISTS register_attribute_fact_rank ON register_attribute"
    " (fact, is_base_register DESC, dataset_slug, id)",
    "CREATE INDEX IF NOT EXISTS register_attribute_key_rank ON register_attribute"
    " (is_base_register, is_key, dataset_slug, id)",
    "CREATE INDEX IF NOT EXISTS service_use_status_rank"
    " ON service_use (status, service_slug, reference)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="onceonly", description=DESCRIPTION)

    async def create_indexes_and_fill() -> None:
        from catalogue.onceonly.index import rebuild
        from catalogue.onceonly.tables import RegisterTerm

        for statement in INDEXES:
            await RegisterTerm.raw(statement)
        await rebuild()

    manager.add_raw(create_indexes_and_fill)
    return manager
