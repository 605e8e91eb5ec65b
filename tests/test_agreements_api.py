"""The register of data use through the API: propose, check, review, decide, expire.

Runs on the demo catalogue: the child-benefit service of the Ministry of Labour reuses the
Central Population Register of the Ministry of the Interior.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from catalogue.accounts.service import authenticate, create_token
from tests.factories import changed

API = "/api/v1/agreements"
LAW = {
    "iri": "https://pisrs.example.si/eli/zakon/2014/ZSDP-1",
    "title": {"en": "Parental Protection and Family Benefits Act"},
}


async def token_for(email: str) -> dict[str, str]:
    principal = await authenticate(email, "demo-password")
    assert principal is not None, email
    issued = await create_token(principal.user_id, "test")
    return {"Authorization": f"Bearer {issued.token}"}


@pytest.fixture
async def labour(seeded, client) -> dict[str, str]:
    return await token_for("steward@ministry-of-labour.example.si")


@pytest.fixture
async def interior_dpo(seeded, client) -> dict[str, str]:
    return await token_for("dpo@ministry-of-the-interior.example.si")


def proposal(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "dataset": "central-population-register",
        "consumer": "ministry-of-labour",
        "service": {"title": {"en": "Parental allowance"}},
        "attributes": ["personal_id", "birth_date"],
        "needed_attributes": [
            {"name": "personal_id", "need": {"en": "Identifies the parent."}},
            {"name": "birth_date", "need": {"en": "The child's age decides the allowance."}},
        ],
        "purpose": {"code": "ServiceProvision", "text": {"en": "Decide on parental allowance."}},
        "legal_basis": "A6-1-e",
        "law": LAW,
        "valid_from": dt.date.today().isoformat(),
        "valid_until": (dt.date.today() + dt.timedelta(days=3 * 365)).isoformat(),
    }
    for path, value in changes.items():
        document = changed(document, path.replace("__", "."), value)
    return document


async def test_a_steward_proposes_and_the_check_result_is_stored(client, labour):
    response = await client.post(API, json=proposal(), headers=labour)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"{API}/{body['id']}"
    assert response.headers["etag"] == '"1"'
    assert body["status"] == "proposed"
    assert body["provider"] == "ministry-of-the-interior"
    assert body["check"]["outcome"] == "compatible"
    assert "compatible" in body["check"]["explanation"]

    read = await client.get(f"{API}/{body['id']}", headers=labour)
    assert read.json()["reference"] == body["reference"]
    assert (await client.get(f"{API}/{body['reference']}", headers=labour)).status_code == 200


async def test_a_proposal_with_problems_is_refused_naming_each_field(client, labour):
    bad = proposal(attributes=["birth_date", "shoe_size"], legal_basis="A6-1-f", law=None)
    response = await client.post(API, json=bad, headers=labour)
    assert response.status_code == 422
    fields = {(p["field"], p["code"]) for p in response.json()["problems"]}
    assert fields == {
        ("attributes[1]", "unknown_attribute"),
        ("legal_basis", "legitimate_interests_by_public_authority"),
    }
    assert await _count(client, labour) == 16  # nothing written


async def _count(client, headers) -> int:
    """Every stored agreement, whoever may see it (16 come with the demo catalogue)."""
    from catalogue.agreements.tables import Agreement

    return await Agreement.count()


async def test_open_datasets_need_no_agreement(client, labour):
    response = await client.post(
        API, json=proposal(dataset="population-by-municipality"), headers=labour
    )
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["field"] == "dataset" and problem["code"] == "open_dataset"
    assert "no agreement is needed" in problem["message"]


async def test_structural_problems_are_all_reported(client, labour):
    response = await client.post(API, json={"dataset": "x", "colour": "red"}, headers=labour)
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert {"colour", "consumer", "service", "purpose", "valid_from", "attributes"} <= fields


async def test_only_stewards_of_the_consumer_may_propose(client, seeded):
    maribor = await token_for("steward@city-of-maribor.example.si")
    assert (await client.post(API, json=proposal(), headers=maribor)).status_code == 403
    assert (await client.post(API, json=proposal())).status_code == 401


async def test_the_provider_reviews_and_approves(client, labour, interior_dpo):
    created = (await client.post(API, json=proposal(), headers=labour)).json()
    url = f"{API}/{created['id']}"
    # the consumer cannot approve its own proposal
    assert (await client.post(f"{url}/approve", headers=labour)).status_code == 403

    reviewed = await client.post(f"{url}/review", headers=interior_dpo)
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "under_review"
    approved = await client.post(
        f"{url}/approve", json={"reason": "The Act allows it."}, headers=interior_dpo
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved" and body["revision"] == 3
    assert [d["action"] for d in body["decisions"]] == ["review", "approve"]
    assert body["decisions"][1]["by"] == "Mojca Rozman"

    # decided agreements can no longer be edited, only suspended
    edit = await client.patch(url, json={"note": "late"}, headers={**labour, "If-Match": '"3"'})
    assert edit.status_code == 422 and edit.json()["problems"][0]["code"] == "not_editable"
    again = await client.post(f"{url}/reject", json={"reason": "x"}, headers=interior_dpo)
    assert again.status_code == 422
    assert again.json()["problems"][0]["code"] == "transition_not_allowed"
    suspended = await client.post(f"{url}/suspend", json={"reason": "Audit."}, headers=interior_dpo)
    assert suspended.json()["status"] == "suspended"


async def test_rejecting_and_suspending_need_a_reason(client, labour, interior_dpo):
    created = (await client.post(API, json=proposal(), headers=labour)).json()
    response = await client.post(f"{API}/{created['id']}/reject", json={}, headers=interior_dpo)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "reason"
    rejected = await client.post(
        f"{API}/{created['id']}/reject", json={"reason": "No law."}, headers=interior_dpo
    )
    assert rejected.json()["status"] == "rejected"


async def test_approval_of_a_new_purpose_needs_every_art_6_4_factor(client, labour, interior_dpo):
    fraud = proposal(purpose={"code": "FraudPreventionAndDetection", "text": {"en": "Checks"}})
    created = (await client.post(API, json=fraud, headers=labour)).json()
    assert created["check"]["outcome"] == "needs_assessment"
    url = f"{API}/{created['id']}/approve"

    refused = await client.post(
        url, json={"assessment": {"link": "Both concern benefits."}}, headers=interior_dpo
    )
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == [
        "assessment.context",
        "assessment.nature",
        "assessment.consequences",
        "assessment.safeguards",
    ]
    answers = {
        "link": "Both concern the same benefit.",
        "context": "Applicants are told their data is checked.",
        "nature": "No special categories.",
        "consequences": "A wrongly paid benefit may be reclaimed.",
        "safeguards": "Logged, encrypted queries.",
    }
    approved = await client.post(url, json={"assessment": answers}, headers=interior_dpo)
    assert approved.status_code == 200, approved.text
    assert approved.json()["assessment"]["consequences"].startswith("A wrongly")


async def test_a_proposal_is_changed_with_if_match_and_rechecked(client, labour):
    created = (await client.post(API, json=proposal(), headers=labour)).json()
    url = f"{API}/{created['id']}"
    more = {"attributes": ["personal_id", "birth_date", "sex"]}
    assert (await client.patch(url, json=more, headers=labour)).status_code == 428
    stale = await client.patch(url, json=more, headers={**labour, "If-Match": '"7"'})
    assert stale.status_code == 412 and stale.json()["current_revision"] == 1

    response = await client.patch(url, json=more, headers={**labour, "If-Match": '"1"'})
    assert response.status_code == 200
    body = response.json()
    assert response.headers["etag"] == '"2"'
    assert [f["code"] for f in body["check"]["findings"] if f["severity"] == "warning"] == [
        "beyond_stated_need"
    ]
    moved = await client.patch(
        url, json={"dataset": "criminal-records"}, headers={**labour, "If-Match": '"2"'}
    )
    assert moved.status_code == 422 and moved.json()["problems"][0]["code"] == "immutable"

    replaced = await client.put(url, json=proposal(), headers={**labour, "If-Match": '"2"'})
    assert replaced.status_code == 200 and replaced.json()["revision"] == 3


async def test_anonymous_readers_see_decided_agreements_only(client, seeded):
    public = (await client.get(API, params={"size": 100})).json()
    statuses = {item["status"] for item in public["items"]}
    assert statuses <= {"approved", "suspended", "expired"}
    assert public["total"] == 13
    assert (await client.get(f"{API}/DUA-2025-008")).status_code == 404  # rejected
    child = (await client.get(f"{API}/DUA-2024-001")).json()
    assert [d["action"] for d in child["decisions"]] == ["review", "approve"]
    assert all("by" not in d for d in child["decisions"])  # no names for the public
    auditor = await token_for("auditor@information-commissioner.example.si")
    assert (await client.get(API, headers=auditor)).json()["total"] == 16


async def test_the_list_filters_and_pages(client, labour):
    by_dataset = await client.get(
        API, params={"dataset": "central-population-register", "status": "approved"}
    )
    refs = {item["reference"] for item in by_dataset.json()["items"]}
    assert refs == {"DUA-2024-001", "DUA-2024-004", "DUA-2024-006"}
    by_consumer = (await client.get(API, params={"consumer": "statistical-office"})).json()
    assert by_consumer["total"] == 3
    by_provider = (await client.get(API, params={"provider": "financial-administration"})).json()
    assert by_provider["total"] == 4
    page = (await client.get(API, params={"size": 5, "page": 2})).json()
    assert (page["page"], page["size"], len(page["items"])) == (2, 5, 5)
    bad = await client.get(API, params={"status": "maybe"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "status"


async def test_the_dry_run_check_answers_without_saving(client, labour):
    response = await client.post(
        f"{API}/check", json=proposal(legal_basis="A6-1-a"), headers=labour
    )
    assert response.status_code == 200
    body = response.json()
    assert body["acceptable"] is True
    assert [f["code"] for f in body["findings"] if f["severity"] == "warning"] == [
        "consent_by_public_authority"
    ]
    assert await _count(client, labour) == 16
