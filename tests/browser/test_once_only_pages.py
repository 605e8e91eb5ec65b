"""The once-only pages and the sign-in notice in a real browser: no axe violations at 1280 px
and 360 px, and the notice loads nothing from elsewhere inside a portal's own page."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "once-only-map": "/once-only",
    "once-only-search": "/registers?q=date+of+birth",
    "once-only-identifier": "/identifier/address-id",
    "once-only-register": "/register/central-population-register",
    "once-only-service": "/service/child-benefit",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations_on_a_desktop(page: Any, name: str) -> None:
    page.goto(PAGES[name])
    violations = axe_violations(page)
    save_screenshot(page, f"{name}-1280")
    assert violations == [], violations


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_fit_a_360_px_phone(phone_page: Any, name: str) -> None:
    phone_page.goto(PAGES[name])
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(phone_page, f"{name}-360")
    assert overflow <= 360  # the map scrolls inside its own box, not the page
    assert axe_violations(phone_page) == []


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_the_notice_inside_a_portal_page_is_accessible_and_self_contained(
    page: Any, live_server: str, viewport: dict[str, int]
) -> None:
    with urllib.request.urlopen(f"{live_server}/notice/child-benefit?lang=en") as response:
        fragment = response.read().decode()
    requests: list[str] = []
    page.set_viewport_size(viewport)
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(
        "<!doctype html><html lang='en'><head><title>Sign in</title></head><body><main>"
        f"<h1>Sign in to Child benefit</h1>{fragment}</main></body></html>"
    )
    assert [url for url in requests if not url.startswith("data:")] == []
    assert page.get_by_role("heading", name="What “Child benefit” takes from public registers")
    save_screenshot(page, f"once-only-notice-{viewport['width']}")
    assert axe_violations(page) == []
