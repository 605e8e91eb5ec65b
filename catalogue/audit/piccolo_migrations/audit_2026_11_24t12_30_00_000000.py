"""SQLite refuses DELETE on the audit log too, as PostgreSQL already does.

Test fixtures no longer empty tables with DELETE (they restore an empty copy of the
database), so nothing in the catalogue needs to delete an audit event. An intruder must now
drop a trigger first on either engine.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-24T12:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "refuse DELETE on audit_event in SQLite"

SQLITE_FORWARDS = (
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
    BEFORE DELETE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: DELETE is not allowed');
    END
    """,
)
SQLITE_BACKWARDS = ("DROP TRIGGER IF EXISTS audit_event_no_delete",)


async def _run(statements: tuple[str, ...]) -> None:
    engine = engine_finder()
    assert engine is not None
    if engine.engine_type == "sqlite":
        for statement in statements:
            await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def create_trigger() -> None:
        await _run(SQLITE_FORWARDS)

    async def drop_trigger() -> None:
        await _run(SQLITE_BACKWARDS)

    manager.add_raw(create_trigger)
    manager.add_raw_backwards(drop_trigger)
    return manager
