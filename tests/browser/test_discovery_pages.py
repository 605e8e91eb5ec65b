"""A visitor finds data in a real browser: search, filter, open a dataset; every public page
passes axe-core with no violations and fits a 360 px phone screen.

Screenshots of each page at 1280 px and 360 px go to ``tests/artefacts/``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "search": "/search?q=register",
    "search-filtered": "/search?classification=personal&theme=SOCI",
    "dataset-personal": "/dataset/census-microdata",
    "organisation": "/organisation/statistical-office",
    "organisations": "/organisations",
    "not-found": "/dataset/no-such-dataset",
}


def test_search_from_the_home_page_highlights_matches(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Search datasets").fill("census")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=census"))
    assert page.get_by_role("heading", level=1).inner_text() == "Datasets matching “census”"
    assert page.locator(".card mark").count() >= 1
    assert page.get_by_role("link", name="Register-based census microdata").is_visible()


def test_filter_then_remove_the_filter(page: Any) -> None:
    page.goto("/search")
    everything = _total(page)
    page.get_by_label(re.compile(r"^Open data \d+")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"classification=open"))
    filtered = _total(page)
    assert 0 < filtered < everything
    badges = page.locator(".card-list .badge").all_inner_texts()
    assert badges and all("Open data" in badge for badge in badges)
    page.get_by_role("link", name=re.compile(r"Remove filter Classification: Open data")).click()
    page.wait_for_url(re.compile(r"/search$"))
    assert _total(page) == everything


def test_sort_and_page_through_results(page: Any) -> None:
    page.goto("/search")
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url(re.compile(r"sort=title"))
    titles = page.locator(".card__title").all_inner_texts()
    assert titles == sorted(titles, key=str.casefold)
    page.get_by_role("link", name=re.compile(r"Next page")).click()
    page.wait_for_url(re.compile(r"sort=title&page=2"))
    assert page.locator(".card__title").count() >= 1


def test_open_a_dataset_from_the_results(page: Any) -> None:
    page.goto("/search?q=census")
    page.get_by_role("link", name="Register-based census microdata").click()
    page.wait_for_url("**/dataset/census-microdata")
    for name in ("Technical level", "Semantic level", "Organisational level", "Legal level"):
        assert page.get_by_role("heading", name=re.compile(name)).is_visible()
    assert page.locator(".classification .badge").inner_text().strip().endswith("Personal data")
    assert "Contains personal data about" in page.locator(".classification__sentence").inner_text()
    table = page.get_by_role("region", name="Attributes")
    assert table.get_by_role("columnheader", name="Personal data").is_visible()


def test_search_and_filters_work_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/search?q=tax")
        page.get_by_label(re.compile(r"^Closed data \d+|^Personal data \d+")).first.check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"q=tax&classification="))
        assert page.locator(".chip").count() == 1
    finally:
        context.close()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations(page: Any, name: str) -> None:
    page.goto(PAGES[name])
    violations = axe_violations(page)
    save_screenshot(page, f"{name}-1280")
    assert violations == [], violations


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_fit_a_360_px_phone_without_sideways_scrolling(phone_page: Any, name: str) -> None:
    phone_page.goto(PAGES[name])
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(phone_page, f"{name}-360")
    assert overflow <= 360
    assert axe_violations(phone_page) == []


def _total(page: Any) -> int:
    summary = page.locator(".results-summary").inner_text()
    match = re.search(r"of (\d+) dataset", summary)
    return int(match.group(1)) if match else 0
