"""The audit log on a real database: every write leaves one chained, tamper-evident event."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from catalogue.audit.service import AuditFilter, list_events, verify_chain
from catalogue.audit.tables import AuditEvent
from catalogue.events import Change, _listeners
from tests.conftest import PROJECT_ROOT
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset

API = "/api/v1/audit"


def is_postgres() -> bool:
    return AuditEvent._meta.db.engine_type == "postgres"


async def run_sql(statement: str) -> None:
    await AuditEvent._meta.db.run_ddl(statement)


@contextlib.asynccontextmanager
async def triggers_off() -> AsyncIterator[None]:
    """Act behind the application's back, as an intruder with database access would (after
    switching the append-only triggers off), then switch the triggers back on."""
    if is_postgres():
        await run_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        try:
            yield
        finally:
            await run_sql("ALTER TABLE audit_event ENABLE TRIGGER USER")
        return
    from catalogue.audit.piccolo_migrations import audit_2026_11_24t09_13_43_290085 as update
    from catalogue.audit.piccolo_migrations import audit_2026_11_24t12_30_00_000000 as delete

    await run_sql("DROP TRIGGER audit_event_no_update")
    await run_sql("DROP TRIGGER audit_event_no_delete")
    try:
        yield
    finally:
        await run_sql(update.SQLITE_FORWARDS[0])
        await run_sql(delete.SQLITE_FORWARDS[0])


async def tamper(statement: str) -> None:
    async with triggers_off():
        await run_sql(statement)


@pytest.fixture
async def steward(client) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


@pytest.fixture
async def auditor(client) -> dict[str, str]:
    return await make_user("auditor@example.gov", global_role="auditor")


async def events(**filters: Any) -> list[dict[str, Any]]:
    items, _ = await list_events(AuditFilter(**filters), 1, 200)
    return items


async def test_the_seed_and_later_writes_form_an_intact_chain(seeded, client):
    status = await verify_chain()
    seeded_events = status.events
    assert status.ok and seeded_events >= 49 + 18  # every dataset and user at least
    kinds = {item["object"]["kind"] for item in await events()}
    assert {"organisation", "user"} <= kinds

    await make_user("new@example.gov", {"police": "steward"})
    status = await verify_chain()
    assert status.ok and status.events == seeded_events + 3  # user, role, token


async def test_a_dataset_write_records_who_what_and_the_changed_fields(client, steward):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=steward)
    response = await client.patch(
        "/api/v1/datasets/open-example",
        json={"title": {"en": "Better title"}},
        headers={**steward, "If-Match": '"1"'},
    )
    assert response.status_code == 200

    latest = (await events(object_kind="dataset", object_id="open-example"))[0]
    assert latest["action"] == "update"
    assert latest["actor"]["email"] == "steward@example.gov"
    assert latest["actor"]["role"] == "steward" and latest["organisation"] == PUBLISHER
    assert latest["diff"] == {"title.en": {"from": "Example open dataset", "to": "Better title"}}
    assert latest["details"] == {"revision": 2}
    assert latest["version"] == 2  # keyed with the audit key
    assert latest["object"]["id"] == response.json()["id"]


async def test_a_withdrawal_keeps_its_reason(client, steward):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=steward)
    await client.delete(
        "/api/v1/datasets/open-example?reason=Duplicate%20of%20another",
        headers={**steward, "If-Match": '"1"'},
    )
    latest = (await events(object_id="open-example"))[0]
    assert latest["action"] == "withdraw" and latest["reason"] == "Duplicate of another"


async def test_password_hashes_and_token_secrets_never_reach_the_log(client):
    headers = await make_user("ana@example.gov")
    token = headers["Authorization"].removeprefix("Bearer ")
    rows = await AuditEvent.select().output(load_json=True)
    text = repr(rows)
    assert token not in text and token[8:] not in text
    assert "argon2" not in text and "correct horse battery" not in text


async def test_the_audit_event_commits_or_rolls_back_with_the_write(client):
    async def fail_after_auditing(change: Change) -> None:
        if change.label == "doomed-agency":
            raise RuntimeError("the write fails after the audit event was added")

    _listeners.append(fail_after_auditing)  # runs after the audit listener
    try:
        with pytest.raises(RuntimeError):
            await make_organisation("doomed-agency")
    finally:
        _listeners.remove(fail_after_auditing)

    assert await events(object_id="doomed-agency") == []
    await make_organisation("lucky-agency")
    assert [e["action"] for e in await events(object_id="lucky-agency")] == ["create"]
    assert (await verify_chain()).ok


async def test_concurrent_writers_never_fork_the_chain(client):
    await make_organisation()
    await asyncio.gather(*(make_organisation(f"agency-{n}") for n in range(8)))
    status = await verify_chain()
    assert status.ok and status.events == 9
    sequences = [row["sequence"] for row in await AuditEvent.select(AuditEvent.sequence)]
    assert sorted(sequences) == list(range(1, 10))


async def test_the_database_refuses_to_change_an_event(client):
    await make_organisation()
    with pytest.raises(Exception, match="append-only"):
        await run_sql("UPDATE audit_event SET actor = 'nobody'")
    with pytest.raises(Exception, match="append-only"):
        await run_sql("DELETE FROM audit_event")
    with pytest.raises(Exception, match="append-only"):  # the newest event, where the chain
        await run_sql(
            "DELETE FROM audit_event WHERE sequence = (SELECT MAX(sequence) FROM audit_event)"
        )  # alone could not tell
    assert (await verify_chain()).ok


async def test_tampering_is_caught_and_the_broken_event_named(client, auditor):
    for n in range(5):
        await make_organisation(f"agency-{n}")
    target = (await events(object_id="agency-2"))[0]["sequence"]
    await tamper(f"UPDATE audit_event SET object_label = 'forged' WHERE sequence = {target}")

    status = await verify_chain()
    assert not status.ok and status.broken is not None
    assert status.broken.sequence == target and "altered" in status.broken.reason

    response = await client.get(f"{API}/verify", headers=auditor)
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert response.json()["first_broken"]["sequence"] == target


async def test_a_removed_event_is_caught(client):
    for n in range(4):
        await make_organisation(f"agency-{n}")
    await tamper("DELETE FROM audit_event WHERE sequence = 2")
    status = await verify_chain()
    assert status.broken is not None and status.broken.sequence == 3


async def test_auditors_and_administrators_read_the_log_and_others_do_not(client, steward, auditor):
    admin = await make_user("admin@example.gov", global_role="admin")
    assert (await client.get(API)).status_code == 401
    assert (await client.get(API, headers=steward)).status_code == 403
    assert (await client.get(f"{API}/verify", headers=steward)).status_code == 403
    for headers in (auditor, admin):
        body = (await client.get(API, headers=headers)).json()
        assert body["total"] >= 3 and body["page"] == 1
        verify = (await client.get(f"{API}/verify", headers=headers)).json()
        assert verify["ok"] is True and verify["events"] == body["total"]


async def test_the_log_filters_and_pages(client, steward, auditor):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=steward)
    body = (await client.get(f"{API}?kind=dataset", headers=auditor)).json()
    assert body["total"] == 1 and body["items"][0]["object"]["label"] == "open-example"
    mine = (await client.get(f"{API}?actor=steward@example.gov", headers=auditor)).json()
    assert [item["object"]["label"] for item in mine["items"]] == ["open-example"]

    page = (await client.get(f"{API}?size=2&page=2", headers=auditor)).json()
    everything = (await client.get(API, headers=auditor)).json()
    assert [i["sequence"] for i in page["items"]] == [
        i["sequence"] for i in everything["items"][2:4]
    ]
    future = (await client.get(f"{API}?since=2999-01-01", headers=auditor)).json()
    assert future["total"] == 0
    recent = (await client.get(f"{API}?since=2000-01-01T00:00:00Z", headers=auditor)).json()
    assert recent["total"] == everything["total"]


async def test_bad_filters_are_named(client, auditor):
    response = await client.get(f"{API}?since=yesterday", headers=auditor)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "since"
    response = await client.get(f"{API}?size=0", headers=auditor)
    assert response.status_code == 400


def catalogue(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogue", *args],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
async def three_events(db) -> AsyncIterator[None]:
    for n in range(3):
        await make_organisation(f"agency-{n}")
    yield


async def test_catalogue_audit_verify_exits_1_and_names_the_broken_event(three_events):
    intact = await asyncio.to_thread(catalogue, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "intact: 3 events" in intact.stdout

    await tamper("UPDATE audit_event SET reason = 'forged' WHERE sequence = 2")
    broken = await asyncio.to_thread(catalogue, "audit", "verify")
    assert broken.returncode == 1
    assert "BROKEN at event 2" in broken.stderr

    log = await asyncio.to_thread(catalogue, "audit", "log", "--kind", "organisation")
    assert log.returncode == 0 and "agency-2" in log.stdout
