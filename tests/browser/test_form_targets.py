"""The dataset form's targets, measured in a real browser on every page of the form.

No page of the form has more than 150 controls; a keyboard user reaches a section's "Save"
button in at most 80 Tab presses; no page scrolls sideways at 360 px (nor the agreement
form); the agreement form's problems are in plain language, beside their fields.
"""

from __future__ import annotations

import pytest

from tests.browser import test_steward_journey as journey
from tests.browser.test_steward_journey import assert_accessible, shoot, sign_in

steward_site = journey.steward_site  # the journey's server (a fresh one for this module)
page = journey.page

pytestmark = pytest.mark.browser

MAX_CONTROLS = 150
MAX_TABS = 80
PHONE = {"width": 360, "height": 800}
DATASET = "central-population-register"  # the richest personal dataset of the demo steward
SECTIONS = ("basics", "files", "attributes", "semantic", "organisational", "legal", "personal")
CONTROLS = (
    "[...document.querySelectorAll('main input:not([type=hidden]), main select, "
    "main textarea, main button')].length"
)
ON_SAVE = "document.activeElement.matches('.form-actions button[value=continue]')"


def tabs_to_save(page) -> int:
    """Tab presses from the top of the page until the section's Save button has the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for presses in range(1, 400):
        page.keyboard.press("Tab")
        if page.evaluate(ON_SAVE):
            return presses
    raise AssertionError("the Save button is never reached with the Tab key")


WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 361)
  .slice(-3).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' +
    Math.round(e.getBoundingClientRect().right))"""


def scroll_width_at_360(page) -> int:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        print("wider than 360 px:", page.url, page.evaluate(WIDER))
    page.set_viewport_size({"width": 1280, "height": 900})
    return width


def test_every_section_is_short_to_tab_through_and_fits_a_phone(page):
    sign_in(page)
    measured = {}
    pages = [("new", "/dataset/new?classification=personal")]
    pages += [(section, f"/dataset/{DATASET}/edit/{section}") for section in SECTIONS]
    for name, url in pages:
        page.goto(url)
        controls = page.evaluate(CONTROLS)
        tabs = tabs_to_save(page)
        width = scroll_width_at_360(page)
        measured[name] = (controls, tabs, width)
        print(name, measured[name])
        assert controls <= MAX_CONTROLS, f"{name}: {controls} controls"
        assert tabs <= MAX_TABS, f"{name}: {tabs} Tab presses to Save"
        assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px wide)"
    print("controls, Tab presses to Save, width at 360 px:", measured)
    page.goto(f"/dataset/{DATASET}/edit/personal")
    assert_accessible(page, "the personal data section of a full dataset")
    page.set_viewport_size(PHONE)
    shoot(page, "steward-section-personal-360")


def test_the_task_list_fits_a_phone_and_is_accessible(page):
    sign_in(page)
    page.goto(f"/dataset/{DATASET}/edit")
    assert page.evaluate(CONTROLS) <= MAX_CONTROLS
    assert scroll_width_at_360(page) <= 360
    assert_accessible(page, "the task list of a published dataset")
    statuses = page.locator(".tag").all_inner_texts()
    assert len(statuses) == len(SECTIONS) and set(statuses) <= {
        "Not started",
        "In progress",
        "Completed",
        "Has problems",
    }


def test_the_long_lists_are_searched_not_scrolled(page):
    sign_in(page)
    page.goto(f"/dataset/{DATASET}/edit/files")
    search = page.locator("#f-technical-spatial-filter")
    search.fill("sloven")
    page.get_by_role("checkbox", name="Slovenia", exact=True).first.check()
    chosen = page.locator("#f-technical-spatial option:checked").all_inner_texts()
    assert "Slovenia" in chosen
    search.fill("a")
    assert page.locator(".chooser__matches input").count() <= 20  # a few, never 284


def test_the_agreement_form_speaks_plainly_and_fits_a_phone(page):
    sign_in(page)
    page.goto(f"/agreements/new?dataset={DATASET}")
    assert scroll_width_at_360(page) <= 360, "the agreement form scrolls sideways"
    page.get_by_role("button", name="Propose").click()
    summary = page.locator(".error-summary")
    text = summary.inner_text()
    assert "List should have" not in text and "after validation" not in text, text
    assert "Tick at least one piece of information" in text, text
    links = summary.locator("a").all_inner_texts()
    assert "attributes" not in links, links  # named as the form names them
    assert scroll_width_at_360(page) <= 360, "the agreement form with problems scrolls sideways"
    assert_accessible(page, "the agreement form with problems")
