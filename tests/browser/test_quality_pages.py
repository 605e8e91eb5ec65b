"""The quality dashboard and a dataset's quality section in a real browser: the SVG plots
render, and axe finds no violations at 1280 px and 360 px (the plots shrink to fit)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "quality-dashboard": "/quality",
    "quality-dataset": "/dataset/air-quality-measurements#quality",
    "quality-organisation": "/organisation/environment-agency#quality",
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
    assert overflow <= 360
    assert axe_violations(phone_page) == []


def test_the_dashboard_plots_are_drawn_without_javascript(browser: Any, live_server: str):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/quality")
        charts = page.locator("svg[role=img]")
        assert charts.count() >= 3
        for index in range(3):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
        assert page.locator("svg[role=img] rect title").count() >= 17  # a bar per band
        assert page.get_by_role("heading", name="Datasets to improve first").is_visible()
    finally:
        context.close()
