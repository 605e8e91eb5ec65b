"""The shared page machinery other domains build on: render(), the navigation, error pages."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.testing import AsyncTestClient

from catalogue.accounts.principal import Principal
from catalogue.ui import rendering
from catalogue.ui.errors import html_aware_handlers
from catalogue.ui.filters import concept_label, duration_text, humanise_code
from catalogue.ui.rendering import NavItem, navigation, register_nav_item, render
from catalogue.web.errors import EXCEPTION_HANDLERS

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
STEWARD = Principal(1, "Ana", "ana@example.si", roles={"police": frozenset({"steward"})})


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("secret internals")


@get("/page", sync_to_thread=False)
def page(request: Request[Any, Any, Any]) -> Response[str]:
    return render(
        request,
        "error.html",
        {"status": 418, "title": "A test page", "detail": "x", "principal": STEWARD},
    )


def make_app() -> Litestar:
    return Litestar([boom, page], exception_handlers=html_aware_handlers(EXCEPTION_HANDLERS))


async def test_render_gives_the_layout_with_skip_link_navigation_and_the_signed_in_name() -> None:
    async with AsyncTestClient(app=make_app()) as client:
        response = await client.get("/page", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert html.startswith("<!doctype html>")
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<a href="/search">Datasets</a>' in html
    assert "Ana" in html
    assert "<title>A test page · " in html


async def test_an_unexpected_error_is_a_plain_html_page_for_browsers_and_json_otherwise() -> None:
    async with AsyncTestClient(app=make_app()) as client:
        page = await client.get("/boom", headers=BROWSER)
        api = await client.get("/boom", headers={"Accept": "application/json"})
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in page.text
    assert "secret internals" not in page.text
    assert api.status_code == 500 and api.json()["status"] == 500


def test_navigation_marks_the_current_section_and_respects_who_may_see_a_link() -> None:
    item = NavItem("/test-stewards-only", "Stewards", 90, visible=lambda who: who is not None)
    register_nav_item(item)
    try:
        anonymous = navigation("/dataset/census-microdata", None)
        assert [item["label"] for item in anonymous if item["current"]] == ["Datasets"]
        assert "Stewards" not in [item["label"] for item in anonymous]
        assert "Stewards" in [item["label"] for item in navigation("/", STEWARD)]
    finally:
        rendering._NAV_ITEMS.remove(item)
    home = navigation("/", None)
    assert [item["aria_current"] for item in home if item["current"]] == ["page"]


def test_codes_become_plain_language() -> None:
    licence = concept_label("CC_BY_4_0", "licences")
    assert licence == "Creative Commons Attribution 4.0 International"
    assert concept_label("ECON", "themes") == "Economy and finance"
    assert humanise_code("http://example.org/ns#SomethingUnknown") == "Something Unknown"
    assert concept_label("http://example.org/ns#SomethingUnknown", "themes") == "Something Unknown"
    assert duration_text("P10Y") == "10 years"
    assert duration_text("P1Y6M") == "1 year, 6 months"
