"""``/api/v1/ropa`` on the demo catalogue: generated from datasets and approved agreements."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from catalogue.accounts.service import create_token, user_id_for_email
from tests.conftest import PROJECT_ROOT

API = "/api/v1/ropa"
SEED = PROJECT_ROOT / "seed"


async def sign_in(email: str) -> dict[str, str]:
    issued = await create_token(await user_id_for_email(email), "test")
    return {"Authorization": f"Bearer {issued.token}"}


def seed_datasets() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((SEED / "datasets").glob("*.json"))]


def approved_seed_agreements() -> list[dict[str, Any]]:
    personal = {d["slug"] for d in seed_datasets() if d["classification"] == "personal"}
    return [
        item
        for item in json.loads((SEED / "agreements.json").read_text())
        if item["status"] == "approved" and item["agreement"]["dataset"] in personal
    ]


def activities(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(c["organisation"], a) for c in body["controllers"] for a in c["activities"]]


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
    return await sign_in("auditor@information-commissioner.example.si")


async def test_every_published_personal_dataset_of_the_seed_is_recorded(api, auditor):
    response = await api.get(API, headers=auditor)
    assert response.status_code == 200
    registers = {
        a["dataset"]: (c, a) for c, a in activities(response.json()) if a["activity"] == "register"
    }
    published = [
        d
        for d in seed_datasets()
        if d["classification"] == "personal" and d["status"] == "published"
    ]
    assert published and {d["slug"] for d in published} <= set(registers)
    for document in published:
        controller, activity = registers[document["slug"]]
        stated = document["legal"]["personal_data"]
        assert controller == stated["controller"]["organisation"]
        assert [p["code"] for p in activity["purposes"]] == [p["code"] for p in stated["purposes"]]
        assert [b["code"] for b in activity["legal_bases"]] == stated["legal_bases"]
        assert activity["retention"]["period"] == stated["retention"]["period"]
    personal = {d["slug"] for d in seed_datasets() if d["classification"] == "personal"}
    assert set(registers) == personal  # drafts too (marked by their status); nothing else


async def test_labels_come_from_the_vocabularies_with_the_codes_beside_them(api, auditor):
    body = (await api.get(API, headers=auditor)).json()
    census = next(a for _, a in activities(body) if a["dataset"] == "census-microdata")
    assert {"code": "A6-1-e", "label": census["legal_bases"][0]["label"]} == census["legal_bases"][
        0
    ]
    assert census["legal_bases"][0]["label"] != "A6-1-e"
    subjects = {s["code"]: s["label"] for s in census["data_subjects"]}
    assert subjects["NonCitizen"] == "Non-Citizen"
    assert all(item["label"] for item in census["personal_data_categories"])
    assert census["dpo"]["email"] == "dpo@stat.example.si"
    assert census["transfers"]["third_countries"] == []


async def test_every_approved_use_is_a_recipient_and_the_consumers_own_activity(api, auditor):
    body = (await api.get(API, headers=auditor)).json()
    approved = approved_seed_agreements()
    assert len(approved) >= 5
    recorded = activities(body)
    for item in approved:
        agreement = item["agreement"]
        provider_side = next(
            a
            for _, a in recorded
            if a["activity"] == "register" and a["dataset"] == agreement["dataset"]
        )
        assert (agreement["consumer"], item["reference"]) in {
            (r["organisation"], r["agreement"]) for r in provider_side["recipients"]
        }
        reuse = [
            (c, a)
            for c, a in recorded
            if a["activity"] == "reuse" and a["source"]["agreement"] == item["reference"]
        ]
        assert len(reuse) == 1
        controller, activity = reuse[0]
        assert controller == agreement["consumer"]
        assert activity["purposes"][0]["code"] == agreement["purpose"]["code"]
        assert activity["legal_bases"][0]["code"] == agreement["legal_basis"]
    references = {a["source"]["agreement"] for _, a in recorded if a["activity"] == "reuse"}
    assert references == {item["reference"] for item in approved}  # not proposals or rejections


async def test_the_csv_has_one_row_per_activity_with_labels_and_codes(api, auditor):
    body = (await api.get(API, headers=auditor)).json()
    response = await api.get(f"{API}?format=csv", headers=auditor)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == body["total_activities"]
    census = next(r for r in rows if r["dataset"] == "census-microdata")
    assert census["legal_basis_codes"] == "A6-1-e" and census["legal_bases"] != "A6-1-e"
    assert "Citizen" in census["data_subject_codes"].split("; ")
    assert census["retention_period"] == "P50Y"

    negotiated = await api.get(API, headers={**auditor, "Accept": "text/csv"})
    assert negotiated.headers["content-type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(negotiated.text))) == rows


async def test_a_download_streamed_a_page_at_a_time_is_the_same_record(api, auditor, monkeypatch):
    """A national record is written a page of activities at a time (no worker held for it
    all); the pages join into the same document and the same rows."""
    from catalogue.ropa import service

    whole = (await api.get(API, headers=auditor)).json()
    whole_csv = (await api.get(f"{API}?format=csv", headers=auditor)).text
    monkeypatch.setattr(service, "DOWNLOAD_PAGE", 1)
    paged = (await api.get(API, headers=auditor)).json()
    for body in (whole, paged):
        del body["generated"]
    assert paged == whole and whole["total_activities"] > len(whole["controllers"]) > 1
    assert (await api.get(f"{API}?format=csv", headers=auditor)).text == whole_csv
    empty = await api.get(f"{API}?controller=no-such-body", headers=auditor)
    assert empty.json()["controllers"] == [] and empty.json()["total_activities"] == 0


async def test_one_controller_can_be_asked_for(api, auditor):
    body = (await api.get(f"{API}?controller=statistical-office", headers=auditor)).json()
    assert [c["organisation"] for c in body["controllers"]] == ["statistical-office"]
    kinds = {a["activity"] for a in body["controllers"][0]["activities"]}
    assert kinds == {"register", "reuse"}  # its census, and data it reuses from others


async def test_stewards_and_dpos_read_their_own_controllers_record_only(api, demo):
    dpo = await sign_in("dpo@ministry-of-the-interior.example.si")
    body = (await api.get(API, headers=dpo)).json()
    assert [c["organisation"] for c in body["controllers"]] == ["ministry-of-the-interior"]
    response = await api.get(f"{API}?controller=statistical-office", headers=dpo)
    assert response.status_code == 403

    steward = await sign_in("steward@statistical-office.example.si")
    response = await api.get(f"{API}?controller=statistical-office", headers=steward)
    assert response.status_code == 200


async def test_others_may_not_read_it(api, demo):
    from tests.factories import make_user

    nobody = await make_user("reader@example.gov")
    assert (await api.get(API)).status_code == 401
    assert (await api.get(API, headers=nobody)).status_code == 403


async def test_bad_parameters_are_named(api, auditor):
    response = await api.get(f"{API}?format=xml", headers=auditor)
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "format"
    response = await api.get(f"{API}?lang=de", headers=auditor)
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "lang"


async def test_labels_follow_the_language_asked_for(api, auditor):
    english = (await api.get(f"{API}?controller=statistical-office", headers=auditor)).json()
    slovene = (
        await api.get(f"{API}?controller=statistical-office&lang=sl", headers=auditor)
    ).json()
    names = {a["dataset"]: a["name"] for a in slovene["controllers"][0]["activities"]}
    assert names["census-microdata"] == "Mikropodatki registrskega popisa"
    assert len(slovene["controllers"][0]["activities"]) == len(
        english["controllers"][0]["activities"]
    )
