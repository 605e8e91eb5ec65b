""" "My API tokens" in a browser without JavaScript, and an administrator revoking anyone's.

A token is created with a name; its secret is shown on the answer page once and never again
(not in the list, not in its JSON twin); a revoked token stops working on the API at once.
"""

from __future__ import annotations

import re

import pytest

from catalogue.accounts.tables import ApiToken, User
from tests.test_admin_pages import ADMIN, JSON, STEWARD, error_beside, form_token, sign_in
from tests.test_agreements_pages import csrf

SECRET = re.compile(r'id="new-token" type="text" value="([^"]+)"')


@pytest.fixture
async def steward(client, seeded):
    await sign_in(client, STEWARD)
    return client


async def create(client, name: str) -> str:
    token = await form_token(client, "/account/tokens")
    response = await client.post("/account/tokens", data={"_csrf_token": token, "name": name})
    assert response.status_code == 201, response.text
    match = SECRET.search(response.text)
    assert match, "the answer page shows the secret"
    return match.group(1)


async def test_a_visitor_is_sent_to_sign_in(client, seeded):
    client.follow_redirects = False
    response = await client.get("/account/tokens")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/account/tokens"


async def test_the_secret_is_shown_once_and_never_again(steward):
    secret = await create(steward, "nightly export")
    assert (
        await steward.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
    ).json()["email"] == STEWARD
    listing = await steward.get("/account/tokens")
    assert "nightly export" in listing.text and secret[:8] in listing.text
    assert secret not in listing.text
    twin = await steward.get("/account/tokens", headers=JSON)
    assert [item["name"] for item in twin.json()["items"]] == ["nightly export"]
    assert secret not in twin.text
    row = await ApiToken.select(ApiToken.id).first()
    assert secret not in (await steward.get(f"/account/tokens/{row['id']}/revoke")).text


async def test_the_answer_page_warns_and_has_a_field_to_copy_from(steward):
    token = await form_token(steward, "/account/tokens")
    response = await steward.post("/account/tokens", data={"_csrf_token": token, "name": "ci"})
    assert "shown only this once" in response.text
    assert response.headers["cache-control"] == "no-store"  # no copy kept for the Back button
    assert re.search(r'<label for="new-token">', response.text)
    assert "readonly" in response.text


async def test_a_token_needs_a_name_and_nothing_is_stored_without_one(steward):
    token = await form_token(steward, "/account/tokens")
    response = await steward.post("/account/tokens", data={"_csrf_token": token, "name": "  "})
    assert response.status_code == 422
    assert error_beside(response.text, "name").startswith("Give the token a name")
    response = await steward.post("/account/tokens", data={"_csrf_token": token, "name": "x" * 201})
    assert response.status_code == 422
    assert error_beside(response.text, "name").startswith("The name is too long")
    assert 'value="' + "x" * 201 + '"' in response.text
    assert await ApiToken.count() == 0


async def test_a_revoked_token_stops_working_on_the_api(steward):
    secret = await create(steward, "to revoke")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await steward.get("/api/v1/users/me", headers=bearer)).status_code == 200
    token_id = (await ApiToken.select(ApiToken.id).first())["id"]
    confirm = await steward.get(f"/account/tokens/{token_id}/revoke")
    assert confirm.status_code == 200 and "Revoke the token" in confirm.text
    response = await steward.post(
        f"/account/tokens/{token_id}/revoke", data={"_csrf_token": csrf(confirm.text)}
    )
    assert response.status_code == 303
    assert (await steward.get("/api/v1/users/me", headers=bearer)).status_code == 401
    page = (await steward.get("/account/tokens")).text
    assert "The token “to revoke” is revoked." in page
    assert "revoked 20" in page


async def test_nobody_revokes_another_users_token_from_their_own_page(client, seeded):
    await sign_in(client, ADMIN)
    secret = await create(client, "admin's")
    token_id = (await ApiToken.select(ApiToken.id).first())["id"]
    await sign_in(client, STEWARD)
    assert (await client.get(f"/account/tokens/{token_id}/revoke")).status_code == 404
    token = await form_token(client, "/account/tokens")
    response = await client.post(f"/account/tokens/{token_id}/revoke", data={"_csrf_token": token})
    assert response.status_code == 404
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/v1/users/me", headers=bearer)).status_code == 200


async def test_an_admin_revokes_a_users_token_on_the_users_page(client, seeded):
    await sign_in(client, STEWARD)
    secret = await create(client, "steward's script")
    token_id = (await ApiToken.select(ApiToken.id).first())["id"]
    user_id = (await User.select(User.id).where(User.email == STEWARD).first())["id"]
    await sign_in(client, ADMIN)
    page = await client.get(f"/admin/users/{user_id}")
    assert "steward&#39;s script" in page.text and secret not in page.text
    twin = (await client.get(f"/admin/users/{user_id}", headers=JSON)).json()
    assert [t["name"] for t in twin["tokens"]] == ["steward's script"]
    response = await client.post(
        f"/admin/users/{user_id}/tokens/{token_id}/revoke", data={"_csrf_token": csrf(page.text)}
    )
    assert response.status_code == 303
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/v1/users/me", headers=bearer)).status_code == 401


async def test_a_steward_cannot_revoke_tokens_on_the_admin_page(client, seeded):
    await sign_in(client, ADMIN)
    secret = await create(client, "admin's")
    token_id = (await ApiToken.select(ApiToken.id).first())["id"]
    admin_id = (await User.select(User.id).where(User.email == ADMIN).first())["id"]
    await sign_in(client, STEWARD)
    token = await form_token(client, "/account/tokens")
    response = await client.post(
        f"/admin/users/{admin_id}/tokens/{token_id}/revoke", data={"_csrf_token": token}
    )
    assert response.status_code == 403
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/v1/users/me", headers=bearer)).status_code == 200


async def test_the_create_form_answers_json_clients_in_json(steward):
    token = await form_token(steward, "/account/tokens")
    response = await steward.post(
        "/account/tokens", data={"_csrf_token": token, "name": "json"}, headers=JSON
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "json" and len(body["token"]) > 20
    bearer = {"Authorization": f"Bearer {body['token']}"}
    assert (await steward.get("/api/v1/users/me", headers=bearer)).status_code == 200
