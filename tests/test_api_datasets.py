"""The dataset API as a steward and an anonymous reader use it: status codes and revisions."""

from __future__ import annotations

import pytest

from tests.factories import (
    PUBLISHER,
    changed,
    closed_dataset,
    make_organisation,
    make_user,
    open_dataset,
    personal_dataset,
)

API = "/api/v1/datasets"


@pytest.fixture
async def steward(client) -> dict[str, str]:
    await make_organisation()
    await make_organisation("other-agency")
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


async def test_a_steward_registers_a_draft_and_reads_it_back(client, steward):
    response = await client.post(API, json=open_dataset(), headers=steward)
    assert response.status_code == 201
    assert response.headers["location"] == f"{API}/open-example"
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["revision"] == 1 and body["status"] == "draft"
    assert body["technical"]["distributions"][0]["id"]  # the server names each distribution

    read = await client.get(f"{API}/open-example", headers=steward)
    assert read.status_code == 200
    assert read.json()["title"]["en"] == "Example open dataset"


async def test_publishing_runs_the_rules_and_lists_every_problem(client, steward):
    incomplete = changed(
        changed(open_dataset(), "legal.licence", "CC_BYNC_4_0"), "semantic.themes", []
    )
    await client.post(API, json=incomplete, headers=steward)

    response = await client.patch(
        f"{API}/open-example", json={"status": "published"}, headers={**steward, "If-Match": '"1"'}
    )
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"legal.licence", "semantic.themes"}

    problems = await client.get(f"{API}/open-example/problems", headers=steward)
    assert problems.json()["publishable"] is False

    fixed = await client.patch(
        f"{API}/open-example",
        json={
            "status": "published",
            "legal": {"licence": "CC_BY_4_0"},
            "semantic": {"themes": ["GOVE"]},
        },
        headers={**steward, "If-Match": '"1"'},
    )
    assert fixed.status_code == 200
    assert fixed.json()["status"] == "published" and fixed.json()["issued"]


async def test_anonymous_readers_see_published_datasets_only(client, steward):
    await client.post(API, json={**open_dataset(), "status": "published"}, headers=steward)
    await client.post(API, json=closed_dataset(), headers=steward)  # a draft

    assert (await client.get(f"{API}/open-example")).status_code == 200
    assert (await client.get(f"{API}/closed-example")).status_code == 404
    listing = (await client.get(API)).json()
    assert [item["slug"] for item in listing["items"]] == ["open-example"]
    assert listing["total"] == 1

    mine = (await client.get(API, headers=steward)).json()
    assert mine["total"] == 2


async def test_the_list_filters_and_pages(client, steward):
    for index in range(3):
        await client.post(
            API, json={**open_dataset(f"open-{index}"), "status": "published"}, headers=steward
        )
    await client.post(API, json={**personal_dataset(), "status": "published"}, headers=steward)

    page = (await client.get(API, params={"size": 2, "page": 2})).json()
    assert (page["total"], page["page"], page["size"], len(page["items"])) == (4, 2, 2, 2)
    personal = (await client.get(API, params={"classification": "personal"})).json()
    assert [item["slug"] for item in personal["items"]] == ["personal-example"]
    by_theme = (await client.get(API, params={"theme": "GOVE", "publisher": PUBLISHER})).json()
    assert by_theme["total"] == 4
    assert (await client.get(API, params={"theme": "ECON"})).json()["total"] == 0

    bad = await client.get(API, params={"classification": "secret", "size": 0})
    assert bad.status_code == 400


async def test_a_duplicate_slug_is_a_conflict(client, steward):
    assert (await client.post(API, json=open_dataset(), headers=steward)).status_code == 201
    again = await client.post(API, json=open_dataset(), headers=steward)
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


async def test_bad_input_names_every_field_and_writes_nothing(client, steward):
    bad = open_dataset()
    bad["technical"]["distributions"][0]["access_url"] = "not a url"
    bad["technical"]["distributions"][0]["byte_size"] = -5
    bad["semantic"]["themes"] = ["NOT_A_THEME"]
    bad["legal"]["licnce"] = "typo"
    response = await client.post(API, json=bad, headers=steward)
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {
        "technical.distributions[0].access_url",
        "technical.distributions[0].byte_size",
        "legal.licnce",
    }

    unknown_code = changed(open_dataset(), "semantic.themes", ["NOT_A_THEME"])
    response = await client.post(API, json=unknown_code, headers=steward)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "semantic.themes[0]"
    assert (await client.get(API, headers=steward)).json()["total"] == 0


async def test_codes_may_be_sent_as_iris_and_are_stored_as_codes(client, steward):
    document = changed(
        open_dataset(),
        "semantic.themes",
        ["http://publications.europa.eu/resource/authority/data-theme/ECON"],
    )
    response = await client.post(API, json=document, headers=steward)
    assert response.json()["semantic"]["themes"] == ["ECON"]


async def test_writing_needs_a_token_of_a_steward_of_the_publisher(client, steward):
    assert (await client.post(API, json=open_dataset())).status_code == 401
    outsider = await make_user("outsider@example.gov", {"other-agency": "steward"})
    assert (await client.post(API, json=open_dataset(), headers=outsider)).status_code == 403
    admin = await make_user("admin@example.gov", global_role="admin")
    assert (await client.post(API, json=open_dataset(), headers=admin)).status_code == 201
    bogus = {"Authorization": "Bearer cat_not-a-real-token"}
    assert (await client.get(API, headers=bogus)).status_code == 401


async def test_edits_need_if_match_and_a_stale_revision_is_refused(client, steward):
    await client.post(API, json=open_dataset(), headers=steward)
    url = f"{API}/open-example"

    missing = await client.patch(url, json={"semantic": {"keywords": ["x"]}}, headers=steward)
    assert missing.status_code == 428

    first = await client.patch(
        url, json={"semantic": {"keywords": ["first"]}}, headers={**steward, "If-Match": '"1"'}
    )
    assert first.status_code == 200 and first.headers["etag"] == '"2"'

    stale = await client.patch(
        url, json={"semantic": {"keywords": ["second"]}}, headers={**steward, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current_revision"] == 2
    assert (await client.get(url, headers=steward)).json()["semantic"]["keywords"] == ["first"]


async def test_put_replaces_the_whole_document(client, steward):
    await client.post(API, json=open_dataset(), headers=steward)
    replacement = changed(open_dataset(), "title", {"en": "Replaced"})
    response = await client.put(
        f"{API}/open-example", json=replacement, headers={**steward, "If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.json()["title"] == {"en": "Replaced"}
    renamed = await client.put(
        f"{API}/open-example",
        json={**replacement, "slug": "other"},
        headers={**steward, "If-Match": '"2"'},
    )
    assert renamed.status_code == 422


async def test_delete_withdraws_and_keeps_the_history(client, steward):
    await client.post(API, json={**open_dataset(), "status": "published"}, headers=steward)
    url = f"{API}/open-example"
    await client.patch(
        url,
        json={"version": None, "semantic": {"keywords": ["a"]}},
        headers={**steward, "If-Match": '"1"'},
    )
    withdrawn = await client.delete(url, headers={**steward, "If-Match": '"2"'})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"

    assert (await client.get(url)).status_code == 404  # gone for the public
    history = (await client.get(f"{url}/history", headers=steward)).json()["items"]
    assert [(h["revision"], h["action"]) for h in history] == [
        (3, "withdraw"),
        (2, "update"),
        (1, "create"),
    ]
    assert history[1]["changes"] == {"semantic.keywords": {"from": ["example"], "to": ["a"]}}
    assert history[0]["actor"] == "steward"
    old = (await client.get(f"{url}/history/1", headers=steward)).json()
    assert old["document"]["semantic"]["keywords"] == ["example"]


async def test_internal_notes_are_for_editors_only(client, steward):
    document = {**open_dataset(), "status": "published", "internal_note": "ask Ana first"}
    await client.post(API, json=document, headers=steward)
    assert (await client.get(f"{API}/open-example", headers=steward)).json()[
        "internal_note"
    ] == "ask Ana first"
    assert "internal_note" not in (await client.get(f"{API}/open-example")).json()


async def test_a_revoked_token_no_longer_works(client, steward):
    tokens = (await client.get("/api/v1/tokens", headers=steward)).json()["items"]
    assert len(tokens) == 1 and "token" not in tokens[0]
    revoked = await client.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=steward)
    assert revoked.status_code == 200
    assert (await client.get(API, headers=steward)).status_code == 401


async def test_a_token_is_issued_for_email_and_password_and_shown_once(client, steward):
    wrong = await client.post(
        "/api/v1/tokens", json={"email": "steward@example.gov", "password": "nope"}
    )
    assert wrong.status_code == 401
    issued = await client.post(
        "/api/v1/tokens",
        json={"email": "steward@example.gov", "password": "correct horse battery", "name": "ci"},
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["roles"] == {PUBLISHER: ["steward"]}


async def test_concurrent_creates_of_one_slug_give_one_dataset_and_conflicts(client, steward):
    import asyncio

    responses = await asyncio.gather(
        *[client.post(API, json=open_dataset(), headers=steward) for _ in range(5)]
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]


async def test_concurrent_edits_of_one_revision_let_exactly_one_win(client, steward):
    import asyncio

    await client.post(API, json=open_dataset(), headers=steward)
    responses = await asyncio.gather(
        *[
            client.patch(
                f"{API}/open-example",
                json={"semantic": {"keywords": [f"k{i}"]}},
                headers={**steward, "If-Match": '"1"'},
            )
            for i in range(4)
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 412, 412, 412]
    history = (await client.get(f"{API}/open-example/history", headers=steward)).json()
    assert [entry["revision"] for entry in history["items"]] == [2, 1]
