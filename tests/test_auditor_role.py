"""The auditor (the data protection authority) reads everything and changes nothing.

Decision: an auditor may create and revoke their *own* API tokens (credentials to read the
API, not catalogue data; each is audited); every other write answers 403.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from catalogue.accounts.service import create_token, grant_role, user_id_for_email
from catalogue.accounts.tables import Membership
from catalogue.audit.service import AuditFilter, list_events
from catalogue.errors import Forbidden
from tests.conftest import PROJECT_ROOT
from tests.factories import open_dataset

AUDITOR_EMAIL = "auditor@information-commissioner.example.si"
SEED = PROJECT_ROOT / "seed"


async def sign_in(email: str) -> dict[str, str]:
    issued = await create_token(await user_id_for_email(email), "test")
    return {"Authorization": f"Bearer {issued.token}"}


def seed_agreement(status: str) -> dict[str, Any]:
    items = json.loads((SEED / "agreements.json").read_text())
    return next(item for item in items if item["status"] == status)


@pytest.fixture(scope="module")
async def demo() -> None:
    """The demo catalogue, loaded once for this module: its tests only read (and sign in)."""

    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture(scope="module")
async def api(demo: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


@pytest.fixture
async def auditor(demo: None) -> dict[str, str]:
    return await sign_in(AUDITOR_EMAIL)


async def test_an_auditor_cannot_register_change_or_withdraw_datasets(api, auditor):
    dataset = "/api/v1/datasets/census-microdata"
    attempts = [
        await api.post(
            "/api/v1/datasets", json=open_dataset(publisher="statistical-office"), headers=auditor
        ),
        await api.patch(
            dataset, json={"title": {"en": "Forged"}}, headers={**auditor, "If-Match": '"1"'}
        ),
        await api.put(
            dataset,
            json=(await api.get(dataset, headers=auditor)).json(),
            headers={**auditor, "If-Match": '"1"'},
        ),
        await api.delete(dataset, headers={**auditor, "If-Match": '"1"'}),
    ]
    assert [response.status_code for response in attempts] == [403, 403, 403, 403]
    assert (await api.get(dataset)).json()["title"]["en"] != "Forged"


async def test_an_auditor_cannot_create_or_change_organisations(api, auditor):
    created = await api.post(
        "/api/v1/organisations", json={"slug": "new-agency", "name": "New"}, headers=auditor
    )
    changed = await api.put(
        "/api/v1/organisations/information-commissioner",
        json={"name": "Renamed", "type": "NationalAuthority"},
        headers=auditor,
    )
    assert (created.status_code, changed.status_code) == (403, 403)


async def test_an_auditor_cannot_create_users(api, auditor):
    response = await api.post(
        "/api/v1/users",
        json={"email": "x@example.gov", "name": "X", "password": "long enough password"},
        headers=auditor,
    )
    assert response.status_code == 403


async def test_an_auditor_cannot_propose_or_decide_agreements(api, auditor):
    proposal = seed_agreement("approved")["agreement"]
    response = await api.post("/api/v1/agreements", json=proposal, headers=auditor)
    assert response.status_code == 403

    pending = seed_agreement("proposed")["reference"]
    approved = seed_agreement("approved")["reference"]
    for path, body in (
        (f"{pending}/review", {}),
        (f"{pending}/approve", {}),
        (f"{pending}/reject", {"reason": "no"}),
        (f"{approved}/suspend", {"reason": "no"}),
    ):
        response = await api.post(f"/api/v1/agreements/{path}", json=body, headers=auditor)
        assert response.status_code == 403, path
    patched = await api.patch(
        f"/api/v1/agreements/{pending}", json={"note": "x"}, headers={**auditor, "If-Match": '"1"'}
    )
    assert patched.status_code == 403


async def test_an_auditor_manages_only_their_own_tokens(api, auditor):
    created = await api.post("/api/v1/tokens", json={"name": "laptop"}, headers=auditor)
    assert created.status_code == 201
    token_id = created.json()["id"]
    assert (await api.delete(f"/api/v1/tokens/{token_id}", headers=auditor)).status_code == 200

    someone_else = await create_token(await user_id_for_email("admin@demo.example.si"), "x")
    response = await api.delete(f"/api/v1/tokens/{someone_else.id}", headers=auditor)
    assert response.status_code == 404


async def test_a_write_path_that_forgets_the_check_still_cannot_commit(api, auditor):
    """The audit listener refuses an auditor's change inside the transaction, so it rolls back."""
    from catalogue.accounts.service import principal_for_user

    auditor_id = await user_id_for_email(AUDITOR_EMAIL)
    principal = await principal_for_user(auditor_id)
    steward = await user_id_for_email("steward@police.example.si")
    before = await Membership.count()
    with pytest.raises(Forbidden):
        await grant_role(steward, "statistical-office", "steward", principal)
    assert await Membership.count() == before
    events, _ = await list_events(AuditFilter(actor=str(auditor_id), object_kind="user"), 1, 50)
    assert events == []  # the refused change left no trace but its absence


async def test_an_auditor_reads_every_dataset_agreement_assessment_and_the_log(api, auditor):
    datasets = (await api.get("/api/v1/datasets?size=100", headers=auditor)).json()
    assert datasets["total"] == len(list((SEED / "datasets").glob("*.json")))
    assert {item["status"] for item in datasets["items"]} >= {"draft", "published"}

    agreements = (await api.get("/api/v1/agreements?size=100", headers=auditor)).json()
    seeded_agreements = json.loads((SEED / "agreements.json").read_text())
    assert agreements["total"] == len(seeded_agreements)
    assert all(item["check"].get("outcome") for item in agreements["items"])
    assert {item["status"] for item in agreements["items"]} >= {"proposed", "rejected"}

    assert (await api.get("/api/v1/audit", headers=auditor)).status_code == 200
    assert (await api.get("/api/v1/ropa", headers=auditor)).status_code == 200
