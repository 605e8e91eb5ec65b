"""Rewriting the audit log behind the application's back: every way fails ``audit verify``.

The intruder here has full write access to the database (they switch the append-only
triggers off) but not the audit key, which lives outside the database; the auditor keeps
signed checkpoints elsewhere.
"""

from __future__ import annotations

import asyncio
import dataclasses
import stat
from pathlib import Path
from typing import Any

import pytest

from catalogue.audit import checkpoints
from catalogue.audit.chain import GENESIS_HASH, KEYED, UNKEYED, event_hash
from catalogue.audit.service import verify_chain
from catalogue.audit.tables import AuditEvent
from catalogue.settings import get_settings, use_settings
from tests.factories import make_organisation, make_user
from tests.test_audit_log import catalogue, is_postgres, run_sql, tamper, triggers_off

WRONG_KEY = b"a key the intruder made up"


@pytest.fixture
async def four_events(db) -> None:
    for n in range(4):
        await make_organisation(f"agency-{n}")


async def rows() -> list[dict[str, Any]]:
    return await AuditEvent.select().order_by(AuditEvent.sequence).output(load_json=True)


async def rehash_from(sequence: int, key: bytes | None, **edit: Any) -> None:
    """Edit event ``sequence`` and recompute the chain from there on, as well as someone
    without the audit key can: with a key of their own, or as old unkeyed events."""
    async with triggers_off():
        previous = GENESIS_HASH
        for row in await rows():
            if row["sequence"] == sequence:
                row.update(edit)
            if row["sequence"] >= sequence:
                row["previous_hash"] = previous
                row["version"] = KEYED if key else UNKEYED
                row["row_hash"] = event_hash(row, key)
                await AuditEvent.update(
                    {
                        AuditEvent.previous_hash: row["previous_hash"],
                        AuditEvent.version: row["version"],
                        AuditEvent.row_hash: row["row_hash"],
                        **{getattr(AuditEvent, name): value for name, value in edit.items()},
                    }
                ).where(AuditEvent.sequence == row["sequence"])
            previous = row["row_hash"]


async def append_forged(key: bytes | None) -> None:
    """A believable event after the last one, hashed without the audit key."""
    last = (await rows())[-1]
    forged = {
        **{name: last[name] for name in last if name not in {"id", "row_hash"}},
        "sequence": last["sequence"] + 1,
        "previous_hash": last["row_hash"],
        "object_label": "forged-agency",
        "version": KEYED if key else UNKEYED,
    }
    forged["row_hash"] = event_hash(forged, key)
    await AuditEvent.insert(AuditEvent(**forged))


async def test_postgres_refuses_to_truncate_the_log(four_events):
    if not is_postgres():
        pytest.skip("SQLite has no TRUNCATE; its DELETE trigger refuses emptying the table")
    with pytest.raises(Exception, match="append-only: TRUNCATE"):
        await run_sql("TRUNCATE audit_event")
    assert (await verify_chain()).events == 4


@pytest.mark.parametrize("key", [WRONG_KEY, None], ids=["own-key", "unkeyed"])
async def test_an_edit_with_the_chain_recomputed_fails_without_the_key(four_events, key):
    await rehash_from(2, key, object_label="forged")
    status = await verify_chain()
    assert not status.ok and status.broken is not None and status.broken.sequence == 2


@pytest.mark.parametrize("key", [WRONG_KEY, None], ids=["own-key", "unkeyed"])
async def test_a_forged_appended_event_fails(four_events, key):
    await append_forged(key)
    status = await verify_chain()
    assert status.broken is not None and status.broken.sequence == 5


async def test_a_dropped_last_event_fails_against_a_checkpoint(four_events):
    checkpoint = await checkpoints.current_checkpoint()
    assert checkpoint.events == 4 and (await verify_chain([checkpoint])).ok
    await tamper("DELETE FROM audit_event WHERE sequence = 4")
    status = await verify_chain([checkpoint])
    assert status.broken is not None and "removed from the end" in status.broken.reason


async def test_the_log_grows_past_a_checkpoint_and_still_verifies(four_events):
    checkpoint = await checkpoints.current_checkpoint()
    await make_user("new@example.gov")
    status = await verify_chain([checkpoint])
    assert status.ok and status.events > 4 and status.checkpoints == 1


async def test_old_unkeyed_events_are_kept_and_bound_by_the_keyed_ones_after_them(db):
    """A log from before the audit key: its events stay version 1, new ones are keyed."""
    await make_organisation("agency-0")
    await rehash_from(1, None)  # as the old code wrote it: plain SHA-256
    await make_organisation("agency-1")
    status = await verify_chain()
    assert status.ok and status.unkeyed_events == 1 and status.events == 2
    assert [row["version"] for row in await rows()] == [UNKEYED, KEYED]

    await rehash_from(1, None, object_label="forged")  # the old part cannot be redone either
    assert (await verify_chain()).broken.sequence == 2


async def test_cli_checkpoint_then_an_emptied_log_fails_verify(four_events, tmp_path: Path):
    kept = tmp_path / "auditor-copy.jsonl"
    made = await asyncio.to_thread(catalogue, "audit", "checkpoint", "--out", str(kept))
    assert made.returncode == 0, made.stderr
    assert '"events": 4' in made.stdout and kept.is_file()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    intact = await asyncio.to_thread(catalogue, "audit", "verify", "--checkpoint", str(kept))
    assert intact.returncode == 0, intact.stderr
    assert "intact: 4 events" in intact.stdout and "1 checkpoint" in intact.stdout

    await tamper("TRUNCATE audit_event" if is_postgres() else "DELETE FROM audit_event")
    emptied = await asyncio.to_thread(catalogue, "audit", "verify", "--checkpoint", str(kept))
    assert emptied.returncode == 1
    assert "BROKEN" in emptied.stderr and "saw 4" in emptied.stderr


async def test_cli_refuses_a_file_that_is_not_a_checkpoint(four_events, tmp_path: Path):
    junk = tmp_path / "junk.jsonl"
    junk.write_text('{"events": 4}\n')
    result = await asyncio.to_thread(catalogue, "audit", "verify", "--checkpoint", str(junk))
    assert result.returncode == 2 and "junk.jsonl" in result.stderr
    assert "a checkpoint has events, head_hash, at and signature" in result.stderr


@pytest.fixture
def server_checkpoints():
    path = get_settings().audit_checkpoint_file
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)  # later tests empty the database; the file must go too


async def test_the_server_keeps_checkpoints_that_verify_uses(client, server_checkpoints: Path):
    auditor = await make_user("auditor@example.gov", global_role="auditor")
    for n in range(3):
        await make_organisation(f"agency-{n}")
    assert await checkpoints.write_periodic_checkpoint() is True
    assert await checkpoints.write_periodic_checkpoint() is False  # the head did not move
    assert len(server_checkpoints.read_text().splitlines()) == 1
    assert stat.S_IMODE(server_checkpoints.stat().st_mode) == 0o600

    verify = (await client.get("/api/v1/audit/verify", headers=auditor)).json()
    assert verify["ok"] is True and verify["checkpoints"] == 1

    await tamper("DELETE FROM audit_event WHERE sequence = (SELECT MAX(sequence) FROM audit_event)")
    verify = (await client.get("/api/v1/audit/verify", headers=auditor)).json()
    assert verify["ok"] is False and "removed from the end" in verify["first_broken"]["reason"]
    cli = await asyncio.to_thread(catalogue, "audit", "verify")
    assert cli.returncode == 1 and "removed from the end" in cli.stderr


async def test_auditors_fetch_a_signed_checkpoint_to_keep(client):
    auditor = await make_user("auditor@example.gov", global_role="auditor")
    steward = await make_user("someone@example.gov")
    assert (await client.get("/api/v1/audit/checkpoint", headers=steward)).status_code == 403
    body = (await client.get("/api/v1/audit/checkpoint", headers=auditor)).json()
    assert set(body) == {"events", "head_hash", "at", "signature"} and body["events"] >= 2
    assert (await verify_chain([checkpoints.Checkpoint.from_dict(body)])).ok


def test_the_audit_key_lives_outside_the_database_in_a_private_file():
    path = get_settings().data_dir / "audit_key"
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == get_settings().audit_key


async def test_the_server_signs_a_last_checkpoint_when_it_stops(four_events, server_checkpoints):
    original = get_settings()
    use_settings(dataclasses.replace(original, audit_checkpoint_seconds=3600))
    try:
        async with checkpoints.audit_lifespan():
            assert not server_checkpoints.exists()  # nothing until a tick or the stop
    finally:
        use_settings(original)
    (kept,) = checkpoints.read_checkpoints(server_checkpoints)
    assert kept.events == 4 and (await verify_chain([kept])).ok
