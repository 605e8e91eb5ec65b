"""The hash chain and the event rules, as plain functions: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.accounts.principal import Principal
from catalogue.audit import policy
from catalogue.audit.chain import (
    GENESIS_HASH,
    canonical_json,
    canonical_time,
    event_hash,
    verify_rows,
)
from catalogue.errors import Forbidden
from catalogue.events import Change

AUDITOR = Principal(2, "Simona", "auditor@example.si", "auditor")
STEWARD = Principal(
    3, "Maja", "maja@example.si", "", {"statistical-office": frozenset({"steward"})}
)


def chain(length: int) -> list[dict]:
    rows, previous = [], GENESIS_HASH
    for sequence in range(1, length + 1):
        row = {
            "sequence": sequence,
            "at": dt.datetime(2026, 1, 1, 12, 0, sequence, tzinfo=dt.UTC),
            "actor": "Maja",
            "action": "update",
            "object_kind": "dataset",
            "object_id": f"id-{sequence}",
            "diff": {"title.en": {"from": "Old", "to": "Nový"}},
            "previous_hash": previous,
        }
        row["row_hash"] = previous = event_hash(row)
        rows.append(row)
    return rows


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
    status = verify_rows(rows)
    assert status.ok and status.events == 5 and status.head_hash == rows[-1]["row_hash"]
    assert verify_rows([]).as_dict() == {
        "ok": True,
        "events": 0,
        "head_hash": GENESIS_HASH,
        "first_broken": None,
    }


def test_an_altered_event_is_named():
    rows = chain(5)
    rows[2]["diff"] = {"title.en": {"from": "Old", "to": "Forged"}}
    status = verify_rows(rows)
    assert not status.ok and status.broken is not None
    assert status.broken.sequence == 3 and "altered" in status.broken.reason
    assert status.events == 5  # the rest was still counted


def test_a_rehashed_forgery_breaks_the_next_link():
    rows = chain(5)
    rows[2]["actor"] = "Someone else"
    rows[2]["row_hash"] = event_hash(rows[2])
    status = verify_rows(rows)
    assert status.broken is not None and status.broken.sequence == 4
    assert "previous_hash" in status.broken.reason


def test_a_removed_event_is_named():
    rows = chain(5)
    del rows[1]
    status = verify_rows(rows)
    assert status.broken is not None and status.broken.sequence == 3
    assert "removed" in status.broken.reason


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
