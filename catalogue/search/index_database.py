"""What the index reads of the database: the dataset rows it indexes, the facts the
consistency check compares, and the marker that names the database the index was built from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.datasets.tables import Dataset
from catalogue.db import read_rows
from catalogue.search import changelog
from catalogue.search.schema import _aware
from catalogue.search.tables import SearchState

STATE_NAME = "index"


async def database_marker() -> str | None:
    row = await SearchState.select(SearchState.marker).where(SearchState.name == STATE_NAME).first()
    return row["marker"] if row else None


async def database_facts() -> tuple[int, str]:
    count = await Dataset.count()
    row = await Dataset.select(Dataset.modified).order_by(Dataset.modified, ascending=False).first()
    return count, stamp(row["modified"]) if row else ""


def stamp(value: dt.datetime | None) -> str:
    return _aware(value).isoformat() if value else ""


def documents_query(load_json: bool) -> Any:
    return Dataset.select(
        Dataset.id,
        Dataset.document,
        Dataset.modified,
        Dataset.created,
        Dataset.publisher.name,
    ).output(load_json=load_json)


async def store_marker(marker: str) -> str:
    """Name this database (once: every node's index keeps the same name beside it)."""
    from catalogue.db import is_unique_violation

    try:
        await SearchState.insert(SearchState(name=STATE_NAME, marker=marker))
    except Exception as error:
        if not is_unique_violation(error):
            raise
        return await database_marker() or marker  # another node named it first
    return marker


async def log_head() -> tuple[str | None, int, int]:
    """The database's marker, the last pruned and the newest change-log id (one query)."""
    rows = await read_rows(
        SearchState,
        "SELECT (SELECT marker FROM search_state WHERE name = {}) AS marker, "
        "(SELECT marker FROM search_state WHERE name = {}) AS pruned, "
        "(SELECT MAX(id) FROM change_log) AS last",
        STATE_NAME,
        changelog.PRUNED_NAME,
    )
    row = rows[0] if rows else {"marker": None, "pruned": None, "last": None}
    last = int(row["last"] or 0)
    changelog.observe(last)
    return row["marker"], int(row["pruned"] or 0), last
