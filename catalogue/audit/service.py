"""Appending to the audit log, reading it, and verifying its hash chain.

Appends are serialised so that concurrent writers cannot fork the chain: on PostgreSQL a
transaction-level advisory lock is taken before the last hash is read; SQLite writes already
run one at a time (IMMEDIATE transactions, ``catalogue.db.write_transaction``). The unique
``sequence`` column is the last line of defence: a fork would be a duplicate and fail.
New events are keyed (HMAC-SHA256 under the audit key, see :mod:`catalogue.audit.chain`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from catalogue.audit import policy
from catalogue.audit.chain import (
    GENESIS_HASH,
    KEYED,
    ChainStatus,
    ChainVerifier,
    Checkpoint,
    event_hash,
)
from catalogue.audit.keys import audit_key
from catalogue.audit.tables import AuditEvent
from catalogue.db import insert_rows, write_transaction
from catalogue.events import Change

ADVISORY_LOCK_KEY = 0x6361745F61756474  # "cat_audt": one lock for the one chain
VERIFY_BATCH = 1000
INSERT_BATCH = 200
EVENT_INSERT = [column for column in AuditEvent._meta.columns if column._meta.name != "id"]
EVENT_NAMES = [column._meta.name for column in EVENT_INSERT]
OPTIONAL: dict[str, Any] = {  # the columns an event may leave out, as the table defaults them
    "actor": "",
    "actor_email": "",
    "role": "",
    "organisation": "",
    "object_label": "",
    "diff": {},
    "details": {},
    "reason": "",
    "version": 1,
}
MAX_PAGE_SIZE = 200


def _engine() -> Any:
    return AuditEvent._meta.db


async def _take_append_lock() -> None:
    if isinstance(_engine(), PostgresEngine):
        await AuditEvent.raw("SELECT pg_advisory_xact_lock({})", ADVISORY_LOCK_KEY)


async def _append(values: dict[str, Any]) -> dict[str, Any]:
    return (await _append_all([values]))[0]


async def _append_all(values: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chain events after the current head: one lock, one read, few multi-row inserts."""
    await _take_append_lock()
    last = (
        await AuditEvent.select(AuditEvent.sequence, AuditEvent.row_hash)
        .order_by(AuditEvent.sequence, ascending=False)
        .first()
    )
    sequence, previous = (last["sequence"], last["row_hash"]) if last else (0, GENESIS_HASH)
    now, key = dt.datetime.now(dt.UTC), audit_key()
    rows = []
    for value in values:
        sequence += 1
        row = {
            **value,
            "sequence": sequence,
            "at": now,
            "previous_hash": previous,
            "version": KEYED,
        }
        row["row_hash"] = previous = event_hash(row, key)
        rows.append(row)
    await insert_rows(
        AuditEvent,
        EVENT_INSERT,
        [[row.get(name, OPTIONAL.get(name)) for name in EVENT_NAMES] for row in rows],
        INSERT_BATCH,
    )
    return rows


async def record_changes(changes: Sequence[Change]) -> None:
    """Append one event per change, chained in order, in the caller's transaction."""
    for change in changes:
        policy.refuse_auditor_writes(change)
    await _append_all([policy.event_values(change) for change in changes])


async def record_change(change: Change) -> dict[str, Any]:
    """Append the event for ``change`` in the caller's transaction (or in a new one)."""
    policy.refuse_auditor_writes(change)
    values = policy.event_values(change)
    if _engine().transaction_exists():
        return await _append(values)
    async with write_transaction():
        return await _append(values)


@dataclass(frozen=True)
class AuditFilter:
    object_kind: str | None = None
    object_id: str | None = None  # the object's id or its label (a dataset's slug, say)
    actor: str | None = None  # a user id or an e-mail address
    organisation: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None  # exclusive


def _clauses(filters: AuditFilter) -> list[Any]:
    clauses: list[Any] = []
    if filters.object_kind:
        clauses.append(AuditEvent.object_kind == filters.object_kind)
    if filters.object_id:
        clauses.append(
            (AuditEvent.object_id == filters.object_id)
            | (AuditEvent.object_label == filters.object_id)
        )
    if filters.actor:
        if filters.actor.isdigit():
            clauses.append(AuditEvent.actor_id == int(filters.actor))
        else:
            clauses.append(AuditEvent.actor_email == filters.actor.strip().lower())
    if filters.organisation:
        clauses.append(AuditEvent.organisation == filters.organisation)
    if filters.since:
        clauses.append(AuditEvent.at >= filters.since)
    if filters.until:
        clauses.append(AuditEvent.at < filters.until)
    return clauses


def represent(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "sequence": row["sequence"],
        "at": row["at"].astimezone(dt.UTC).isoformat(),
        "actor": {
            "id": row["actor_id"],
            "name": row["actor"],
            "email": row["actor_email"] or None,
            "role": row["role"],
        },
        "organisation": row["organisation"] or None,
        "action": row["action"],
        "object": {
            "kind": row["object_kind"],
            "id": row["object_id"],
            "label": row["object_label"],
        },
        "diff": row["diff"],
        "details": row["details"],
        "reason": row["reason"],
        "previous_hash": row["previous_hash"],
        "hash": row["row_hash"],
        "version": row.get("version", 1),  # 1: unkeyed SHA-256, 2: keyed HMAC-SHA256
    }


async def list_events(
    filters: AuditFilter = AuditFilter(), page: int = 1, size: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of events, newest first, and how many match."""
    clauses = _clauses(filters)
    query = AuditEvent.select().output(load_json=True)
    count = AuditEvent.count()
    if clauses:
        query = query.where(*clauses)
        count = count.where(*clauses)
    rows = (
        await query.order_by(AuditEvent.sequence, ascending=False)
        .limit(size)
        .offset((page - 1) * size)
    )
    return [represent(row) for row in rows], await count


@dataclass(frozen=True)
class EventPage:
    """One page of events, newest first, and the sequences that lead to the pages around it."""

    items: list[dict[str, Any]]
    newer: int | None  # ask for events ``after`` this sequence, or None: this is the newest
    older: int | None  # ask for events ``before`` this sequence, or None: this is the oldest


async def _seek(
    clauses: list[Any], size: int, before: int | None = None, after: int | None = None
) -> list[dict[str, Any]]:
    """Up to ``size`` rows next to a sequence (newest first), by the index: never an offset."""
    query = AuditEvent.select().output(load_json=True)
    where = list(clauses)
    if before is not None:
        where.append(AuditEvent.sequence < before)
    if after is not None:
        where.append(AuditEvent.sequence > after)
    if where:
        query = query.where(*where)
    rows = await query.order_by(AuditEvent.sequence, ascending=after is not None).limit(size)
    return rows if after is None else rows[::-1]


async def seek_events(
    filters: AuditFilter = AuditFilter(),
    before: int | None = None,
    after: int | None = None,
    size: int = 50,
) -> EventPage:
    """The ``size`` matching events just older than ``before`` (or just newer than ``after``;
    neither: the newest), with keyset links to the neighbouring pages."""
    clauses = _clauses(filters)
    rows = await _seek(clauses, size + 1, before=before, after=after)
    if after is not None:
        more_newer, rows = len(rows) > size, rows[-size:]
        more_older = bool(rows) and bool(await _seek(clauses, 1, before=rows[-1]["sequence"]))
    else:
        more_older, rows = len(rows) > size, rows[:size]
        more_newer = bool(rows) and bool(await _seek(clauses, 1, after=rows[0]["sequence"]))
    return EventPage(
        [represent(row) for row in rows],
        rows[0]["sequence"] if rows and more_newer else None,
        rows[-1]["sequence"] if rows and more_older else None,
    )


async def iter_events(
    filters: AuditFilter = AuditFilter(), batch: int = VERIFY_BATCH
) -> AsyncIterator[dict[str, Any]]:
    """Every matching event, newest first, a batch at a time (for streaming a download)."""
    clauses, before = _clauses(filters), None
    while True:
        rows = await _seek(clauses, batch, before=before)
        for row in rows:
            yield represent(row)
        if len(rows) < batch:
            return
        before = rows[-1]["sequence"]


async def head() -> tuple[int, str]:
    """The newest event's sequence and hash (0 and the genesis hash for an empty log)."""
    last = (
        await AuditEvent.select(AuditEvent.sequence, AuditEvent.row_hash)
        .order_by(AuditEvent.sequence, ascending=False)
        .first()
    )
    return (last["sequence"], last["row_hash"]) if last else (0, GENESIS_HASH)


async def verify_chain(checkpoints: Sequence[Checkpoint] = ()) -> ChainStatus:
    """Recompute every hash in order, a batch at a time; the first broken link is named.

    Each checkpoint must be signed with the audit key, and the log must still hold its head
    at its count.
    """
    verifier = ChainVerifier(audit_key(), checkpoints)
    after = 0
    while True:
        rows = (
            await AuditEvent.select()
            .where(AuditEvent.sequence > after)
            .order_by(AuditEvent.sequence)
            .limit(VERIFY_BATCH)
            .output(load_json=True)
        )
        for row in rows:
            verifier.feed(row)
        if len(rows) < VERIFY_BATCH:
            return verifier.status()
        after = rows[-1]["sequence"]
