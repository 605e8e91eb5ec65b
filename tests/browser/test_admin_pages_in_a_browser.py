"""The administration pages and "My API tokens" in a real browser: no axe violations at 1280 px
and 360 px (and no sideways scrolling on a phone), an administrator who creates a user and
gives them a role, and a user who creates a token, uses it on the API and revokes it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.example.si"
STEWARD = "steward@statistical-office.example.si"
PASSWORD = "demo-password"
ADMIN_PAGES = {
    "admin-index": "/admin",
    "admin-users": "/admin/users",
    "admin-user-new": "/admin/users/new",
    "admin-user": "/admin/users/4",
    "admin-organisations": "/admin/organisations",
    "admin-organisation-new": "/admin/organisations/new",
    "admin-organisation-edit": "/admin/organisations/statistical-office/edit",
    "admin-identifier-schemes": "/admin/identifier-schemes",
    "account-tokens": "/account/tokens",
}


def sign_in(page: Any, email: str) -> None:
    page.goto("/signin?next=/account/tokens")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/tokens")


def check(page: Any, name: str, width: int) -> list[Any]:
    """The page's axe violations, and a note when it scrolls sideways at ``width``."""
    problems: list[Any] = list(axe_violations(page))
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width:
        problems.append(f"{overflow} px wide")
    save_screenshot(page, f"{name}-{width}")
    return problems


def api(base: str, path: str, token: str) -> int:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request) as answer:
            json.load(answer)
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_every_admin_page_is_accessible_and_fits(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    page = request.getfixturevalue(fixture)
    width = page.viewport_size["width"]
    sign_in(page, ADMIN)
    found = {}
    for name, path in ADMIN_PAGES.items():
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        if problems := check(page, name, width):
            found[path] = problems
    page.goto("/admin/organisations/new")
    page.get_by_label("Short name in addresses").fill("Not A Slug")
    page.get_by_role("button", name="Create the organisation").click()
    assert page.locator("#f-slug-error").is_visible()
    if problems := check(page, "admin-organisation-errors", width):
        found["the organisation form with problems"] = problems
    assert found == {}


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_the_token_pages_are_accessible_and_fit(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    page = request.getfixturevalue(fixture)
    width = page.viewport_size["width"]
    sign_in(page, STEWARD)
    found = {}
    page.get_by_label("What the token is for").fill(f"axe check {width}")
    page.get_by_role("button", name="Create the token").click()
    assert page.get_by_role("heading", name="Your new API token").is_visible()
    if problems := check(page, "account-token-created", width):
        found["the new token"] = problems
    page.get_by_role("link", name="Back to my tokens").click()
    page.get_by_role("link", name=f"Revoke axe check {width}").click()
    if problems := check(page, "account-token-revoke", width):
        found["the revoke confirmation"] = problems
    page.get_by_role("button", name="Revoke the token").click()
    if problems := check(page, "account-tokens-after-revoke", width):
        found["the list after revoking"] = problems
    assert found == {}


def test_an_admin_creates_a_user_and_gives_them_a_role(page: Any) -> None:
    sign_in(page, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("link", name="Create a user").click()
    page.get_by_label("E-mail address").fill("ana.zupan@environment.example.si")
    page.get_by_label("Full name").fill("Ana Zupan")
    page.get_by_label("First password").fill("journey-password")
    page.get_by_label("Organisation", exact=True).select_option("environment-agency")
    page.get_by_label("Role", exact=True).select_option("steward")
    page.get_by_role("button", name="Create the user").click()
    assert page.get_by_role("heading", name="Ana Zupan").is_visible()
    assert page.get_by_text("User ana.zupan@environment.example.si created.").is_visible()
    roles = page.get_by_role("table", name="Roles per organisation")
    assert "environment-agency" in roles.inner_text() and "Data steward" in roles.inner_text()

    page.get_by_label("Organisation", exact=True).select_option("statistical-office")
    page.get_by_label("Role", exact=True).select_option("dpo")
    page.get_by_role("button", name="Give the role").click()
    assert page.get_by_text("Role given.").is_visible()
    assert (
        "Data protection officer"
        in page.get_by_role("table", name="Roles per organisation").inner_text()
    )
    save_screenshot(page, "admin-user-journey")

    page.goto("/admin/users")
    assert page.get_by_role("link", name="Ana Zupan").is_visible()


def test_a_user_creates_uses_and_revokes_a_token(page: Any, live_server: str) -> None:
    sign_in(page, STEWARD)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My API tokens").click()
    page.get_by_label("What the token is for").fill("journey script")
    page.get_by_role("button", name="Create the token").click()
    secret = page.get_by_label("The token “journey script”").input_value()
    assert len(secret) > 20
    assert api(live_server, "/api/v1/users/me", secret) == 200

    page.get_by_role("link", name="Back to my tokens").click()
    assert secret not in page.content()  # shown once, never again
    page.get_by_role("link", name="Revoke journey script").click()
    page.get_by_role("button", name="Revoke the token").click()
    assert page.get_by_text("The token “journey script” is revoked.").is_visible()
    assert api(live_server, "/api/v1/users/me", secret) == 401
