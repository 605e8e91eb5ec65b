"""No request may cause a 500 or a partial write: bad input gets a 4xx naming the problem."""

from __future__ import annotations

import pytest

from catalogue.datasets.tables import Dataset, DatasetRevision
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset

API = "/api/v1/datasets"

BAD_BODIES = [
    [],
    "a string",
    {"slug": 5, "classification": None},
    {"slug": "x" * 500, "classification": "open"},
    {"slug": "ünïcode", "classification": "open"},
    {"slug": "ok-slug", "classification": "secret"},
    {"slug": "ok-slug", "classification": "open", "title": ["not", "a", "map"]},
    {"slug": "ok-slug", "classification": "open", "title": {"not a language": "x"}},
    {"slug": "ok-slug", "classification": "open", "technical": {"distributions": [None]}},
    {
        "slug": "ok-slug",
        "classification": "open",
        "technical": {"temporal": {"start": "2024-05-01", "end": "2020-01-01"}},
    },
    {
        "slug": "ok-slug",
        "classification": "personal",
        "legal": {"personal_data": {"retention": {"period": "ten years"}}},
    },
    {
        "slug": "ok-slug",
        "classification": "open",
        "organisational": {"contact_point": {"email": "not-an-email"}},
    },
    {"slug": "ok-slug", "classification": "open", "organisational": {"publisher": "nobody"}},
    {
        "slug": "ok-slug",
        "classification": "open",
        "technical": {"attributes": [{"name": "x", "data_type": "colour"}]},
    },
]


@pytest.fixture
async def steward(client) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
async def test_bad_bodies_are_4xx_with_a_reason_and_write_nothing(client, steward, body):
    response = await client.post(API, json=body, headers=steward)
    assert 400 <= response.status_code < 500, response.text
    payload = response.json()
    assert payload["detail"]
    if response.status_code == 422:
        assert all(p["field"] and p["message"] for p in payload["problems"])
    assert await Dataset.count() == 0 and await DatasetRevision.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"size": "1000"},
        {"size": "0"},
        {"status": "gone"},
        {"classification": "x"},
        {"theme": "'; DROP TABLE dataset; --"},
    ],
)
async def test_bad_list_parameters_are_400(client, query):
    response = await client.get(API, params=query)
    assert response.status_code in (200, 400), response.text
    if query.get("theme"):
        assert response.json()["total"] == 0
    else:
        assert response.status_code == 400


async def test_odd_requests_never_500(client, steward):
    await client.post(API, json=open_dataset(), headers=steward)
    url = f"{API}/open-example"
    cases = [
        client.patch(url, json=[1, 2], headers={**steward, "If-Match": '"1"'}),
        client.patch(
            url, json={"technical": None, "legal": "x"}, headers={**steward, "If-Match": '"1"'}
        ),
        client.put(url, json={"slug": "open-example"}, headers={**steward, "If-Match": 'W/"1"'}),
        client.delete(url, headers={**steward, "If-Match": "garbage"}),
        client.get(f"{API}/no-such-dataset/history"),
        client.get(f"{url}/history/999"),
        client.post(
            API,
            content=b"\xff\xfe not json",
            headers={**steward, "content-type": "application/json"},
        ),
        client.get("/api/v1/vocabularies/themes", params={"q": "x" * 300}),
        client.post("/api/v1/tokens", json={"email": 5}),
    ]
    for call in cases:
        response = await call
        assert 200 <= response.status_code < 500, response.text
    assert (await client.get(url, headers=steward)).json()["revision"] in (1, 2)
