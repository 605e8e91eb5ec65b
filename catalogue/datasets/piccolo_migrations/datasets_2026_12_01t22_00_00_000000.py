"""Indexes for seek paging, and a catalogue version that every change moves forward.

* ``(modified, id, ...)`` and ``(created, id, ...)``: the list (newest change first) and
  the feed (oldest first, a stable order) read a page by seeking in an index, so page 1,000
  costs what page 1 costs, and no query sorts the whole table.
* ``catalogue_read_version``: one row whose value grows with every committed change to a
  dataset, its themes or an organisation. Read caches (counts, feed pages) are keyed by it,
  so a cache never answers from before a change, on any worker or node. The value is at
  least the current time in microseconds: a database restored from a copy never repeats an
  older number with different contents.

On PostgreSQL the counter is bumped by a deferred constraint trigger, once per transaction
and at commit time, so every writer takes the counter's row lock last (no lock-order
deadlock between writers of several datasets) and the new value becomes visible together
with the change.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T22:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "seek-paging indexes and the catalogue read version"

TABLES = ("dataset", "dataset_theme", "organisation")
# The status and classification ride along so a deep page skips index entries only.
INDEXES = (
    'CREATE INDEX IF NOT EXISTS dataset_modified_id ON "dataset" '
    '("modified", "id", "status", "classification")',
    'CREATE INDEX IF NOT EXISTS dataset_created_id ON "dataset" '
    '("created", "id", "status", "classification")',
    'CREATE INDEX IF NOT EXISTS dataset_publisher_modified_id ON "dataset" '
    '("publisher", "modified", "id", "status", "classification")',
    # Counting the datasets of a theme checks each one's status without reading its row.
    'CREATE INDEX IF NOT EXISTS dataset_id_status ON "dataset" ("id", "status", "classification")',
)
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
SQLITE_BUMP = f"UPDATE catalogue_read_version SET value = MAX(value + 1, {SQLITE_NOW})"
POSTGRES_NOW = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint"
POSTGRES_BUMP = (
    f"UPDATE catalogue_read_version SET value = GREATEST(value + 1, {POSTGRES_NOW})"
)

SQLITE_FORWARDS = (
    *INDEXES,
    "CREATE TABLE IF NOT EXISTS catalogue_read_version (value INTEGER NOT NULL)",
    f"INSERT INTO catalogue_read_version (value) SELECT {SQLITE_NOW} "
    "WHERE NOT EXISTS (SELECT 1 FROM catalogue_read_version)",
    *(
        f"CREATE TRIGGER IF NOT EXISTS {table}_read_version_{event.lower()} "
        f'AFTER {event} ON "{table}" BEGIN {SQLITE_BUMP}; END'
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
)
SQLITE_BACKWARDS = (
    *(
        f"DROP TRIGGER IF EXISTS {table}_read_version_{event.lower()}"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    "DROP TABLE IF EXISTS catalogue_read_version",
    "DROP INDEX IF EXISTS dataset_modified_id",
    "DROP INDEX IF EXISTS dataset_created_id",
    "DROP INDEX IF EXISTS dataset_publisher_modified_id",
    "DROP INDEX IF EXISTS dataset_id_status",
)

POSTGRES_FORWARDS = (
    *INDEXES,
    "CREATE TABLE IF NOT EXISTS catalogue_read_version (value BIGINT NOT NULL)",
    f"INSERT INTO catalogue_read_version (value) SELECT {POSTGRES_NOW} "
    "WHERE NOT EXISTS (SELECT 1 FROM catalogue_read_version)",
    f"""
    CREATE OR REPLACE FUNCTION catalogue_bump_read_version() RETURNS trigger AS $$
    BEGIN
        IF current_setting('catalogue.read_version_bumped', true)
           IS DISTINCT FROM txid_current()::text THEN
            PERFORM set_config('catalogue.read_version_bumped', txid_current()::text, true);
            {POSTGRES_BUMP};
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE OR REPLACE FUNCTION catalogue_bump_read_version_now() RETURNS trigger AS $$
    BEGIN
        {POSTGRES_BUMP};
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    *(
        statement
        for table in TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_read_version ON \"{table}\"",
            f"CREATE CONSTRAINT TRIGGER {table}_read_version "
            f'AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION catalogue_bump_read_version()",
            f"DROP TRIGGER IF EXISTS {table}_read_version_truncate ON \"{table}\"",
            f"CREATE TRIGGER {table}_read_version_truncate "
            f'AFTER TRUNCATE ON "{table}" FOR EACH STATEMENT '
            "EXECUTE FUNCTION catalogue_bump_read_version_now()",
        )
    ),
)
POSTGRES_BACKWARDS = (
    *(
        statement
        for table in TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_read_version ON \"{table}\"",
            f"DROP TRIGGER IF EXISTS {table}_read_version_truncate ON \"{table}\"",
        )
    ),
    "DROP FUNCTION IF EXISTS catalogue_bump_read_version()",
    "DROP FUNCTION IF EXISTS catalogue_bump_read_version_now()",
    "DROP TABLE IF EXISTS catalogue_read_version",
    "DROP INDEX IF EXISTS dataset_modified_id",
    "DROP INDEX IF EXISTS dataset_created_id",
    "DROP INDEX IF EXISTS dataset_publisher_modified_id",
    "DROP INDEX IF EXISTS dataset_id_status",
)


async def _run(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in sqlite if engine.engine_type == "sqlite" else postgres:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="datasets", description=DESCRIPTION)

    async def create() -> None:
        await _run(SQLITE_FORWARDS, POSTGRES_FORWARDS)

    async def drop() -> None:
        await _run(SQLITE_BACKWARDS, POSTGRES_BACKWARDS)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
