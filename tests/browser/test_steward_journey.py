"""A steward registers a personal dataset in a real browser: sign in, fail to publish, fix, publish,
find it. Also axe-core accessibility checks on the sign-in page and the dataset form.

Runs Debian's Chromium headless against a server this module starts on a fresh, seeded SQLite
catalogue. Screenshots go to ``tests/artefacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
ARTEFACTS = PROJECT / "tests" / "artefacts"
STEWARD = "steward@ministry-of-the-interior.example.si"
PASSWORD = "demo-password"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TITLE = "Firearms licence holders"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def steward_site() -> Iterator[str]:
    """The catalogue served by uvicorn on a fresh seeded SQLite database."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="catalogue-browser-"))
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CATALOGUE_DATA_DIR": str(data_dir),
        "CATALOGUE_DATABASE_URL": f"sqlite:///{data_dir / 'catalogue.sqlite'}",
        "CATALOGUE_AUTO_SEED": "true",
        "CATALOGUE_BASE_URL": base,
        "CATALOGUE_INDEX_DIR": str(data_dir / "index"),
        "CATALOGUE_SECRET_KEY": "browser-test-secret",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "catalogue.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the catalogue server did not start")
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


# The browser itself is the session-wide one from tests/browser/conftest.py: Playwright's sync
# API cannot run two instances in one thread. This module only brings its own server, because
# the journey changes data that the discovery tests must not see.


@pytest.fixture
def page(browser, steward_site):
    context = browser.new_context(base_url=steward_site, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def shoot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=False)


def assert_accessible(page, what: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    described = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe found problems on {what}: {described}"


def sign_in(page) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail address").fill(STEWARD)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def test_the_sign_in_page_is_accessible_and_rejects_a_wrong_password(page):
    page.goto("/signin")
    assert_accessible(page, "the sign-in page")
    shoot(page, "steward-signin-1280")
    page.get_by_label("E-mail address").fill(STEWARD)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("You could not be signed in")
    assert_accessible(page, "the failed sign-in page")


def save_and_continue(page, section: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**/dataset/firearms-licence-holders/edit/{section}")


def test_a_steward_registers_fails_fixes_publishes_and_finds_a_personal_dataset(page):
    sign_in(page)
    assert "Signed in as" in page.content()

    page.goto("/dataset/new")
    page.get_by_label("Personal data").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/dataset/new?classification=personal")
    assert_accessible(page, "the first page of a personal dataset")
    shoot(page, "steward-form-empty-1280")

    page.get_by_label("Title (English)").fill(TITLE)
    assert page.get_by_label("Short name for the web address").input_value() == (
        "firearms-licence-holders"  # suggested from the title
    )
    page.get_by_label("Description (English)").fill(
        "Everyone who holds a licence to own or carry a firearm, with the licence type."
    )
    save_and_continue(page, "files")  # the draft exists now
    assert "Draft saved" in page.content()
    page.goto("/dataset/firearms-licence-holders/edit/semantic")
    page.get_by_label("Government and public sector").check()
    save_and_continue(page, "organisational")
    page.locator("#f-organisational-contact_point-email").fill("weapons@mnz.example.si")
    save_and_continue(page, "legal")
    save_and_continue(page, "personal")
    page.locator("#f-legal-personal_data-controller-name").fill("Ministry of the Interior")
    page.get_by_label("Article 6(1)(c) GDPR: a legal obligation").check()
    page.locator("#f-legal-personal_data-purposes-0-code").select_option("ServiceProvision")
    page.get_by_role("button", name="Save and go to the task list").click()
    page.wait_for_url("**/dataset/firearms-licence-holders/edit")
    assert_accessible(page, "the task list")
    page.get_by_role("button", name="Publish").click()

    # Refused: nothing published, each problem under its section, focus on the summary.
    summary = page.locator("#error-summary")
    assert "cannot be published yet" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#task-personal-status").inner_text() == "Has problems"
    problems = page.locator(".task-list__problems li").all_inner_texts()
    assert any("Retention period" in text for text in problems), problems
    assert any("Whom the data is about" in text for text in problems), problems
    assert_accessible(page, "the task list after a refused publish")
    shoot(page, "steward-tasks-refused-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "steward-tasks-refused-360")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px wide)"
    page.set_viewport_size({"width": 1280, "height": 900})

    # Fix it: each problem's link opens its section with the cursor in the field.
    page.get_by_role("link", name="Retention period").click()
    page.wait_for_url("**/edit/personal#f-legal-personal_data-retention-period")
    assert page.evaluate("document.activeElement.id") == "f-legal-personal_data-retention-period"
    assert page.get_by_label("Title (English)").count() == 0  # only this section's fields
    page.keyboard.type("P5Y")
    page.locator("#f-legal-personal_data-data_subjects-filter").fill("citizen")
    page.get_by_role("checkbox", name="Citizen", exact=True).check()
    page.locator("#f-legal-personal_data-personal_data_categories-filter").fill("name")
    page.get_by_role("checkbox", name="Name", exact=True).check()
    assert_accessible(page, "the personal data section")
    page.get_by_role("button", name="Save and go to the task list").click()
    page.wait_for_url("**/dataset/firearms-licence-holders/edit")
    assert page.locator("#task-personal-status").inner_text() == "Completed"
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/dataset/firearms-licence-holders")
    assert "Published" in page.content()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    shoot(page, "steward-published-1280")

    found = False
    for _ in range(20):  # the search index follows the change within moments
        page.goto("/search?q=firearms")
        if page.get_by_role("link", name=TITLE).count():
            found = True
            break
        time.sleep(0.5)
    assert found, "the new dataset is not found by search"


def test_the_dashboard_shows_what_each_dataset_needs_and_fits_a_phone(page):
    sign_in(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.get_by_role("heading", name="My datasets", level=1).is_visible()
    assert_accessible(page, "the dashboard")
    shoot(page, "steward-dashboard-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
