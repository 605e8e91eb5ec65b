"""Agreements over time: the seed, automatic expiry (on read, on list and by command), and
the change events the audit trail subscribes to."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from catalogue.agreements import service
from catalogue.agreements.records import find_record
from catalogue.events import Change, subscribe
from tests.conftest import PROJECT_ROOT
from tests.test_agreements_api import API, proposal, token_for


async def test_the_seed_loads_every_demo_agreement_once(seeded):
    from catalogue.agreements.tables import Agreement
    from catalogue.seed import load_seed
    from tests.conftest import PROJECT_ROOT

    statuses = {row["status"] for row in await Agreement.select(Agreement.status)}
    assert statuses == {"approved", "under_review", "rejected", "expired", "proposed", "suspended"}
    assert await Agreement.count() == 16
    report = await load_seed(PROJECT_ROOT / "seed")
    assert report.unchanged["agreements"] == 16 and "agreements" not in report.created
    assert await Agreement.count() == 16
    art89 = await find_record("DUA-2024-005")
    assert art89 is not None and art89.outcome == "presumed_compatible"
    assessed = await find_record("DUA-2024-011")
    assert assessed is not None and assessed.outcome == "needs_assessment"
    assert assessed.document.assessment is not None
    pending = await find_record("DUA-2025-007")
    assert pending is not None and pending.outcome == "needs_assessment"
    assert pending.status.value == "under_review"


async def _labour_principal():
    from catalogue.accounts.service import authenticate

    principal = await authenticate("steward@ministry-of-labour.example.si", "demo-password")
    assert principal is not None
    return principal


async def test_agreements_past_their_last_day_expire_when_listed(client, seeded):
    principal = await _labour_principal()
    ended = await service.propose(
        proposal(valid_from="2025-01-01", valid_until="2025-12-31"),
        principal,
        on=dt.date(2025, 1, 1),
    )
    running = await service.propose(proposal(), principal)
    labour = await token_for("steward@ministry-of-labour.example.si")

    listing = (
        await client.get(API, params={"consumer": "ministry-of-labour"}, headers=labour)
    ).json()
    states = {item["reference"]: item["status"] for item in listing["items"]}
    assert states[ended.reference] == "expired"
    assert states[running.reference] == "proposed"
    expired = await find_record(ended.reference)
    assert expired is not None
    assert expired.decisions[-1]["action"] == "expire" and expired.decisions[-1]["by"] == "system"


async def test_an_agreement_expires_when_read(client, seeded):
    principal = await _labour_principal()
    ended = await service.propose(
        proposal(valid_from="2025-01-01", valid_until="2025-06-30"),
        principal,
        on=dt.date(2025, 1, 1),
    )
    labour = await token_for("steward@ministry-of-labour.example.si")
    body = (await client.get(f"{API}/{ended.id}", headers=labour)).json()
    assert body["status"] == "expired" and body["revision"] == 2


async def test_expiry_is_deterministic_for_a_given_day(seeded):
    principal = await _labour_principal()
    record = await service.propose(proposal(valid_until="2031-05-31"), principal)
    assert record.reference not in await service.expire_due(dt.date(2031, 5, 31))  # last day counts
    later = await service.expire_due(dt.date(2031, 6, 1))
    assert record.reference in later
    assert await service.expire_due(dt.date(2031, 6, 1)) == []  # nothing left to do


async def test_the_expire_command(seeded):
    principal = await _labour_principal()
    record = await service.propose(proposal(valid_until="2030-01-31"), principal)
    command = [sys.executable, "-m", "catalogue", "agreements", "expire"]
    result = subprocess.run(
        [*command, "--today", "2030-02-01"],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert record.reference in result.stdout and "expired" in result.stdout
    again = subprocess.run(
        [*command, "--today", "2030-02-01"],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.stdout.startswith("0 agreement(s) expired")
    bad = subprocess.run(
        [*command, "--today", "tomorrow"],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0 and "tomorrow" in bad.stderr


async def test_every_write_announces_an_agreement_change(client, seeded):
    seen: list[Change] = []

    async def listener(change: Change) -> None:
        if change.kind == "agreement":
            seen.append(change)

    subscribe(listener)
    labour = await token_for("steward@ministry-of-labour.example.si")
    dpo = await token_for("dpo@ministry-of-the-interior.example.si")
    created = (await client.post(API, json=proposal(), headers=labour)).json()
    await client.post(f"{API}/{created['id']}/reject", json={"reason": "No law."}, headers=dpo)
    actions = [(c.action, c.object_id) for c in seen]
    assert actions == [("propose", created["id"]), ("reject", created["id"])]
    assert seen[1].reason == "No law." and seen[1].actor is not None
    assert seen[1].before["status"] == "proposed" and seen[1].after["status"] == "rejected"
    assert seen[1].extra["provider"] == "ministry-of-the-interior"
