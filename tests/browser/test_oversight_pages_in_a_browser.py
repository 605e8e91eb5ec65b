"""The oversight pages in a real browser: the DPO's inbox, the audit log with its chain check,
the records of processing. No axe violations at 1280 px and 360 px, and no sideways scrolling
on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser

PASSWORD = "demo-password"
AUDITOR = "auditor@information-commissioner.example.si"
DPO = "dpo@ministry-of-the-interior.example.si"
PAGES = {
    "dpo-inbox": (DPO, "/dpo"),
    "dpo-home": (DPO, "/"),
    "audit-log": (AUDITOR, "/audit"),
    "audit-log-filtered": (AUDITOR, "/audit?kind=agreement&from=2000-01-01"),
    "audit-log-bad-date": (AUDITOR, "/audit?from=yesterday"),
    "ropa-controllers": (AUDITOR, "/records-of-processing"),
    "ropa-controller": (AUDITOR, "/records-of-processing/ministry-of-the-interior"),
}


def sign_in(page: Any, email: str) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_as(page: Any, name: str) -> None:
    email, path = PAGES[name]
    sign_in(page, email)
    page.goto(path)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations_on_a_desktop(page: Any, name: str) -> None:
    open_as(page, name)
    violations = axe_violations(page)
    save_screenshot(page, f"{name}-1280")
    assert violations == [], violations


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_fit_a_360_px_phone(phone_page: Any, name: str) -> None:
    open_as(phone_page, name)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(phone_page, f"{name}-360")
    assert overflow <= 360  # tables scroll inside their own box, not the page
    assert axe_violations(phone_page) == []


@pytest.mark.parametrize("size", ["page", "phone_page"])
def test_an_auditor_verifies_the_chain_and_reads_the_head_hash(
    request: pytest.FixtureRequest, size: str
) -> None:
    page = request.getfixturevalue(size)
    sign_in(page, AUDITOR)
    page.goto("/audit")
    page.get_by_role("button", name="Verify the chain").click()
    page.wait_for_url("**/audit/verify")
    assert page.get_by_role("heading", name="The chain is valid").is_visible()
    head = page.locator("code.hash").inner_text()
    assert len(head) == 64
    save_screenshot(page, f"audit-verify-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert axe_violations(page) == []


def test_a_dpo_goes_from_the_home_page_to_an_agreement_to_decide(page: Any) -> None:
    sign_in(page, DPO)
    page.goto("/")
    page.get_by_role("link", name="Agreements awaiting your decision").click()
    page.wait_for_url("**/dpo")
    page.locator("#awaiting-heading + .table-wrap a").first.click()
    page.wait_for_url("**/agreements/*")
    assert page.get_by_role("button", name="Take under review").is_visible()
