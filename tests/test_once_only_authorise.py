"""The exchange layer asks before passing data on: allowed or refused with the reason, and
every answer in the audit log; the sign-in notice follows each decision at once."""

from __future__ import annotations

from typing import Any

from catalogue.audit.tables import AuditEvent
from tests.test_agreements_api import token_for

AUTHORISE = "/api/v1/agreements/authorise"
CHILD_BENEFIT = {
    "service": "child-benefit",
    "dataset": "central-population-register",
    "attributes": ["personal_id", "birth_date"],
}


async def _events() -> list[dict[str, Any]]:
    return (
        await AuditEvent.select(
            AuditEvent.action,
            AuditEvent.object_id,
            AuditEvent.reason,
            AuditEvent.actor_email,
            AuditEvent.details,
        )
        .where(AuditEvent.object_kind == "authorisation")
        .order_by(AuditEvent.sequence)
        .output(load_json=True)
    )


async def test_a_request_an_approved_agreement_covers_is_allowed_and_logged(seeded, client):
    labour = await token_for("steward@ministry-of-labour.example.si")
    response = await client.post(AUTHORISE, json=CHILD_BENEFIT, headers=labour)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["allowed"] is True
    assert answer["agreement"]["reference"] == "DUA-2024-001"
    assert answer["agreement"]["purpose"] == "SocialWelfareProvision"
    assert answer["agreement"]["legal_basis"] == "A6-1-e"
    assert answer["agreement"]["valid_until"] == "2028-12-31"
    [event] = await _events()
    assert event["action"] == "allow"
    assert event["actor_email"] == "steward@ministry-of-labour.example.si"
    assert event["details"]["attributes"] == ["personal_id", "birth_date"]


async def test_refusals_say_why_and_are_logged_too(seeded, client):
    labour = await token_for("steward@ministry-of-labour.example.si")
    cases = [
        ({**CHILD_BENEFIT, "attributes": ["personal_id", "surname"]}, "attributes_not_covered"),
        ({**CHILD_BENEFIT, "dataset": "vehicle-register"}, "no_agreement"),
        ({**CHILD_BENEFIT, "at": "2029-01-01"}, "expired"),
        ({**CHILD_BENEFIT, "at": "2023-06-01T10:00:00Z"}, "not_yet_valid"),
        (
            {
                "service": "anti-money-laundering-tax-checks",
                "dataset": "register-of-beneficial-owners",
                "attributes": ["owner_tax_number"],
            },
            "suspended",
        ),
    ]
    for body, code in cases:
        response = await client.post(AUTHORISE, json=body, headers=labour)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["allowed"] is False, body
        assert answer["code"] == code, answer
        assert answer["reason"]
    assert response.json()["code"] == "suspended"
    first = (await client.post(AUTHORISE, json=cases[0][0], headers=labour)).json()
    assert first["missing_attributes"] == ["surname"]
    events = await _events()
    assert [event["action"] for event in events] == ["refuse"] * 6
    assert "surname" in events[0]["reason"]


async def test_a_bad_request_names_each_field_and_anonymous_callers_are_refused(seeded, client):
    labour = await token_for("steward@ministry-of-labour.example.si")
    response = await client.post(
        AUTHORISE, json={"service": "", "attributes": "x", "at": "soon", "x": 1}, headers=labour
    )
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert fields == {"service", "dataset", "attributes", "at", "x"}
    assert (await client.post(AUTHORISE, json=CHILD_BENEFIT)).status_code == 401
    assert await _events() == []


async def test_the_notice_changes_as_soon_as_an_agreement_is_suspended(seeded, client):
    before = (await client.get("/notice/child-benefit.json")).json()
    assert {take["dataset_title"] for take in before["takes"]} >= {"Central Population Register"}
    dpo = await token_for("dpo@ministry-of-the-interior.example.si")
    from catalogue.agreements.records import find_record

    record = await find_record("DUA-2024-001")
    response = await client.post(
        f"/api/v1/agreements/{record.id}/suspend",
        json={"reason": "Checking the access logs."},
        headers=dpo,
    )
    assert response.status_code == 200, response.text
    after = (await client.get("/notice/child-benefit.json")).json()
    assert "Central Population Register" not in {t["dataset_title"] for t in after["takes"]}
    assert after["last_change"] >= before["last_change"]
    html = (await client.get("/notice/child-benefit")).text
    assert "Central Population Register" not in html
    listed = (await client.get("/api/v1/services/child-benefit")).json()
    assert {use["reference"] for use in listed["uses"]} == {"DUA-2024-002"}
    labour = await token_for("steward@ministry-of-labour.example.si")
    refused = (await client.post(AUTHORISE, json=CHILD_BENEFIT, headers=labour)).json()
    assert refused["code"] == "suspended"


async def test_the_index_can_be_rebuilt_from_the_tables(seeded, client):
    """What the migration does for a database made before the once-only tables."""
    from catalogue.onceonly.index import rebuild

    before = (await client.get("/register/central-population-register.json")).json()
    await rebuild(batch=7)
    after = (await client.get("/register/central-population-register.json")).json()
    assert after == before
