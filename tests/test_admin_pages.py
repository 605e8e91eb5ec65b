"""The administrators' pages in a browser without JavaScript: users and their roles,
organisations, identifier schemes, and the administration index.

Each page does what its API does, through the same service: an administrator can do every
action, a steward gets the 403 page, a visitor is sent to sign in, a bad input is shown beside
its field with nothing stored, and every page has a JSON twin.
"""

from __future__ import annotations

import re

import pytest

from catalogue.accounts.tables import Membership, User
from catalogue.datasets.tables import IdentifierScheme
from catalogue.organisations.tables import Organisation
from tests.test_agreements_pages import csrf

ADMIN = "admin@demo.example.si"
AUDITOR = "auditor@information-commissioner.example.si"
STEWARD = "steward@statistical-office.example.si"
JSON = {"Accept": "application/json"}


async def sign_in(client, email: str) -> None:
    client.follow_redirects = False
    client.cookies.clear()
    page = await client.get("/signin")
    response = await client.post(
        "/signin",
        data={"email": email, "password": "demo-password", "_csrf_token": csrf(page.text)},
    )
    assert response.status_code == 303, response.text


async def form_token(client, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return csrf(page.text)


def error_beside(page: str, field: str) -> str:
    """The message shown in the field's own error line (empty when there is none)."""
    match = re.search(rf'id="f-{field}-error"><strong>[^<]*</strong> ([^<]*)</p>', page)
    return match.group(1) if match else ""


@pytest.fixture
async def as_admin(client, seeded):
    await sign_in(client, ADMIN)
    return client


ADMIN_PAGES = [
    "/admin",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/1",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/statistical-office/edit",
    "/admin/identifier-schemes",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_a_visitor_is_sent_to_sign_in(client, seeded, path):
    client.follow_redirects = False
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/signin?next={path}"


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_a_steward_gets_the_403_page(client, seeded, path):
    await sign_in(client, STEWARD)
    response = await client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 403
    assert "may not see or change this" in response.text


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_every_admin_page_has_its_json_twin(as_admin, path):
    response = await as_admin.get(path, headers=JSON)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json(), dict)
    linked = await as_admin.get(f"{path}?format=json")
    assert linked.json() == response.json()


async def test_the_index_links_every_administration_page(as_admin):
    page = (await as_admin.get("/admin")).text
    for href in (
        "/admin/users",
        "/admin/organisations",
        "/admin/identifier-schemes",
        "/harvest/sources",
        "/admin/webhooks",
    ):
        assert f'href="{href}"' in page
    assert 'href="/admin"' in page  # the navigation's "Administration" item


async def test_administration_is_in_the_navigation_of_admins_only(client, seeded):
    await sign_in(client, STEWARD)
    page = (await client.get("/")).text
    assert 'href="/admin"' not in page
    assert 'href="/account/tokens"' in page


async def test_an_auditor_reads_the_users_list_but_changes_nothing(client, seeded):
    await sign_in(client, AUDITOR)
    page = await client.get("/admin/users")
    assert page.status_code == 200
    assert ADMIN in page.text and "/admin/users/new" not in page.text
    assert (await client.get("/admin/users/new")).status_code == 403


async def test_the_users_list_goes_page_by_page_in_email_order(as_admin):
    from catalogue.accounts import user_pages

    first = (await as_admin.get("/admin/users", headers=JSON)).json()
    emails = [user["email"] for user in first["items"]]
    assert emails == sorted(emails) and first["next"] is None
    original = user_pages.PAGE_SIZE
    user_pages.PAGE_SIZE = 2
    try:
        seen, url = [], "/admin/users"
        while url:
            body = (await as_admin.get(url, headers=JSON)).json()
            assert len(body["items"]) <= 2
            seen += [user["email"] for user in body["items"]]
            url = body["next"]
        assert seen == emails
        page = (await as_admin.get("/admin/users")).text
        assert 'rel="next"' in page
    finally:
        user_pages.PAGE_SIZE = original


async def test_an_admin_creates_a_user_with_a_role_and_the_user_can_sign_in(as_admin):
    token = await form_token(as_admin, "/admin/users/new")
    response = await as_admin.post(
        "/admin/users/new",
        data={
            "_csrf_token": token,
            "email": "New.Steward@Tax.example.si",
            "name": "Nina Novak",
            "password": "a-long-password",
            "global_role": "",
            "organisation": "financial-administration",
            "role": "steward",
        },
    )
    assert response.status_code == 303
    user = await User.select().where(User.email == "new.steward@tax.example.si").first()
    assert user is not None and user["name"] == "Nina Novak"
    assert response.headers["location"] == f"/admin/users/{user['id']}"
    detail = (await as_admin.get(f"/admin/users/{user['id']}", headers=JSON)).json()
    assert detail["roles"] == {"financial-administration": ["steward"]}
    assert (
        "User new.steward@tax.example.si created."
        in (await as_admin.get(f"/admin/users/{user['id']}")).text
    )

    as_admin.cookies.clear()
    page = await as_admin.get("/signin")
    signed = await as_admin.post(
        "/signin",
        data={
            "email": "new.steward@tax.example.si",
            "password": "a-long-password",
            "_csrf_token": csrf(page.text),
        },
    )
    assert signed.status_code == 303


async def test_a_duplicate_email_is_shown_beside_the_field_and_nothing_is_stored(as_admin):
    before = await User.count()
    token = await form_token(as_admin, "/admin/users/new")
    response = await as_admin.post(
        "/admin/users/new",
        data={
            "_csrf_token": token,
            "email": STEWARD.upper(),
            "name": "Someone Else",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 422
    assert error_beside(response.text, "email") == "A user with this e-mail address already exists."
    assert 'value="Someone Else"' in response.text  # what was typed is kept
    assert "a-long-password" not in response.text  # but never the password
    assert await User.count() == before


async def test_bad_fields_of_a_new_user_are_each_shown_beside_it(as_admin):
    before = await User.count()
    token = await form_token(as_admin, "/admin/users/new")
    response = await as_admin.post(
        "/admin/users/new",
        data={"_csrf_token": token, "email": "not an address", "name": "X", "password": "short"},
    )
    assert response.status_code == 422
    assert error_beside(response.text, "email").startswith("Enter an e-mail address")
    assert error_beside(response.text, "password") == (
        "The password must be at least 10 characters long."
    )
    assert await User.count() == before


async def test_the_pages_speak_slovenian(as_admin):
    token = await form_token(as_admin, "/admin/users/new")
    response = await as_admin.post(
        "/admin/users/new?lang=sl",
        data={"_csrf_token": token, "email": STEWARD, "name": "X", "password": "a-long-password"},
    )
    assert response.status_code == 422
    assert 'lang="sl"' in response.text
    assert error_beside(response.text, "email") == "Uporabnik s tem e-naslovom že obstaja."
    assert "Nov uporabnik" in response.text


async def test_an_admin_gives_and_takes_away_a_role(as_admin):
    user_id = (await User.select(User.id).where(User.email == STEWARD).first())["id"]
    token = await form_token(as_admin, f"/admin/users/{user_id}")
    response = await as_admin.post(
        f"/admin/users/{user_id}/roles",
        data={"_csrf_token": token, "organisation": "tax-office-x", "role": "dpo"},
    )
    assert response.status_code == 422
    assert error_beside(response.text, "organisation") == "There is no such organisation."
    response = await as_admin.post(
        f"/admin/users/{user_id}/roles",
        data={"_csrf_token": token, "organisation": "statistical-office", "role": "dpo"},
    )
    assert response.status_code == 303
    detail = (await as_admin.get(f"/admin/users/{user_id}", headers=JSON)).json()
    assert detail["roles"] == {"statistical-office": ["dpo", "steward"]}
    response = await as_admin.post(
        f"/admin/users/{user_id}/roles/remove",
        data={"_csrf_token": token, "organisation": "statistical-office", "role": "dpo"},
    )
    assert response.status_code == 303
    detail = (await as_admin.get(f"/admin/users/{user_id}", headers=JSON)).json()
    assert detail["roles"] == {"statistical-office": ["steward"]}


async def test_a_disabled_user_cannot_sign_in_until_enabled(as_admin):
    user_id = (await User.select(User.id).where(User.email == STEWARD).first())["id"]
    token = await form_token(as_admin, f"/admin/users/{user_id}")
    response = await as_admin.post(
        f"/admin/users/{user_id}/active", data={"_csrf_token": token, "active": "0"}
    )
    assert response.status_code == 303
    assert (await as_admin.get(f"/admin/users/{user_id}", headers=JSON)).json()["active"] is False
    assert "Enable this user" in (await as_admin.get(f"/admin/users/{user_id}")).text
    await as_admin.post(
        f"/admin/users/{user_id}/active", data={"_csrf_token": token, "active": "1"}
    )
    assert (await as_admin.get(f"/admin/users/{user_id}", headers=JSON)).json()["active"] is True


async def test_an_admin_cannot_disable_themself(as_admin):
    admin_id = (await User.select(User.id).where(User.email == ADMIN).first())["id"]
    token = await form_token(as_admin, f"/admin/users/{admin_id}")
    assert "Disable this user" not in (await as_admin.get(f"/admin/users/{admin_id}")).text
    response = await as_admin.post(
        f"/admin/users/{admin_id}/active", data={"_csrf_token": token, "active": "0"}
    )
    assert response.status_code == 403
    assert (await User.select(User.active).where(User.id == admin_id).first())["active"]


async def test_a_steward_cannot_change_users(client, seeded):
    await sign_in(client, STEWARD)
    token = await form_token(client, "/signout")
    memberships = await Membership.count()
    target = (await User.select(User.id).where(User.email == AUDITOR).first())["id"]
    for path, data in (
        ("/admin/users/new", {"email": "x@example.si", "name": "X", "password": "a-long-password"}),
        (f"/admin/users/{target}/roles", {"organisation": "statistical-office", "role": "steward"}),
        (f"/admin/users/{target}/active", {"active": "0"}),
    ):
        response = await client.post(path, data={"_csrf_token": token, **data})
        assert response.status_code == 403, path
    assert await Membership.count() == memberships
    assert await User.exists().where(User.email == "x@example.si") is False
    assert (await User.select(User.active).where(User.id == target).first())["active"]


async def test_a_form_without_its_csrf_token_is_refused(as_admin):
    response = await as_admin.post(
        "/admin/organisations/new", data={"slug": "sneaky", "name": "Sneaky"}
    )
    assert response.status_code == 403
    assert await Organisation.exists().where(Organisation.slug == "sneaky") is False


async def test_an_admin_creates_and_edits_an_organisation(as_admin):
    token = await form_token(as_admin, "/admin/organisations/new")
    response = await as_admin.post(
        "/admin/organisations/new",
        data={
            "_csrf_token": token,
            "slug": "road-agency",
            "name": "Road Agency",
            "type": "NationalAuthority",
            "parent": "ministry-of-infrastructure",
            "homepage": "https://roads.example.si",
        },
    )
    assert response.status_code == 303, response.text
    stored = (await as_admin.get("/api/v1/organisations/road-agency")).json()
    assert stored["parent"] == "ministry-of-infrastructure"
    edit = await as_admin.get("/admin/organisations/road-agency/edit")
    assert 'value="Road Agency"' in edit.text
    response = await as_admin.post(
        "/admin/organisations/road-agency/edit",
        data={"_csrf_token": token, "slug": "renamed", "name": "Slovenian Road Agency"},
    )
    assert response.status_code == 303
    stored = (await as_admin.get("/api/v1/organisations/road-agency")).json()
    assert stored["name"] == "Slovenian Road Agency"  # the slug in the address stays
    assert stored["parent"] is None and stored["homepage"] is None  # emptied fields are emptied
    assert "Slovenian Road Agency" in (await as_admin.get("/admin/organisations")).text


async def test_a_bad_slug_is_shown_beside_the_field_and_nothing_is_stored(as_admin):
    before = await Organisation.count()
    token = await form_token(as_admin, "/admin/organisations/new")
    response = await as_admin.post(
        "/admin/organisations/new",
        data={
            "_csrf_token": token,
            "slug": "Bad Slug!",
            "name": "",
            "homepage": "roads.example.si",
        },
    )
    assert response.status_code == 422
    assert error_beside(response.text, "slug").startswith("Use only lower-case letters")
    assert error_beside(response.text, "name") == "Fill this in."
    assert error_beside(response.text, "homepage").startswith("Enter a web address")
    assert 'value="Bad Slug!"' in response.text
    response = await as_admin.post(
        "/admin/organisations/new",
        data={"_csrf_token": token, "slug": "long-name", "name": "N" * 301},
    )
    assert error_beside(response.text, "name") == "This is too long: at most 300 characters."
    response = await as_admin.post(
        "/admin/organisations/new",
        data={"_csrf_token": token, "slug": "statistical-office", "name": "Again"},
    )
    assert response.status_code == 422
    assert error_beside(response.text, "slug") == (
        "An organisation with this short name already exists."
    )
    assert await Organisation.count() == before


async def test_a_steward_cannot_create_an_organisation(client, seeded):
    await sign_in(client, STEWARD)
    token = await form_token(client, "/signout")
    response = await client.post(
        "/admin/organisations/new", data={"_csrf_token": token, "slug": "mine", "name": "Mine"}
    )
    assert response.status_code == 403
    assert await Organisation.exists().where(Organisation.slug == "mine") is False


async def test_an_admin_adds_an_identifier_scheme(as_admin):
    token = await form_token(as_admin, "/admin/identifier-schemes")
    response = await as_admin.post(
        "/admin/identifier-schemes",
        data={"_csrf_token": token, "code": "vessel-id", "label": "Vessel registration number"},
    )
    assert response.status_code == 303, response.text
    listed = (await as_admin.get("/admin/identifier-schemes", headers=JSON)).json()
    assert "vessel-id" in [scheme["code"] for scheme in listed["items"]]
    assert "Vessel registration number" in (await as_admin.get("/admin/identifier-schemes")).text


async def test_a_bad_or_taken_scheme_code_is_shown_beside_the_field(as_admin):
    before = await IdentifierScheme.count()
    token = await form_token(as_admin, "/admin/identifier-schemes")
    response = await as_admin.post(
        "/admin/identifier-schemes",
        data={"_csrf_token": token, "code": "Bad Code", "label": "Bad"},
    )
    assert response.status_code == 422
    assert error_beside(response.text, "code").startswith("Use only lower-case letters")
    taken = (await IdentifierScheme.select(IdentifierScheme.code).first())["code"]
    response = await as_admin.post(
        "/admin/identifier-schemes", data={"_csrf_token": token, "code": taken, "label": "Again"}
    )
    assert response.status_code == 422
    assert error_beside(response.text, "code") == (
        "An identifier scheme with this code already exists."
    )
    assert await IdentifierScheme.count() == before
