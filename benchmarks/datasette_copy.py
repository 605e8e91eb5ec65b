"""The published datasets as one flat SQLite table with FTS5, for Datasette to serve.

The comparison in ``http_benchmark.py``: the same rows Datasette can facet (classification,
publisher, first theme) and search (title and description, FTS5), in one process.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

PUBLIC = ("published", "deprecated")
SELECT = (
    "SELECT d.slug, d.classification, o.slug AS publisher, d.modified, d.document "
    "FROM dataset d JOIN organisation o ON o.id = d.publisher "
    "WHERE d.status IN ('published', 'deprecated')"
)


def _rows_from_sqlite(source: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(source)) as connection:
        return list(connection.execute(SELECT))


def _rows_from_postgres(url: str) -> list[tuple[Any, ...]]:
    import asyncpg

    async def fetch() -> list[tuple[Any, ...]]:
        connection = await asyncpg.connect(url)
        try:
            return [tuple(row) for row in await connection.fetch(SELECT)]
        finally:
            await connection.close()

    return asyncio.run(fetch())


def build_datasette_database(source: Path, target: Path, database_url: str) -> int:
    """Write ``target`` from the catalogue's published datasets; how many rows."""
    if database_url.startswith("postgres"):
        rows = _rows_from_postgres(database_url)
    else:
        rows = _rows_from_sqlite(source)
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(target)) as out:
        out.execute(
            "CREATE TABLE datasets (slug TEXT PRIMARY KEY, title TEXT, description TEXT, "
            "classification TEXT, publisher TEXT, theme TEXT, modified TEXT)"
        )
        flat = []
        for slug, classification, publisher, modified, document in rows:
            document = json.loads(document) if isinstance(document, str) else document
            themes = document.get("semantic", {}).get("themes") or [""]
            flat.append(
                (
                    slug,
                    document.get("title", {}).get("en", ""),
                    document.get("description", {}).get("en", ""),
                    classification,
                    publisher,
                    themes[0],
                    str(modified),
                )
            )
        out.executemany("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?)", flat)
        for column in ("classification", "publisher", "theme", "modified"):
            out.execute(f"CREATE INDEX datasets_{column} ON datasets ({column})")
        out.execute(
            "CREATE VIRTUAL TABLE datasets_fts USING fts5(title, description, "
            "content='datasets', content_rowid='rowid')"
        )
        out.execute(
            "INSERT INTO datasets_fts (rowid, title, description) "
            "SELECT rowid, title, description FROM datasets"
        )
        out.commit()
        out.execute("ANALYZE")
    return len(flat)
