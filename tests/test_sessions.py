"""Browser sessions live on the server: a copied cookie dies with the session it belongs to.

Signing out, disabling the user, a new password and a change of roles each end sessions, so
replaying a cookie saved before gives an anonymous visitor, never the user.
"""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.accounts.sessions import SESSION_LIFETIME
from catalogue.accounts.tables import UserSession
from catalogue.ui.csrf import SESSION_COOKIE
from tests.factories import PUBLISHER, make_organisation, make_user
from tests.test_ui_steward_pages import csrf

EMAIL = "steward@example.gov"
PASSWORD = "correct horse battery"  # what tests.factories.make_user gives every user


@pytest.fixture
async def admin(client) -> dict[str, str]:
    client.follow_redirects = False
    await make_organisation()
    await make_organisation("other-agency")
    await make_user(EMAIL, {PUBLISHER: "steward"})
    return await make_user("admin@example.gov", global_role="admin")


async def sign_in(client, email: str = EMAIL, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session cookie, as a thief would copy it."""
    page = await client.get("/signin")
    response = await client.post(
        "/signin", data={"email": email, "password": password, "_csrf_token": csrf(page.text)}
    )
    assert response.status_code == 303, response.text
    return client.cookies[SESSION_COOKIE]


async def who(client, cookie: str) -> int:
    """The status of ``/api/v1/users/me`` for a request carrying only this cookie."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    return (await client.get("/api/v1/users/me")).status_code


async def steward_id(client, admin: dict[str, str]) -> int:
    users = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    return next(user["id"] for user in users if user["email"] == EMAIL)


async def test_a_cookie_copied_before_sign_out_no_longer_signs_anyone_in(client, admin):
    copied = await sign_in(client)
    assert await who(client, copied) == 200

    page = await client.get("/signout")
    assert (await client.post("/signout", data={"_csrf_token": csrf(page.text)})).status_code == 303

    assert await who(client, copied) == 401
    client.cookies.set(SESSION_COOKIE, copied)
    dashboard = await client.get("/dashboard")
    assert dashboard.status_code == 303 and dashboard.headers["location"].startswith("/signin")


async def test_signing_out_ends_only_that_session(client, admin):
    laptop = await sign_in(client)
    client.cookies.clear()
    phone = await sign_in(client)
    client.cookies.set(SESSION_COOKIE, laptop)
    page = await client.get("/signout")
    await client.post("/signout", data={"_csrf_token": csrf(page.text)})
    assert await who(client, laptop) == 401
    assert await who(client, phone) == 200


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"password": "a brand new passphrase"}, {"global_role": "auditor"}],
)
async def test_disabling_a_user_or_changing_their_password_or_role_ends_their_sessions(
    client, admin, change
):
    copied = await sign_in(client)
    user_id = await steward_id(client, admin)
    client.cookies.clear()
    response = await client.patch(f"/api/v1/users/{user_id}", json=change, headers=admin)
    assert response.status_code == 200, response.text
    assert await who(client, copied) == 401


async def test_a_new_password_works_and_the_old_one_does_not(client, admin):
    user_id = await steward_id(client, admin)
    new = "a brand new passphrase"
    await client.patch(f"/api/v1/users/{user_id}", json={"password": new}, headers=admin)
    page = await client.get("/signin")
    old = await client.post(
        "/signin", data={"email": EMAIL, "password": PASSWORD, "_csrf_token": csrf(page.text)}
    )
    assert old.status_code == 400
    assert await who(client, await sign_in(client, password=new)) == 200


async def test_a_disabled_user_cannot_sign_in_again(client, admin):
    user_id = await steward_id(client, admin)
    await client.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=admin)
    page = await client.get("/signin")
    response = await client.post(
        "/signin", data={"email": EMAIL, "password": PASSWORD, "_csrf_token": csrf(page.text)}
    )
    assert response.status_code == 400


async def test_granting_or_taking_away_a_role_ends_the_users_sessions(client, admin):
    user_id = await steward_id(client, admin)
    before_grant = await sign_in(client)
    client.cookies.clear()
    granted = await client.post(
        f"/api/v1/users/{user_id}/roles",
        json={"organisation": "other-agency", "role": "steward"},
        headers=admin,
    )
    assert granted.status_code == 201, granted.text
    assert await who(client, before_grant) == 401

    client.cookies.clear()
    before_revoke = await sign_in(client)
    client.cookies.clear()
    revoked = await client.delete(
        f"/api/v1/users/{user_id}/roles/other-agency/steward", headers=admin
    )
    assert revoked.status_code == 200, revoked.text
    assert await who(client, before_revoke) == 401
    me = await client.get("/api/v1/users/me", headers=admin)
    assert me.status_code == 200
    missing = await client.delete(
        f"/api/v1/users/{user_id}/roles/other-agency/steward", headers=admin
    )
    assert missing.status_code == 404


async def test_a_session_ends_after_its_lifetime_whatever_the_cookie_says(client, admin):
    copied = await sign_in(client)
    row = await UserSession.select(UserSession.created, UserSession.expires).first()
    assert row["expires"] - row["created"] == SESSION_LIFETIME
    expired = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    await UserSession.update({UserSession.expires: expired}, force=True)
    assert await who(client, copied) == 401


async def test_only_admins_change_users_and_bad_changes_are_named(client, admin):
    user_id = await steward_id(client, admin)
    steward = await make_user("other@example.gov", {PUBLISHER: "steward"})
    assert (
        await client.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=steward)
    ).status_code == 403
    response = await client.patch(
        f"/api/v1/users/{user_id}",
        json={"active": "no", "password": "short", "colour": "red", "global_role": "king"},
        headers=admin,
    )
    assert response.status_code in {400, 422}, response.text
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert fields == {"active", "colour"}
    response = await client.patch(
        f"/api/v1/users/{user_id}",
        json={"password": "short", "global_role": "king"},
        headers=admin,
    )
    assert {p["field"] for p in response.json()["problems"]} == {"password", "global_role"}
    missing = await client.patch("/api/v1/users/999999", json={"active": False}, headers=admin)
    assert missing.status_code == 404


async def test_a_user_change_is_audited_without_the_password(client, admin):
    from catalogue.audit.service import AuditFilter, list_events

    user_id = await steward_id(client, admin)
    await client.patch(
        f"/api/v1/users/{user_id}",
        json={"active": False, "password": "a brand new passphrase"},
        headers=admin,
    )
    items, _ = await list_events(AuditFilter(object_kind="user", object_id=str(user_id)), 1, 5)
    latest = items[0]
    assert latest["action"] == "update"
    assert latest["diff"]["active"] == {"from": True, "to": False}
    assert latest["diff"]["password"]["to"] == "[redacted]"
    assert "brand new" not in repr(items)


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/", "text/html"), ("/search?q=x", "text/html"), ("/catalog.ttl", "text/turtle")],
)
async def test_a_page_without_a_form_sets_no_cookie(client, admin, path, accept):
    """Crawlers, harvesters and first visits get no session: the CSRF token is made when a
    page first writes a form (``catalogue.ui.csrf.LazyCsrfToken``)."""
    client.cookies.clear()
    response = await client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


async def test_the_first_form_starts_the_session_its_token_belongs_to(client, admin):
    client.cookies.clear()
    page = await client.get("/signin")
    assert SESSION_COOKIE in page.headers["set-cookie"]
    token = csrf(page.text)
    again = await client.get("/signin")
    assert csrf(again.text) == token  # the same session, the same token
    assert await sign_in(client)
