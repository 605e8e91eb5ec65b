"""Organisations and vocabularies: the reference data forms and clients need."""

from __future__ import annotations

from tests.factories import make_organisation, make_user


async def test_anyone_lists_and_reads_organisations(client):
    await make_organisation("tax-office", "NationalAuthority")
    listing = (await client.get("/api/v1/organisations")).json()
    assert [item["slug"] for item in listing["items"]] == ["tax-office"]
    one = await client.get("/api/v1/organisations/tax-office")
    assert one.json()["type"] == "NationalAuthority"
    assert (await client.get("/api/v1/organisations/nowhere")).status_code == 404


async def test_only_an_admin_creates_organisations(client):
    body = {
        "slug": "new-agency",
        "name": "New Agency",
        "type": "NationalAuthority",
        "homepage": "https://agency.example.gov",
    }
    assert (await client.post("/api/v1/organisations", json=body)).status_code == 401
    await make_organisation("tax-office")
    steward = await make_user("s@example.gov", {"tax-office": "steward"})
    assert (
        await client.post("/api/v1/organisations", json=body, headers=steward)
    ).status_code == 403
    admin = await make_user("a@example.gov", global_role="admin")
    created = await client.post("/api/v1/organisations", json=body, headers=admin)
    assert created.status_code == 201
    again = await client.post("/api/v1/organisations", json=body, headers=admin)
    assert again.status_code == 409


async def test_bad_organisations_are_refused_field_by_field(client):
    admin = await make_user("a@example.gov", global_role="admin")
    bad = {"slug": "Bad Slug", "name": "", "type": "Wizard", "homepage": "ftp://x"}
    response = await client.post("/api/v1/organisations", json=bad, headers=admin)
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["problems"]} == {"slug", "homepage"}
    unknown_type = {"slug": "ok-slug", "name": "OK", "type": "Wizard"}
    response = await client.post("/api/v1/organisations", json=unknown_type, headers=admin)
    assert [p["field"] for p in response.json()["problems"]] == ["type"]


async def test_a_steward_updates_their_own_organisation(client):
    await make_organisation("tax-office")
    steward = await make_user("s@example.gov", {"tax-office": "steward"})
    response = await client.put(
        "/api/v1/organisations/tax-office",
        headers=steward,
        json={"name": "Financial Administration", "email": "info@fu.example.gov"},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Financial Administration"


async def test_vocabularies_feed_the_forms(client):
    listing = (await client.get("/api/v1/vocabularies")).json()["items"]
    keys = {item["key"] for item in listing}
    assert {"themes", "licences", "purposes", "personal-data", "identifier-schemes"} <= keys
    themes = (await client.get("/api/v1/vocabularies/themes")).json()
    assert themes["total"] >= 13
    economy = next(c for c in themes["concepts"] if c["code"] == "ECON")
    assert economy["iri"] == "http://publications.europa.eu/resource/authority/data-theme/ECON"
    slovenian = (await client.get("/api/v1/vocabularies/themes", params={"lang": "sl"})).json()
    assert (
        next(c for c in slovenian["concepts"] if c["code"] == "ECON")["label"] != economy["label"]
    )
    found = (await client.get("/api/v1/vocabularies/personal-data", params={"q": "birth"})).json()
    assert "BirthDate" in {c["code"] for c in found["concepts"]}
    assert (await client.get("/api/v1/vocabularies/nonsense")).status_code == 404


async def test_an_admin_extends_the_identifier_schemes(client):
    admin = await make_user("a@example.gov", global_role="admin")
    scheme = {"code": "farm-id", "label": "Agricultural holding ID"}
    assert (await client.post("/api/v1/identifier-schemes", json=scheme)).status_code == 401
    created = await client.post("/api/v1/identifier-schemes", json=scheme, headers=admin)
    assert created.status_code == 201
    again = await client.post("/api/v1/identifier-schemes", json=scheme, headers=admin)
    assert again.status_code == 409
    codes = {
        row["code"] for row in (await client.get("/api/v1/identifier-schemes")).json()["items"]
    }
    assert codes == {"farm-id"}
    vocabulary = (await client.get("/api/v1/vocabularies/identifier-schemes")).json()
    assert [c["code"] for c in vocabulary["concepts"]] == ["farm-id"]


async def test_an_admin_manages_users_and_their_roles(client):
    await make_organisation("tax-office")
    admin = await make_user("a@example.gov", global_role="admin")
    steward = await make_user("s@example.gov")
    created = await client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "email": "New@Example.gov",
            "name": "New",
            "password": "long enough password",
            "roles": {"tax-office": "steward"},
        },
    )
    assert created.status_code == 201 and created.json()["email"] == "new@example.gov"
    bad_role = await client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "email": "x@example.gov",
            "name": "X",
            "password": "long enough password",
            "roles": {"tax-office": "king"},
        },
    )
    assert bad_role.status_code == 422
    users = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    assert {u["email"] for u in users} == {"a@example.gov", "s@example.gov", "new@example.gov"}
    assert (await client.get("/api/v1/users", headers=steward)).status_code == 403
    user_id = next(u["id"] for u in users if u["email"] == "s@example.gov")
    granted = await client.post(
        f"/api/v1/users/{user_id}/roles",
        headers=admin,
        json={"organisation": "tax-office", "role": "dpo"},
    )
    assert granted.status_code == 201
    me = (await client.get("/api/v1/users/me", headers=steward)).json()
    assert me["roles"] == {"tax-office": ["dpo"]}


async def test_a_name_longer_than_its_column_is_a_problem_not_a_failed_query(client):
    admin = await make_user("a@example.gov", global_role="admin")
    body = {"slug": "long-name", "name": "N" * 301}
    response = await client.post("/api/v1/organisations", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "name"
    assert (await client.get("/api/v1/organisations/long-name")).status_code == 404
