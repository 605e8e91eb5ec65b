"""Reading datasets page by page in index order: seek keys (cursors), deep offsets, titles.

A page is found by seeking in the ``(modified, id, ...)`` or ``(created, id, ...)`` index
(``WHERE (modified, id) < (?, ?)``), never by sorting every match, so page 1,000 costs what
page 1 costs. A :class:`Cursor` is the position after a page's last row, given out as an
opaque token (``next_cursor``, ``hydra:next``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import RECORD_COLUMNS, DatasetFilter, filter_clauses
from catalogue.datasets.tables import Dataset
from catalogue.db import stored_datetime
from catalogue.domain.problems import Problem
from catalogue.errors import BadRequest

# A walk's order: the column and whether it runs newest first. Ties go by id in the same
# direction, so one index serves the whole ORDER BY.
SEEK_ORDERS: dict[str, tuple[Any, bool]] = {
    "modified": (Dataset.modified, True),
    "created": (Dataset.created, False),
}


@dataclass(frozen=True)
class Cursor:
    """Where a walk goes on: after the dataset with this (order value, id)."""

    order: str
    value: dt.datetime
    id: UUID

    def token(self) -> str:
        text = json.dumps([self.order, self.value.isoformat(), str(self.id)])
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str, name: str = "cursor") -> Cursor:
        """A cursor from a ``next`` link; a 400 naming ``name`` when it is not one."""
        try:
            padded = token + "=" * (-len(token) % 4)
            order, value, identifier = json.loads(base64.urlsafe_b64decode(padded))
            cursor = cls(str(order), dt.datetime.fromisoformat(value), UUID(identifier))
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
            cursor = None
        if cursor is None or cursor.order not in SEEK_ORDERS or cursor.value.tzinfo is None:
            message = "is not a cursor this catalogue gave out; start again without it"
            raise BadRequest(f"{name} {message}", [Problem(name, message, "bad_cursor")])
        return cursor


def seek_clause(order: str, after: Cursor | None, inclusive: bool = False) -> Any:
    """Rows after ``after`` in ``order`` (a row-value comparison: one index range scan)."""
    if after is None:
        return None
    column, descending = SEEK_ORDERS[order]
    operator = ("<" if descending else ">") + ("=" if inclusive else "")
    name = column._meta.db_column_name
    return WhereRaw(
        f'("dataset"."{name}", "dataset"."id") {operator} ({{}}, {{}})', after.value, after.id
    )


async def _offset_start(
    order: str, clauses: list[Any], after: Cursor | None, offset: int
) -> Cursor | None:
    """The row at ``offset``: found by skipping index entries only (the ordering index holds
    status and classification too), so a deep page never reads the documents it skips."""
    column, descending = SEEK_ORDERS[order]
    query = Dataset.select(column.as_alias("_seek"), Dataset.id)
    wanted = [*clauses, *([seek] if (seek := seek_clause(order, after)) is not None else [])]
    if wanted:
        query = query.where(*wanted)
    row = await (
        query.order_by(column, ascending=not descending)
        .order_by(Dataset.id, ascending=not descending)
        .offset(offset)
        .first()
    )
    return Cursor(order, stored_datetime(row["_seek"]), _uuid(row["id"])) if row else None


async def seek_records(
    principal: Principal | None,
    filters: DatasetFilter,
    size: int,
    after: Cursor | None = None,
    order: str = "modified",
    columns: tuple[Any, ...] = RECORD_COLUMNS,
    offset: int = 0,
    slugs: list[str] | None = None,
) -> tuple[list[dict[str, Any]], Cursor | None]:
    """Up to ``size`` rows after ``after``, and the cursor of the next page (None at the end).

    Deep pages cost what the first one costs. In ``created`` order (oldest first) a walk
    reads every dataset that exists throughout exactly once, however they are edited
    meanwhile; new ones are read too, at the end.
    """
    column, descending = SEEK_ORDERS[order]
    clauses = filter_clauses(principal, filters, scan=True)
    if slugs is not None:  # narrowed by a text search first
        clauses.append(Dataset.slug.is_in(slugs or [""]))
    seek = seek_clause(order, after)
    if offset:
        start = await _offset_start(order, clauses, after, offset)
        if start is None:
            return [], None
        seek = seek_clause(order, start, inclusive=True)
    query = Dataset.select(*columns, column.as_alias("_seek")).output(load_json=True)
    if wanted := [*clauses, *([seek] if seek is not None else [])]:
        query = query.where(*wanted)
    rows = await (
        query.order_by(column, ascending=not descending)
        .order_by(Dataset.id, ascending=not descending)
        .limit(size + 1)
    )
    following = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        following = Cursor(order, stored_datetime(last["_seek"]), _uuid(last["id"]))
    return rows, following


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


@dataclass(frozen=True)
class TitleRow:
    """A dataset as a list of names needs it: no document to parse and validate."""

    slug: str
    title: dict[str, str]
    publisher_name: str


async def public_titles(filters: DatasetFilter, limit: int) -> list[TitleRow]:
    """Public datasets, newest change first: slug, title in every language, publisher name
    (a list of a thousand costs a thousand small values)."""
    clauses = filter_clauses(None, filters, scan=True)
    rows = await (
        Dataset.select(Dataset.slug, Dataset.publisher.name)
        .where(*clauses)
        .order_by(Dataset.modified, ascending=False)
        .order_by(Dataset.id, ascending=False)
        .limit(limit)
    )
    return await _with_titles(rows)


async def public_titles_of(slugs: list[str], filters: DatasetFilter) -> list[TitleRow]:
    """Those of these datasets that are public and pass ``filters``, in the order given."""
    if not slugs:
        return []
    clauses = filter_clauses(None, filters, scan=True)
    rows = await Dataset.select(Dataset.slug, Dataset.publisher.name).where(
        Dataset.slug.is_in(slugs), *clauses
    )
    order = {slug: position for position, slug in enumerate(slugs)}
    return await _with_titles(sorted(rows, key=lambda row: order[row["slug"]]))


async def _with_titles(rows: list[dict[str, Any]]) -> list[TitleRow]:
    """The rows (slug, publisher name) with their titles, read out of the documents by the
    database (``json_extract`` on SQLite, ``->`` on PostgreSQL): small values, no parsing."""
    postgres = Dataset._meta.db.engine_type == "postgres"
    title = "document->'title'" if postgres else "json_extract(document, '$.title')"
    slugs = [row["slug"] for row in rows]
    titles: dict[str, dict[str, str]] = {}
    if slugs:
        marks = ", ".join("{}" for _ in slugs)
        found = await Dataset.raw(
            f"SELECT slug, {title} AS title FROM dataset WHERE slug IN ({marks})", *slugs
        )
        titles = {row["slug"]: _title_map(row["title"]) for row in found}
    return [
        TitleRow(row["slug"], titles.get(row["slug"], {}), row["publisher.name"] or "")
        for row in rows
    ]


def _title_map(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        value = json.loads(value)
    return {str(k): str(v) for k, v in (value or {}).items()}
