"""Keyed audit events, and PostgreSQL refuses TRUNCATE on the audit log.

``version``: every event written so far is version 1 (plain SHA-256) and stays so: the log
is append-only and rewriting it would destroy the evidence it holds. From now on events are
version 2 (HMAC-SHA256 under the audit key); the verifier accepts version 1 only as the
beginning of the log, and the first keyed event binds that beginning through its
``previous_hash``.

TRUNCATE is not a row operation, so the row trigger of the earlier migration does not see it;
a statement trigger refuses it here. (SQLite has no TRUNCATE: its ``DELETE`` without
``WHERE`` is refused by the DELETE trigger.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T21:58:18:864407"
VERSION = "1.38.0"
DESCRIPTION = "event version: 1 unkeyed, 2 keyed; refuse TRUNCATE"

POSTGRES_FORWARDS = (
    """
    CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """,
)
POSTGRES_BACKWARDS = ("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",)


async def _run(statements: tuple[str, ...]) -> None:
    engine = engine_finder()
    assert engine is not None
    if engine.engine_type == "postgres":
        for statement in statements:
            await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    manager.add_column(
        table_class_name="AuditEvent",
        tablename="audit_event",
        column_name="version",
        db_column_name="version",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 1,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    async def create_trigger() -> None:
        await _run(POSTGRES_FORWARDS)

    async def drop_trigger() -> None:
        await _run(POSTGRES_BACKWARDS)

    manager.add_raw(create_trigger)
    manager.add_raw_backwards(drop_trigger)
    return manager
