"""The database engine, chosen by configuration: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from piccolo.columns import JSON, Column
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory
from piccolo.query.methods.raw import Raw
from piccolo.querystring import QueryString
from piccolo.table import Table

POOL_SIZE = 16  # PostgreSQL connections per worker process


class CatalogueSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, with reads on one connection per worker thread.

    Piccolo opens a new aiosqlite connection (and its thread) for every query outside a
    transaction, which costs about 12x the query itself. A read (a single ``SELECT``) needs
    no transaction of its own: in WAL mode each statement sees the latest commit. So reads
    run on one long-lived ``sqlite3`` connection per process and thread, directly (an
    indexed, paged query takes well under a millisecond); writes and transactions keep
    Piccolo's own path.
    """

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self._readers = threading.local()

    def reader(self) -> sqlite3.Connection:
        """This thread's read connection (a new one after a fork)."""
        held = getattr(self._readers, "held", None)
        if held is None or held[0] != os.getpid():
            connection = sqlite3.connect(**self.connection_kwargs, check_same_thread=False)
            connection.row_factory = dict_factory
            held = (os.getpid(), connection)
            self._readers.held = held
        return held[1]

    async def get_connection(self) -> Any:
        """A write connection. ``synchronous=NORMAL``: in WAL mode a commit no longer waits
        for the disk (one fsync per checkpoint instead of per transaction); the database
        cannot be corrupted by a crash, and a power cut loses at most the last commits."""
        connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    def close_reader(self) -> None:
        held = getattr(self._readers, "held", None)
        if held is not None:
            self._readers.held = None
            if held[0] == os.getpid():
                held[1].close()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if query.lstrip()[:6].upper() == "SELECT":
            cursor = self.reader().execute(query, args or [])
            try:
                return cursor.fetchall()
            finally:
                cursor.close()
        return await super()._run_in_new_connection(query, args, query_type, table)


def engine_for(database_url: str) -> Engine:
    """``sqlite:///path/to/file.sqlite`` or ``postgresql://user@host:port/name``."""
    scheme = urlsplit(database_url).scheme
    if scheme in {"postgres", "postgresql"}:
        return PostgresEngine(config={"dsn": database_url})
    if scheme == "sqlite":
        path = Path(database_url.removeprefix("sqlite:///").removeprefix("sqlite://"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # A generous timeout: several writers wait for the lock instead of failing.
        return CatalogueSQLiteEngine(path=str(path), timeout=30)
    raise ValueError(
        f"CATALOGUE_DATABASE_URL must start with sqlite:/// or postgresql:// (got {scheme!r})"
    )


async def migrate() -> None:
    """Apply every pending Piccolo migration (quietly: Piccolo prints a lot)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    with contextlib.redirect_stdout(io.StringIO()) as output:
        result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}\n{output.getvalue()}")


async def prepare_engine(engine: Engine) -> None:
    """Per-engine settings that make concurrent use safe and fast."""
    if isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")


async def analyse(engine: Engine) -> None:
    """Refresh the planner's table statistics at start (sampled: milliseconds on SQLite at
    any size, about 2 s on PostgreSQL at 100,000 datasets).

    Without them SQLite takes the status index as selective and sorts the whole table for
    a list page instead of walking the ``(modified, id)`` index. PostgreSQL's autovacuum
    analyses in time, but not yet after a bulk load or a big harvest: with 10,000 new
    agreements estimated at 134 rows it joined them by nested loops (530 ms instead of 9).
    """
    if isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA analysis_limit = 1000")
    await engine.run_ddl("ANALYZE")


class PooledConnection(asyncpg.Connection):
    """A pool connection handed back without asyncpg's reset statement.

    asyncpg sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` on
    every release, and Piccolo takes a connection per query: a second round trip for each
    read. Nothing here leaves session state on a pooled connection (advisory locks and
    settings are transaction-scoped, cursors live in transactions, the change-log listener
    has a connection of its own); an open transaction is still rolled back on release."""

    def get_reset_query(self) -> str:
        return ""


async def start_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=2, max_size=POOL_SIZE, connection_class=PooledConnection
        )


async def stop_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    if isinstance(engine, CatalogueSQLiteEngine):
        engine.close_reader()


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


@functools.cache
def _placeholders(sql: str, postgres: bool) -> str:
    """Piccolo's ``{}`` placeholders as the driver's (``$1``... or ``?``)."""
    count = sql.count("{}")
    return sql.format(*(f"${n}" if postgres else "?" for n in range(1, count + 1)))


async def read_rows(table: type[Table], sql: str, *args: Any) -> list[dict[str, Any]]:
    """The rows of one small read (``{}`` placeholders, as in Piccolo's ``raw``), straight
    from the driver: Piccolo's query machinery costs about half a millisecond a query, more
    than an indexed read of a row, and hot paths (the read version every page asks) pay it
    on every request. Inside a transaction, Piccolo's path: the transaction's connection."""
    engine = table._meta.db
    if engine.current_transaction.get() is None:
        if isinstance(engine, PostgresEngine) and engine.pool is not None:
            records = await engine.pool.fetch(_placeholders(sql, True), *args)
            return [dict(record) for record in records]
        if isinstance(engine, CatalogueSQLiteEngine):
            cursor = engine.reader().execute(_placeholders(sql, False), args)
            try:
                return list(cursor.fetchall())
            finally:
                cursor.close()
    return list(await table.raw(sql, *args))


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
    counting = table.count()
    if clauses:
        query = query.where(*clauses)
        counting = counting.where(*clauses)
    rows = (
        await query.order_by(table.modified, ascending=False)
        .order_by(table.id)
        .limit(size)
        .offset((page - 1) * size)
    )
    return rows, await counting


def stored_datetime(value: Any) -> dt.datetime:
    """A timestamp column's value as an aware datetime: SQLite hands back ISO text, and a
    naive value is UTC (as every timestamp is stored)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def insert_rows(
    table: type[Table],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    chunk: int = 400,
    update_on_conflict: Column | None = None,
    skip_conflicts: bool = False,
) -> None:
    """Many rows in a few multi-row INSERTs, values in ``columns``' order (every column a
    row needs: no defaults are filled in); with ``update_on_conflict`` an upsert on that
    unique column (the other columns take the new values); with ``skip_conflicts`` a row
    that clashes with one stored is left out.

    Piccolo's ``insert`` builds a table object per row and renders each value, which costs
    more than the write itself for the once-only map's thousands of rows per harvested page
    (and a harvested page's datasets, history and scores); this sends the plain values (JSON
    columns encoded once, as Piccolo encodes them) as parameters.
    """
    names = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    encoded = [isinstance(column, JSON) for column in columns]
    tail = ""
    if update_on_conflict is not None:
        target = update_on_conflict._meta.db_column_name
        tail = f' ON CONFLICT ("{target}") DO UPDATE SET ' + ", ".join(
            f'"{name}" = EXCLUDED."{name}"'
            for name in (column._meta.db_column_name for column in columns)
            if name != target
        )
    elif skip_conflicts:
        tail = " ON CONFLICT DO NOTHING"
    numbered = table._meta.db.engine_type != "sqlite"  # PostgreSQL's $1, $2, ...; else ?
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        values = [
            json.dumps(value, default=str) if is_json else value
            for row in part
            for is_json, value in zip(encoded, row, strict=True)
        ]
        width, marks = len(columns), []
        for first in range(0, len(values), width):
            places = range(first + 1, first + width + 1)
            marks.append("(" + ", ".join(f"${n}" if numbered else "?" for n in places) + ")")
        sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES {", ".join(marks)}{tail}'
        await Raw(table, querystring=_Compiled(sql, values))


class _Compiled(QueryString):
    """A statement already in the engine's placeholders, with its values: Piccolo's parse
    of a template with thousands of ``{}`` cost more than running the insert."""

    __slots__ = ("_sql", "_values")

    def __init__(self, sql: str, values: list[Any]) -> None:
        super().__init__("")
        self._sql, self._values = sql, values

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        return self._sql, self._values

    def __str__(self) -> str:  # the query log's
        return self._sql


async def run_ddl(statements: Sequence[str]) -> None:
    """Run plain SQL statements (DDL both engines accept) on the configured engine."""
    from piccolo.engine.finder import engine_finder

    engine = engine_finder()
    assert engine is not None
    for statement in statements:
        await engine.run_ddl(statement)


def ddl_migration(
    migration_id: str,
    app_name: str,
    description: str,
    forwards: Sequence[str],
    backwards: Sequence[str],
) -> Callable[[], Awaitable[Any]]:
    """A migration's ``forwards`` that runs ``forwards`` (and ``backwards`` to undo it):
    the composite indexes and columns Piccolo cannot declare."""
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager

    async def make() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id, app_name=app_name, description=description
        )

        async def forward() -> None:
            await run_ddl(forwards)

        async def backward() -> None:
            await run_ddl(backwards)

        manager.add_raw(forward)
        manager.add_raw_backwards(backward)
        return manager

    return make
