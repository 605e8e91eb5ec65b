"""Give a test the seeded catalogue in a fraction of a second instead of loading it again.

Loading ``seed/`` validates 49 datasets (SHACL included) and writes their audit trail, which
takes seconds; dozens of tests need that catalogue. The first ``seeded`` test of a session
loads it for real, then :func:`save` keeps an exact copy of the database and of the search
index; :func:`restore` puts that copy back. Exact means byte for byte: SQLite's backup API
copies the database file's pages, and PostgreSQL copies rows server-side from a snapshot
schema, so hash chains, timestamps and JSON come back unchanged.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from piccolo.columns import Serial

SNAPSHOT_SCHEMA = "seed_snapshot"


def _tables() -> list[Any]:  # parents before children
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    return sort_table_classes(Finder().get_table_classes())


def _engine() -> Any:
    return _tables()[0]._meta.db


def sqlite_path(engine: Any = None) -> str | None:
    """The database file when the tests run on SQLite, else None."""
    from piccolo.engine.sqlite import SQLiteEngine

    engine = engine or _engine()
    return engine.connection_kwargs["database"] if isinstance(engine, SQLiteEngine) else None


def _copy_pages(source: str, target: str) -> None:
    with (
        closing(sqlite3.connect(source, timeout=30)) as origin,
        closing(sqlite3.connect(target, timeout=30)) as destination,
    ):
        origin.backup(destination)


async def copy_sqlite(source: str, target: str) -> None:
    """Every page of one SQLite database into another (triggers do not fire), in a thread.

    The backup waits while another connection writes; on the event loop's own thread it
    would wait for ever for a background task (a drain, a harvest's last write) whose
    transaction needs that loop to commit."""
    await asyncio.to_thread(_copy_pages, source, target)


async def save(folder: Path) -> None:
    """Keep the current database and search index as the seeded state."""
    from catalogue.settings import get_settings

    engine = _engine()
    path = sqlite_path(engine)
    if path is not None:
        await copy_sqlite(path, str(folder / "seed.sqlite"))
    else:
        await engine.run_ddl(f'DROP SCHEMA IF EXISTS "{SNAPSHOT_SCHEMA}" CASCADE')
        await engine.run_ddl(f'CREATE SCHEMA "{SNAPSHOT_SCHEMA}"')
        for table in _tables():
            name = table._meta.tablename
            await engine.run_ddl(
                f'CREATE TABLE "{SNAPSHOT_SCHEMA}"."{name}" AS SELECT * FROM "{name}"'
            )
    shutil.copytree(get_settings().index_dir, folder / "seed-index", dirs_exist_ok=True)


async def restore(folder: Path) -> None:
    """Put the saved seeded state back (over an emptied database)."""
    from catalogue.search import snapshot
    from catalogue.settings import get_settings

    engine = _engine()
    path = sqlite_path(engine)
    if path is not None:
        await copy_sqlite(str(folder / "seed.sqlite"), path)
    else:
        for table in _tables():
            name = table._meta.tablename
            await engine.run_ddl(f'INSERT INTO "{name}" SELECT * FROM "{SNAPSHOT_SCHEMA}"."{name}"')
            if isinstance(table._meta.primary_key, Serial):
                await engine.run_ddl(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                    f'MAX(id)) FROM "{name}" HAVING MAX(id) IS NOT NULL'
                )
    index_dir = get_settings().index_dir
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(folder / "seed-index", index_dir)
    snapshot.forget()
