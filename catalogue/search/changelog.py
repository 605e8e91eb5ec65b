"""The ordered, durable change log that every node follows.

Each announced change appends a row (``change_log``) in the writing transaction, so the row
commits with the change or not at all. Ids grow monotonically; every node's search index
records the last id it applied and reads on from there, so no node ever needs another to
clear anything. On PostgreSQL the same transaction sends ``NOTIFY catalogue_changes`` (which
PostgreSQL delivers only on commit) so the other nodes read the log at once; everywhere a
periodic poll backs it up.

Two ids can commit out of order on PostgreSQL (a sequence hands them out before commit), so
the reader keeps the ids it skipped as *gaps* and asks for them again until they appear or
are older than :data:`GAP_SECONDS` (ids of rolled-back transactions never appear).

:func:`current_position` is the newest id this process knows to be committed: caches that
must be right on every node can key on it (it moves within a poll interval, or at once on
PostgreSQL, when any node writes).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from catalogue.events import Change
from catalogue.search.tables import ChangeLog, SearchState

CHANNEL = "catalogue_changes"
GAP_SECONDS = 120.0
GAP_LOOKBACK = 1000
PRUNED_NAME = "log_pruned"
INSERT_BATCH = 500
_position = 0


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    action: str
    object_id: str


def _engine() -> Any:
    return ChangeLog._meta.db


def is_postgres() -> bool:
    return isinstance(_engine(), PostgresEngine)


def current_position() -> int:
    """The newest change-log id this process has seen committed (0 before the first)."""
    return _position


def advance(position: int) -> None:
    """Note that ``position`` is committed (the follower and the writers call this)."""
    global _position
    if position > _position:
        _position = position


def observe(last: int) -> None:
    """The log's newest id as just read: it moves the position on, or back when the
    database was replaced (restored, or emptied by the tests) and its ids start again."""
    global _position
    _position = last


async def append(changes: Sequence[Change]) -> None:
    """Write the rows for ``changes``; run inside their transaction."""
    rows = [
        ChangeLog(kind=c.kind[:30], action=c.action[:20], object_id=c.object_id[:100])
        for c in changes
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        await ChangeLog.insert(*rows[start : start + INSERT_BATCH])
    if rows and is_postgres():
        await ChangeLog.raw("SELECT pg_notify({}, '')", CHANNEL)


async def last_id() -> int:
    rows = await ChangeLog.raw("SELECT MAX(id) AS last FROM change_log")
    return int(rows[0]["last"] or 0) if rows else 0


async def read(after: int, gaps: Sequence[int], limit: int) -> list[Entry]:
    """Rows past ``after`` (the first ``limit``, in id order) and any of the ``gaps`` now there."""
    columns = (ChangeLog.id, ChangeLog.kind, ChangeLog.action, ChangeLog.object_id)
    rows = list(
        await ChangeLog.select(*columns)
        .where(ChangeLog.id > after)
        .order_by(ChangeLog.id)
        .limit(limit)
    )
    if gaps:
        rows += await ChangeLog.select(*columns).where(ChangeLog.id.is_in(list(gaps)))
    entries = {
        row["id"]: Entry(row["id"], row["kind"], row["action"], row["object_id"]) for row in rows
    }
    return [entries[key] for key in sorted(entries)]


def follow_gaps(
    position: int, gaps: dict[str, float], entries: Sequence[Entry], now: float | None = None
) -> tuple[int, dict[str, float]]:
    """The new position and open gaps once ``entries`` (from :func:`read`) are applied.

    Pure bookkeeping: ids between the old position and the highest one read that did not
    come back are new gaps; gaps that came back, or are older than :data:`GAP_SECONDS`, close.
    """
    now = time.time() if now is None else now
    seen = {entry.id for entry in entries}
    open_gaps = {
        key: since
        for key, since in gaps.items()
        if int(key) not in seen and now - since < GAP_SECONDS
    }
    highest = max((entry.id for entry in entries), default=position)
    for missing in range(position + 1, highest):
        if missing not in seen:
            open_gaps[str(missing)] = now
    return max(position, highest), open_gaps


async def gaps_below(position: int) -> dict[str, float]:
    """Ids up to ``position`` (within :data:`GAP_LOOKBACK`) not yet in the log: transactions
    still in flight when a rebuild started, whose changes the rebuild may not have seen."""
    if position <= 0:
        return {}
    low = max(0, position - GAP_LOOKBACK, await pruned_through())
    rows = await ChangeLog.select(ChangeLog.id).where(
        (ChangeLog.id > low) & (ChangeLog.id <= position)
    )
    present = {row["id"] for row in rows}
    now = time.time()
    return {str(i): now for i in range(low + 1, position + 1) if i not in present}


async def pruned_through() -> int:
    row = (
        await SearchState.select(SearchState.marker).where(SearchState.name == PRUNED_NAME).first()
    )
    return int(row["marker"]) if row else 0


async def prune(retention_seconds: float) -> int:
    """Delete rows older than the retention window (never the newest: ids must keep
    growing); remember the last id deleted so a node behind it rebuilds. Rows deleted."""
    from catalogue.db import write_transaction

    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=retention_seconds)
    async with write_transaction():
        newest = await last_id()
        row = (
            await ChangeLog.select(ChangeLog.id)
            .where((ChangeLog.created < cutoff) & (ChangeLog.id < newest))
            .order_by(ChangeLog.id, ascending=False)
            .first()
        )
        if row is None:
            return 0
        through = row["id"]
        count = await ChangeLog.count().where(ChangeLog.id <= through)
        await ChangeLog.delete().where(ChangeLog.id <= through)
        updated = (
            await SearchState.update({SearchState.marker: str(through)})
            .where(SearchState.name == PRUNED_NAME)
            .returning(SearchState.id)
        )
        if not updated:
            await SearchState.insert(SearchState(name=PRUNED_NAME, marker=str(through)))
    return count
