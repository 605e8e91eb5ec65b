"""The keyed hash chain of the audit log and its signed checkpoints: plain functions, no SQL.

Each event is hashed over a canonical JSON of its content, and that content includes the
hash of the event before it. Changing, removing, inserting or reordering any event therefore
breaks every later link, and :class:`ChainVerifier` names the first one.

Since version 2 the hash is an HMAC-SHA256 under a key kept outside the database, so someone
who can write to the database but does not hold the key can neither recompute the chain
after an edit nor append a believable event. Version 1 events (plain SHA-256, written before
the key existed) are accepted only as the beginning of the log: an unkeyed event after a
keyed one is a forgery.

A :class:`Checkpoint` (the head hash at a count, with the time, signed with the key) kept
elsewhere lets the verifier notice what the chain alone cannot: events removed from the end,
or the whole log emptied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``previous_hash`` of the first event."""

UNKEYED = 1
"""Version of events hashed with plain SHA-256 (before the audit key existed)."""
KEYED = 2
"""Version of events hashed with HMAC-SHA256 under the audit key: what is written now."""

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
"""Every column except the row's own hash, its version (keyed events add it) and the
database's surrogate key."""


def canonical_time(value: dt.datetime) -> str:
    """UTC with microseconds, so the same instant always hashes the same on every engine."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: one byte string per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version_of(row: Mapping[str, Any]) -> int:
    return int(row.get("version") or UNKEYED)


def hashed_content(row: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a row the hash covers, with the time in its canonical form."""
    content = {name: row.get(name) for name in HASHED_FIELDS}
    if isinstance(content["at"], dt.datetime):
        content["at"] = canonical_time(content["at"])
    if version_of(row) != UNKEYED:
        content["version"] = version_of(row)
    return content


def _subkey(key: bytes, purpose: str) -> bytes:
    """One key per use, so an event hash can never pass for a checkpoint signature."""
    return hmac.new(key, f"catalogue-audit:{purpose}".encode(), hashlib.sha256).digest()


def event_hash(row: Mapping[str, Any], key: bytes | None = None) -> str:
    """The hash of an event: keyed (HMAC-SHA256) for version 2, plain SHA-256 for version 1."""
    content = canonical_json(hashed_content(row)).encode("utf-8")
    if version_of(row) == UNKEYED:
        return hashlib.sha256(content).hexdigest()
    if not key:
        raise ValueError("keyed audit events need the audit key")
    return hmac.new(_subkey(key, "event"), content, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The log had ``events`` events ending in ``head_hash`` at ``at``; signed with the key."""

    events: int
    head_hash: str
    at: str
    signature: str = ""

    def payload(self) -> bytes:
        content = {"events": self.events, "head_hash": self.head_hash, "at": self.at}
        return canonical_json(content).encode("utf-8")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Checkpoint:
        """Raises ValueError for anything that is not a checkpoint."""
        try:
            events, head, at = value["events"], value["head_hash"], value["at"]
            signature = value["signature"]
        except (KeyError, TypeError):
            raise ValueError("a checkpoint has events, head_hash, at and signature") from None
        if not isinstance(events, int) or isinstance(events, bool) or events < 0:
            raise ValueError("a checkpoint's events is a count")
        if not all(isinstance(item, str) for item in (head, at, signature)):
            raise ValueError("a checkpoint's head_hash, at and signature are text")
        return cls(events, head, at, signature)


def sign_checkpoint(events: int, head_hash: str, at: dt.datetime, key: bytes) -> Checkpoint:
    unsigned = Checkpoint(events, head_hash, canonical_time(at))
    signature = hmac.new(_subkey(key, "checkpoint"), unsigned.payload(), hashlib.sha256)
    return Checkpoint(events, head_hash, unsigned.at, signature.hexdigest())


def is_genuine(checkpoint: Checkpoint, key: bytes) -> bool:
    expected = sign_checkpoint(
        checkpoint.events, checkpoint.head_hash, dt.datetime.fromisoformat(checkpoint.at), key
    )
    return hmac.compare_digest(expected.signature, checkpoint.signature)


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
    unkeyed_events: int = 0  # version 1 events at the start of the log
    checkpoints: int = 0  # checkpoints the log was checked against

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head_hash": self.head_hash,
            "unkeyed_events": self.unkeyed_events,
            "checkpoints": self.checkpoints,
            "first_broken": (
                {"sequence": self.broken.sequence, "reason": self.broken.reason}
                if self.broken
                else None
            ),
        }


class ChainVerifier:
    """Feed events in sequence order; it remembers the first broken link.

    Streaming, so verifying a long log needs memory for one batch only (and for the heads
    the checkpoints expect).
    """

    def __init__(self, key: bytes | None = None, checkpoints: Iterable[Checkpoint] = ()) -> None:
        self.key = key
        self.events = 0
        self.unkeyed = 0
        self.head_hash = GENESIS_HASH
        self.expected_sequence = 1
        self.broken: BrokenLink | None = None
        self.seen_keyed = False
        self.checkpoints = list(checkpoints)
        self.expected_heads = {point.events: point for point in self.checkpoints}
        for point in self.checkpoints:
            if point.events == 0 and point.head_hash != GENESIS_HASH:
                self._break(0, "a checkpoint of an empty log names a head: it is not ours")
            elif key is None or not is_genuine(point, key):
                self._break(0, f"the checkpoint of {point.at} is not signed with this audit key")

    def _break(self, sequence: int, reason: str) -> None:
        if self.broken is None:
            self.broken = BrokenLink(sequence, reason)

    def _check_link(self, row: Mapping[str, Any]) -> None:
        sequence = row["sequence"]
        if sequence != self.expected_sequence:
            self._break(
                sequence,
                f"expected event {self.expected_sequence} here, found event {sequence}: "
                "events were removed or inserted",
            )
        elif row["previous_hash"] != self.head_hash:
            self._break(
                sequence,
                f"its previous_hash does not match the hash of event {sequence - 1}: "
                "the chain was cut or rewritten here",
            )
        elif version_of(row) == UNKEYED:
            if self.seen_keyed:
                self._break(sequence, "an unkeyed event after keyed ones: it was forged")
            elif event_hash(row) != row["row_hash"]:
                self._break(sequence, "its content does not match its hash: the event was altered")
        elif version_of(row) != KEYED:
            self._break(sequence, f"unknown event version {version_of(row)}")
        elif self.key is None:
            self._break(sequence, "a keyed event, and no audit key to check it with")
        elif not hmac.compare_digest(event_hash(row, self.key), row["row_hash"]):
            self._break(
                sequence,
                "its content does not match its keyed hash: the event was altered or forged "
                "(or this is not the log's audit key)",
            )
        checkpoint = self.expected_heads.get(sequence)
        if checkpoint is not None and checkpoint.head_hash != row["row_hash"]:
            self._break(
                sequence,
                f"the checkpoint of {checkpoint.at} saw another event {sequence}: "
                "the log was rewritten up to here",
            )

    def feed(self, row: Mapping[str, Any]) -> None:
        self.events += 1
        if version_of(row) == UNKEYED and not self.seen_keyed:
            self.unkeyed += 1
        if self.broken is None:
            self._check_link(row)
        self.seen_keyed = self.seen_keyed or version_of(row) != UNKEYED
        self.head_hash = row["row_hash"]
        self.expected_sequence = row["sequence"] + 1

    def status(self) -> ChainStatus:
        for point in sorted(self.checkpoints, key=lambda point: point.events):
            if point.events > self.events:
                self._break(
                    self.events + 1,
                    f"the log has {self.events} events, but the checkpoint of {point.at} "
                    f"saw {point.events}: events were removed from the end (or all of them)",
                )
        return ChainStatus(
            self.broken is None,
            self.events,
            self.head_hash,
            self.broken,
            self.unkeyed,
            len(self.checkpoints),
        )


def verify_rows(
    rows: Iterable[Mapping[str, Any]],
    key: bytes | None = None,
    checkpoints: Iterable[Checkpoint] = (),
) -> ChainStatus:
    verifier = ChainVerifier(key, checkpoints)
    for row in rows:
        verifier.feed(row)
    return verifier.status()
