"""The language switcher in a real browser: every page offers it, choosing Slovenian turns
the page (and ``<html lang>``) Slovenian and is remembered; a Slovenian browser gets
Slovenian at once; the Slovenian pages pass axe-core and fit a 360 px phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, axe_violations, save_screenshot

pytestmark = pytest.mark.browser

SLOVENIAN_PAGES = {
    "home-sl": "/?lang=sl",
    "search-sl": "/search?q=davki&lang=sl",
    "dataset-sl": "/dataset/census-microdata?lang=sl",
    "organisations-sl": "/organisations?lang=sl",
    "transparency-sl": "/transparency?lang=sl",
    "not-found-sl": "/dataset/no-such-dataset?lang=sl",
}


@pytest.fixture
def slovenian_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A browser whose preferred language is Slovenian."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="sl-SI")
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_switcher_turns_the_page_slovenian_and_remembers_it(page: Any) -> None:
    page.goto("/search?q=register")
    assert page.locator("html").get_attribute("lang") == "en"
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Slovenščina").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sl"
    assert "q=register" in page.url  # the same page and query
    assert page.get_by_role("heading", level=1).inner_text().startswith("Zbirke podatkov")
    page.goto("/organisations")  # no ?lang=: the cookie remembers
    assert page.locator("html").get_attribute("lang") == "sl"
    assert page.get_by_role("link", name="Domov").is_visible()
    page.get_by_role("navigation", name="Jezik").get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_slovenian_browser_gets_slovenian_without_choosing(slovenian_page: Any) -> None:
    slovenian_page.goto("/")
    assert slovenian_page.locator("html").get_attribute("lang") == "sl"
    current = slovenian_page.locator('.language-switcher [aria-current="true"]')
    assert current.inner_text() == "Slovenščina"


def test_the_switcher_works_from_the_keyboard(page: Any) -> None:
    page.goto("/")
    link = page.get_by_role("navigation", name="Language").get_by_role("link", name="Slovenščina")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sl"


@pytest.mark.parametrize("name", list(SLOVENIAN_PAGES))
def test_slovenian_pages_have_no_accessibility_violations(page: Any, name: str) -> None:
    page.goto(SLOVENIAN_PAGES[name])
    assert page.locator("html").get_attribute("lang") == "sl"
    violations = axe_violations(page)
    save_screenshot(page, f"{name}-1280")
    assert violations == [], violations


@pytest.mark.parametrize("name", list(SLOVENIAN_PAGES))
def test_slovenian_pages_fit_a_360_px_phone(phone_page: Any, name: str) -> None:
    phone_page.goto(SLOVENIAN_PAGES[name])
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(phone_page, f"{name}-360")
    assert overflow <= 360
    assert axe_violations(phone_page) == []
