"""The database engine, chosen by configuration: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType


def engine_for(database_url: str) -> Engine:
    """``sqlite:///path/to/file.sqlite`` or ``postgresql://user@host:port/name``."""
    scheme = urlsplit(database_url).scheme
    if scheme in {"postgres", "postgresql"}:
        return PostgresEngine(config={"dsn": database_url})
    if scheme == "sqlite":
        path = Path(database_url.removeprefix("sqlite:///").removeprefix("sqlite://"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # A generous timeout: several writers wait for the lock instead of failing.
        return SQLiteEngine(path=str(path), timeout=30)
    raise ValueError(
        f"CATALOGUE_DATABASE_URL must start with sqlite:/// or postgresql:// (got {scheme!r})"
    )


async def prepare_engine(engine: Engine) -> None:
    """Per-engine settings that make concurrent use safe and fast."""
    if isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")


async def start_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)


async def stop_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def write_transaction():
    """A transaction for a write; on SQLite it takes the write lock at once.

    A deferred SQLite transaction that reads and then writes can fail with "database is
    locked" when another writer got there first; an immediate one waits its turn instead.
    """
    from catalogue.organisations.tables import Organisation

    engine = Organisation._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def is_unique_violation(error: BaseException) -> bool:
    """True for a unique-constraint failure on either engine (a lost race, not a bug)."""
    import sqlite3

    import asyncpg

    if isinstance(error, asyncpg.exceptions.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)


async def fetch_page(
    table: type[Any],
    columns: Sequence[Any],
    clauses: Sequence[Any],
    page: int,
    size: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of ``table``'s rows, newest change first (ties by id, so pages are stable),
    and the total that the same clauses match."""
    query = table.select(*columns).output(load_json=True)
    count = table.count()
    if clauses:
        query = query.where(*clauses)
        count = count.where(*clauses)
    rows = (
        await query.order_by(table.modified, ascending=False)
        .order_by(table.id)
        .limit(size)
        .offset((page - 1) * size)
    )
    return rows, await count
