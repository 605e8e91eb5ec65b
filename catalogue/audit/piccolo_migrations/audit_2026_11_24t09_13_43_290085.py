"""Refuse UPDATE and DELETE on the audit log in the database itself.

PostgreSQL: a row trigger refuses both (TRUNCATE, a whole-table administrative reset, is not
a row operation and stays possible for the owner). SQLite: a trigger refuses UPDATE here,
and the next migration adds one refusing DELETE.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-24T09:13:43:290085"
VERSION = "1.38.0"
DESCRIPTION = "append-only triggers"

POSTGRES_FORWARDS = (
    """
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
)
POSTGRES_BACKWARDS = (
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
)
SQLITE_FORWARDS = (
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update
    BEFORE UPDATE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed');
    END
    """,
)
SQLITE_BACKWARDS = ("DROP TRIGGER IF EXISTS audit_event_no_update",)


async def _run(postgres: tuple[str, ...], sqlite: tuple[str, ...]) -> None:
    engine = engine_finder()
    assert engine is not None
    statements = postgres if engine.engine_type == "postgres" else sqlite
    for statement in statements:
        await engine.run_ddl(statement)  # inside the migration's transaction


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def create_triggers() -> None:
        await _run(POSTGRES_FORWARDS, SQLITE_FORWARDS)

    async def drop_triggers() -> None:
        await _run(POSTGRES_BACKWARDS, SQLITE_BACKWARDS)

    manager.add_raw(create_triggers)
    manager.add_raw_backwards(drop_triggers)
    return manager
