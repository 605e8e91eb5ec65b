"""Values the columns cannot hold are a 4xx naming the field, the same on SQLite and on
PostgreSQL (which refuses them where SQLite would store them): found by tests/test_fuzz.py."""

from __future__ import annotations

import pytest

from catalogue.datasets.tables import IdentifierScheme
from tests.factories import make_user


@pytest.fixture
async def admin(client) -> dict[str, str]:
    return await make_user("admin@example.gov", global_role="admin")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tokens/2147483648",
        "/api/v1/tokens/492138087348",
        "/api/v1/tokens/0",
    ],
)
async def test_a_token_id_beyond_32_bits_is_a_400(client, admin, path):
    response = await client.delete(path, headers=admin)
    assert response.status_code == 400, response.text
    assert response.json()["problems"][0]["field"] == "token_id"


async def test_a_user_id_or_revision_beyond_32_bits_is_a_400(client, admin):
    response = await client.post(
        "/api/v1/users/99999999999/roles",
        headers=admin,
        json={"organisation": "x", "role": "steward"},
    )
    assert response.status_code == 400, response.text
    response = await client.get("/api/v1/datasets/some-dataset/history/2147483648")
    assert response.status_code == 400, response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "a" * 51, "label": "Too long a code"}, "code"),
        ({"code": "long-label", "label": "x" * 201}, "label"),
    ],
)
async def test_identifier_schemes_longer_than_their_columns_are_422(client, admin, body, field):
    response = await client.post("/api/v1/identifier-schemes", headers=admin, json=body)
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["problems"]] == [field]
    assert await IdentifierScheme.count() == 0


@pytest.mark.parametrize(("field", "limit"), [("email", 320), ("name", 300)])
async def test_a_user_longer_than_its_columns_is_422(client, admin, field, limit):
    body = {"email": "new@example.gov", "name": "New", "password": "long enough password"}
    body[field] = "x" * (limit + 1) if field == "name" else "x" * limit + "@example.gov"
    response = await client.post("/api/v1/users", headers=admin, json=body)
    assert response.status_code == 422, response.text
    assert field in [p["field"] for p in response.json()["problems"]]


async def test_a_token_name_longer_than_its_column_is_422(client, admin):
    response = await client.post("/api/v1/tokens", headers=admin, json={"name": "x" * 201})
    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"] == "name"
