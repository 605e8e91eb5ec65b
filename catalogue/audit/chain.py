"""The hash chain of the audit log: plain functions, no SQL.

Each event is hashed (SHA-256) over a canonical JSON of its content, and that content
includes the hash of the event before it. Changing, removing, inserting or reordering any
event therefore breaks every later link, and :class:`ChainVerifier` names the first one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``previous_hash`` of the first event."""

HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor",
    "actor_email",
    "role",
    "organisation",
    "action",
    "object_kind",
    "object_id",
    "object_label",
    "diff",
    "details",
    "reason",
    "previous_hash",
)
"""Every column except the row's own hash (and the database's surrogate key)."""


def canonical_time(value: dt.datetime) -> str:
    """UTC with microseconds, so the same instant always hashes the same on every engine."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: one byte string per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def hashed_content(row: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a row the hash covers, with the time in its canonical form."""
    content = {name: row.get(name) for name in HASHED_FIELDS}
    if isinstance(content["at"], dt.datetime):
        content["at"] = canonical_time(content["at"])
    return content


def event_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(hashed_content(row)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    sequence: int
    reason: str


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    events: int
    head_hash: str
    broken: BrokenLink | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head_hash": self.head_hash,
            "first_broken": (
                {"sequence": self.broken.sequence, "reason": self.broken.reason}
                if self.broken
                else None
            ),
        }


class ChainVerifier:
    """Feed events in sequence order; it remembers the first broken link.

    Streaming, so verifying a long log needs memory for one batch only.
    """

    def __init__(self) -> None:
        self.events = 0
        self.head_hash = GENESIS_HASH
        self.expected_sequence = 1
        self.broken: BrokenLink | None = None

    def feed(self, row: Mapping[str, Any]) -> None:
        self.events += 1
        if self.broken is not None:
            return
        sequence = row["sequence"]
        if sequence != self.expected_sequence:
            self.broken = BrokenLink(
                sequence,
                f"expected event {self.expected_sequence} here, found event {sequence}: "
                "events were removed or inserted",
            )
        elif row["previous_hash"] != self.head_hash:
            self.broken = BrokenLink(
                sequence,
                f"its previous_hash does not match the hash of event {sequence - 1}: "
                "the chain was cut or rewritten here",
            )
        elif event_hash(row) != row["row_hash"]:
            self.broken = BrokenLink(
                sequence, "its content does not match its hash: the event was altered"
            )
        self.head_hash = row["row_hash"]
        self.expected_sequence = sequence + 1

    def status(self) -> ChainStatus:
        return ChainStatus(self.broken is None, self.events, self.head_hash, self.broken)


def verify_rows(rows: Iterable[Mapping[str, Any]]) -> ChainStatus:
    verifier = ChainVerifier()
    for row in rows:
        verifier.feed(row)
    return verifier.status()
