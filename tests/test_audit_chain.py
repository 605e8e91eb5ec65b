"""The hash chain and the event rules, as plain functions: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.accounts.principal import Principal
from catalogue.audit import policy
from catalogue.audit.chain import (
    GENESIS_HASH,
    KEYED,
    UNKEYED,
    Checkpoint,
    canonical_json,
    canonical_time,
    event_hash,
    sign_checkpoint,
    verify_rows,
)
from catalogue.errors import Forbidden
from catalogue.events import Change

AUDITOR = Principal(2, "Simona", "auditor@example.si", "auditor")
STEWARD = Principal(
    3, "Maja", "maja@example.si", "", {"statistical-office": frozenset({"steward"})}
)
KEY = b"the audit key, kept outside the database"
WRONG_KEY = b"a key an intruder made up"
NOW = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


def event(sequence: int, previous: str, version: int = KEYED, **content: object) -> dict:
    return {
        "sequence": sequence,
        "at": dt.datetime(2026, 1, 1, 12, 0, sequence, tzinfo=dt.UTC),
        "actor": "Maja",
        "action": "update",
        "object_kind": "dataset",
        "object_id": f"id-{sequence}",
        "diff": {"title.en": {"from": "Old", "to": "Nový"}},
        "previous_hash": previous,
        "version": version,
        **content,
    }


def seal(row: dict, key: bytes | None = KEY) -> dict:
    row["row_hash"] = event_hash(row, key)
    return row


def chain(length: int, key: bytes = KEY, start: list[dict] | None = None, **content) -> list[dict]:
    rows = list(start or [])
    for sequence in range(len(rows) + 1, len(rows) + length + 1):
        previous = rows[-1]["row_hash"] if rows else GENESIS_HASH
        rows.append(seal(event(sequence, previous, **content), key))
    return rows


def verify(rows: list[dict], *checkpoints: Checkpoint):
    return verify_rows(rows, KEY, checkpoints)


def checkpoint_of(rows: list[dict], key: bytes = KEY) -> Checkpoint:
    head = rows[-1]["row_hash"] if rows else GENESIS_HASH
    return sign_checkpoint(len(rows), head, NOW, key)


def test_canonical_json_is_the_same_whatever_the_key_order():
    assert (
        canonical_json({"b": 1, "a": "č"})
        == canonical_json({"a": "č", "b": 1})
        == '{"a":"č","b":1}'
    )


def test_the_same_instant_hashes_the_same_in_any_time_zone():
    utc = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    ljubljana = utc.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert canonical_time(utc) == canonical_time(ljubljana) == "2026-01-01T12:00:00.000000+00:00"


def test_an_untouched_chain_verifies_and_reports_its_head():
    rows = chain(5)
    status = verify(rows)
    assert status.ok and status.events == 5 and status.head_hash == rows[-1]["row_hash"]
    assert verify_rows([]).as_dict() == {
        "ok": True,
        "events": 0,
        "head_hash": GENESIS_HASH,
        "unkeyed_events": 0,
        "checkpoints": 0,
        "first_broken": None,
    }


def test_keyed_hashes_depend_on_the_key():
    row = event(1, GENESIS_HASH)
    assert event_hash(row, KEY) != event_hash(row, WRONG_KEY)
    with pytest.raises(ValueError):
        event_hash(row)


def test_an_altered_event_is_named():
    rows = chain(5)
    rows[2]["diff"] = {"title.en": {"from": "Old", "to": "Forged"}}
    status = verify(rows)
    assert not status.ok and status.broken is not None
    assert status.broken.sequence == 3 and "altered" in status.broken.reason
    assert status.events == 5  # the rest was still counted


def test_an_edit_with_the_chain_recomputed_without_the_key_is_caught():
    rows = chain(5)
    rows[2]["actor"] = "Someone else"
    for index in range(2, 5):  # the intruder rehashes from the edit on, with a key of theirs
        rows[index]["previous_hash"] = rows[index - 1]["row_hash"]
        seal(rows[index], WRONG_KEY)
    status = verify(rows)
    assert status.broken is not None and status.broken.sequence == 3
    assert "keyed hash" in status.broken.reason


def test_an_edit_rehashed_as_an_old_unkeyed_event_is_caught():
    rows = chain(5)
    rows[4]["actor"] = "Someone else"
    rows[4]["version"] = UNKEYED
    seal(rows[4], None)
    status = verify(rows)
    assert status.broken is not None and status.broken.sequence == 5
    assert "forged" in status.broken.reason


def test_a_forged_appended_event_is_caught():
    rows = chain(4)
    forged = chain(1, WRONG_KEY, start=rows, actor="Intruder")
    status = verify(forged)
    assert status.broken is not None and status.broken.sequence == 5


def test_a_removed_event_is_named():
    rows = chain(5)
    del rows[1]
    status = verify(rows)
    assert status.broken is not None and status.broken.sequence == 3
    assert "removed" in status.broken.reason


def test_unkeyed_events_from_before_the_key_are_accepted_at_the_start_only():
    legacy = [seal(event(1, GENESIS_HASH, UNKEYED), None)]
    legacy.append(seal(event(2, legacy[0]["row_hash"], UNKEYED), None))
    rows = chain(3, start=legacy)
    status = verify(rows)
    assert status.ok and status.unkeyed_events == 2 and status.events == 5

    legacy[1]["actor"] = "Someone else"  # the old part is still bound by the keyed events
    seal(legacy[1], None)
    assert verify(rows).broken is not None and verify(rows).broken.sequence == 3


def test_a_dropped_last_event_is_caught_against_a_checkpoint():
    rows = chain(5)
    checkpoint = checkpoint_of(rows)
    assert verify(rows, checkpoint).ok
    assert verify(rows[:-1]).ok  # the chain alone cannot tell
    status = verify(rows[:-1], checkpoint)
    assert status.broken is not None and "removed from the end" in status.broken.reason
    assert status.checkpoints == 1


def test_an_emptied_log_is_caught_against_a_checkpoint():
    status = verify([], checkpoint_of(chain(3)))
    assert not status.ok and "saw 3" in status.broken.reason


def test_a_log_rewritten_before_a_checkpoint_is_caught_even_with_the_key():
    rows = chain(5)
    checkpoint = checkpoint_of(rows[:3])
    rewritten = chain(5, actor="Someone else")  # by whoever holds the key, later
    status = verify(rewritten, checkpoint)
    assert status.broken is not None and status.broken.sequence == 3
    assert "checkpoint" in status.broken.reason
    assert verify(rows, checkpoint).ok  # the log grew after the checkpoint: fine


def test_a_checkpoint_not_signed_with_the_key_is_refused():
    rows = chain(3)
    forged = checkpoint_of(rows, WRONG_KEY)
    status = verify(rows, forged)
    assert status.broken is not None and "not signed" in status.broken.reason
    tampered = Checkpoint(
        2, rows[1]["row_hash"], checkpoint_of(rows).at, checkpoint_of(rows).signature
    )
    assert not verify(rows, tampered).ok


def test_a_checkpoint_reads_back_from_its_dict_and_junk_is_refused():
    checkpoint = checkpoint_of(chain(2))
    assert Checkpoint.from_dict(checkpoint.as_dict()) == checkpoint
    for junk in (
        {},
        {"events": "2", "head_hash": "", "at": "", "signature": ""},
        [],
        None,
        {"events": -1, "head_hash": "", "at": "", "signature": ""},
    ):
        with pytest.raises(ValueError):
            Checkpoint.from_dict(junk)


def test_secrets_never_reach_the_diff():
    change = Change(
        "user",
        "update",
        "7",
        "ana@example.si",
        before={"password_hash": "$argon2id$old", "name": "Ana"},
        after={"password_hash": "$argon2id$new", "name": "Ana Novak", "token": "cat_secret"},
    )
    diff = policy.diff_of(change)
    assert diff == {
        "name": {"from": "Ana", "to": "Ana Novak"},
        "token": {"from": None, "to": policy.REDACTED},
    }
    assert "argon2" not in canonical_json(policy.event_values(change))


def test_a_dataset_change_names_its_publisher_and_the_actors_role_there():
    change = Change(
        "dataset",
        "publish",
        "uuid-1",
        "census",
        STEWARD,
        before={"status": "draft", "organisational": {"publisher": "statistical-office"}},
        after={"status": "published", "organisational": {"publisher": "statistical-office"}},
        reason="ready",
        extra={"revision": 2},
    )
    values = policy.event_values(change)
    assert values["organisation"] == "statistical-office" and values["role"] == "steward"
    assert values["diff"] == {"status": {"from": "draft", "to": "published"}}
    assert values["details"] == {"revision": 2} and values["reason"] == "ready"
    assert values["actor_email"] == "maja@example.si"


def test_changes_without_an_actor_are_the_systems():
    values = policy.event_values(Change("organisation", "create", "u", "police", after={"a": 1}))
    assert values["actor"] == "system" and values["role"] == "system"
    assert values["organisation"] == "police" and values["actor_id"] is None


def test_auditors_may_change_their_tokens_and_nothing_else():
    policy.refuse_auditor_writes(Change("token", "create", "1", "", AUDITOR))
    for kind in ("dataset", "organisation", "user", "agreement"):
        with pytest.raises(Forbidden):
            policy.refuse_auditor_writes(Change(kind, "create", "1", "", AUDITOR))
    policy.refuse_auditor_writes(Change("dataset", "create", "1", "", STEWARD))


def test_only_auditors_and_administrators_read_the_log():
    admin = Principal(1, "Admin", "admin@example.si", "admin")
    assert policy.may_read_audit_log(admin) and policy.may_read_audit_log(AUDITOR)
    assert not policy.may_read_audit_log(STEWARD) and not policy.may_read_audit_log(None)
