"""A steward harvests a catalogue in a real browser: registers a DCAT source in the form, runs
it, watches the job page until it finishes and reads the report; no axe violations."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, save_screenshot
from tests.factories import open_dataset
from tests.harvest_server import serving

pytestmark = pytest.mark.browser

STEWARD = "steward@statistical-office.example.si"
ORGANISATION = "statistical-office"


def sign_in(page: Any, email: str) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_steward_registers_runs_and_reads_a_harvest(page: Any) -> None:
    with serving() as source:
        documents = [open_dataset(f"browser-harvest-{n}", ORGANISATION) for n in range(3)]
        url = source.pages(documents, per_page=2)
        sign_in(page, STEWARD)
        page.goto("/harvest/sources")
        assert axe_violations(page) == []

        page.get_by_label("Name").fill("Bad name")
        page.get_by_label("Address of the feed or site").fill(url)
        page.get_by_role("button", name="Register the source").click()
        page.wait_for_load_state()
        assert page.locator("#f-name-error").is_visible()  # the problem beside the field
        assert page.get_by_label("Address of the feed or site").input_value() == url
        assert axe_violations(page) == []

        page.get_by_label("Name").fill("office-feed")
        page.get_by_label("Schedule").select_option("manual")
        page.get_by_role("button", name="Register the source").click()
        page.wait_for_url("**/harvest/sources/office-feed")
        page.get_by_role("button", name="Harvest now").click()
        page.wait_for_url("**/harvest/sources/office-feed/jobs/*")
        deadline = time.monotonic() + 60
        while "Running." in page.locator("main").inner_text() and time.monotonic() < deadline:
            page.wait_for_timeout(1000)
            page.reload()
        text = page.locator("main").inner_text()
        assert "browser-harvest-0" in text, text
        save_screenshot(page, "harvest-job-1280")
        assert axe_violations(page) == []

        page.goto("/harvest/sources/office-feed")
        assert "3 created" in page.locator("main").inner_text()
        page.goto("/dataset/browser-harvest-1")
        assert page.get_by_role("heading", level=1).is_visible()
