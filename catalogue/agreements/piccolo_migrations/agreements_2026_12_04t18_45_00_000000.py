"""The catalogue read version moves with every change to an agreement too.

The organisation and dataset pages show the agreements that use them; with agreements in
the version, those lists are kept per catalogue version like every other read cache (an
agreement is written far more rarely than these pages are read). The triggers are the
datasets migration's, on the ``agreement`` table.
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-04T18:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "agreements move the catalogue read version"
SQLITE_BUMP = (
    "UPDATE catalogue_read_version SET value = "
    "MAX(value + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))"
)
EVENTS = ("INSERT", "UPDATE", "DELETE")

SQLITE_FORWARDS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS agreement_read_version_{event.lower()} "
    f'AFTER {event} ON "agreement" BEGIN {SQLITE_BUMP}; END'
    for event in EVENTS
)
SQLITE_BACKWARDS = tuple(
    f"DROP TRIGGER IF EXISTS agreement_read_version_{event.lower()}" for event in EVENTS
)
POSTGRES_FORWARDS = (
    'DROP TRIGGER IF EXISTS agreement_read_version ON "agreement"',
    "CREATE CONSTRAINT TRIGGER agreement_read_version "
    'AFTER INSERT OR UPDATE OR DELETE ON "agreement" '
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
    "EXECUTE FUNCTION catalogue_bump_read_version()",
    'DROP TRIGGER IF EXISTS agreement_read_version_truncate ON "agreement"',
    'CREATE TRIGGER agreement_read_version_truncate AFTER TRUNCATE ON "agreement" '
    "FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_read_version_now()",
)
POSTGRES_BACKWARDS = (
    'DROP TRIGGER IF EXISTS agreement_read_version ON "agreement"',
    'DROP TRIGGER IF EXISTS agreement_read_version_truncate ON "agreement"',
)


async def _run(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> None:
    engine: Any = engine_finder()
    for statement in sqlite if engine.engine_type == "sqlite" else postgres:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="agreements", description=DESCRIPTION)

    async def forward() -> None:
        await _run(SQLITE_FORWARDS, POSTGRES_FORWARDS)

    async def backward() -> None:
        await _run(SQLITE_BACKWARDS, POSTGRES_BACKWARDS)

    manager.add_raw(forward)
    manager.add_raw_backwards(backward)
    return manager
