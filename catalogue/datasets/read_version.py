"""Triggers that move the catalogue read version (see :mod:`catalogue.datasets.versions`).

The datasets migration of 2026-12-01 created the version, its PostgreSQL functions and the
triggers on datasets, themes and organisations; later migrations put more tables under it
with :func:`trigger_migration`: a table whose rows a cached page shows must move the version,
or the page could be served from before the change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
SQLITE_BUMP = f"UPDATE catalogue_read_version SET value = MAX(value + 1, {SQLITE_NOW})"


def _events(columns: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(name, SQL event) pairs; an update moves the version only when it sets ``columns``."""
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return (("insert", "INSERT"), ("update", update), ("delete", "DELETE"))


def sqlite_triggers(table: str, columns: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    forwards = [
        f"CREATE TRIGGER IF NOT EXISTS {table}_read_version_{name} "
        f'AFTER {event} ON "{table}" BEGIN {SQLITE_BUMP}; END'
        for name, event in _events(columns)
    ]
    backwards = [
        f"DROP TRIGGER IF EXISTS {table}_read_version_{name}" for name, _ in _events(columns)
    ]
    return forwards, backwards


def postgres_triggers(table: str, columns: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """One deferred trigger per row event (the function bumps once per transaction) and one
    for TRUNCATE, as the datasets migration made them."""
    events = " OR ".join(event for _, event in _events(columns))
    backwards = [
        f'DROP TRIGGER IF EXISTS {table}_read_version ON "{table}"',
        f'DROP TRIGGER IF EXISTS {table}_read_version_truncate ON "{table}"',
    ]
    forwards = [
        *backwards,
        f'CREATE CONSTRAINT TRIGGER {table}_read_version AFTER {events} ON "{table}" '
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION catalogue_bump_read_version()",
        f'CREATE TRIGGER {table}_read_version_truncate AFTER TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_read_version_now()",
    ]
    return forwards, backwards


def trigger_migration(
    migration_id: str, app_name: str, description: str, tables: Sequence[tuple[str, Sequence[str]]]
) -> Callable[[], Awaitable[Any]]:
    """A migration's ``forwards``: ``tables`` (name, the columns an update must set to
    count; none for every update) move the version from now on."""
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager
    from piccolo.engine.finder import engine_finder

    async def run(backwards: bool) -> None:
        engine: Any = engine_finder()
        make = sqlite_triggers if engine.engine_type == "sqlite" else postgres_triggers
        for table, columns in tables:
            for statement in make(table, columns)[1 if backwards else 0]:
                await engine.run_ddl(statement)

    async def make() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id, app_name=app_name, description=description
        )

        async def forward() -> None:
            await run(backwards=False)

        async def backward() -> None:
            await run(backwards=True)

        manager.add_raw(forward)
        manager.add_raw_backwards(backward)
        return manager

    return make
