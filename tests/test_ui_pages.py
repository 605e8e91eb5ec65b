"""The public pages: what a visitor sees, and the JSON twin a program gets at the same URL."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.factories import make_user

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}


def visible_text(html: str) -> str:
    """The page's text without tags, attributes or the head (roughly what a reader sees)."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


async def test_home_page_has_a_search_box_counts_and_recent_datasets(
    client: Any, seeded: None
) -> None:
    response = await client.get("/", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<a class="skip-link" href="#main">' in html
    assert '<label for="home-q">Search datasets</label>' in html
    assert 'action="/search"' in html
    text = visible_text(html)
    assert "By classification" in text and "By theme" in text and "Recently updated" in text
    assert 'href="/search?classification=open"' in html
    assert 'href="/search?theme=ECON"' in html
    assert text.count("Updated ") >= 6  # six recent datasets, each with its date


async def test_home_page_counts_only_what_the_visitor_may_see(client: Any, seeded: None) -> None:
    anonymous = (await client.get("/", headers=BROWSER)).text
    admin = await make_user("admin@example.si", global_role="admin")
    signed_in = (await client.get("/", headers={**BROWSER, **admin})).text
    anonymous_total = int(re.search(r"(\d+) datasets described", anonymous).group(1))
    admin_total = int(re.search(r"(\d+) datasets described", signed_in).group(1))
    assert admin_total == anonymous_total + 3  # the seed's three drafts


async def test_the_recent_datasets_follow_an_edit_at_once_in_each_language(
    client: Any, seeded: None
) -> None:
    """The cards are kept per catalogue version and language: an edit shows on the next
    view, and the Slovenian page never gets the English cards."""
    from tests.factories import PUBLISHER, make_organisation, open_dataset

    first = (await client.get("/", headers=BROWSER)).text
    slovenian = (await client.get("/?lang=sl", headers=BROWSER)).text
    assert "Posodobljeno" in slovenian and "Posodobljeno" not in first
    await make_organisation()
    steward = await make_user("steward@example.gov", {PUBLISHER: "steward"})
    body = {**open_dataset("freshly-published"), "status": "published"}
    created = await client.post("/api/v1/datasets", json=body, headers=steward)
    assert created.status_code == 201, created.text
    assert "/dataset/freshly-published" not in first
    assert "/dataset/freshly-published" in (await client.get("/", headers=BROWSER)).text
    again = (await client.get("/?lang=sl", headers=BROWSER)).text
    assert "/dataset/freshly-published" in again and "Posodobljeno" in again


async def test_home_page_json_twin_is_the_api_index(client: Any, seeded: None) -> None:
    response = await client.get("/", headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["api"]["datasets"] == "/api/v1/datasets"
    assert "catalogue" in body and "version" in body


async def test_organisations_list_links_every_organisation_with_its_dataset_count(
    client: Any, seeded: None
) -> None:
    response = await client.get("/organisations", headers=BROWSER)
    assert response.status_code == 200
    assert 'href="/organisation/statistical-office"' in response.text
    listing = (await client.get("/organisations", headers=JSON)).json()
    counts = {item["slug"]: item["dataset_count"] for item in listing["items"]}
    assert counts["statistical-office"] >= 1
    assert listing["total"] == len(listing["items"])


async def test_organisation_page_lists_its_datasets(client: Any, seeded: None) -> None:
    response = await client.get("/organisation/statistical-office", headers=BROWSER)
    assert response.status_code == 200
    html = response.text
    assert "<h1>Statistical Office of the Republic of Slovenia</h1>" in html
    assert 'href="/dataset/census-microdata"' in html
    twin = (await client.get("/organisation/statistical-office", headers=JSON)).json()
    assert twin["slug"] == "statistical-office"
    slugs = [item["slug"] for item in twin["datasets"]["items"]]
    assert "census-microdata" in slugs
    assert twin["datasets"]["total"] == len(slugs)


async def test_organisation_page_hides_drafts_from_outsiders(client: Any, seeded: None) -> None:
    draft = "maribor-municipal-spatial-plan"
    outsider = (await client.get("/organisation/city-of-maribor", headers=BROWSER)).text
    assert f'href="/dataset/{draft}"' not in outsider
    steward = await make_user("s@maribor.example.si", roles={"city-of-maribor": "steward"})
    member = await client.get("/organisation/city-of-maribor", headers={**BROWSER, **steward})
    assert f'href="/dataset/{draft}"' in member.text
    assert "Draft" in visible_text(member.text)


@pytest.mark.parametrize("path", ["/organisation/no-such-body", "/no/such/page"])
async def test_unknown_pages_are_a_readable_404_for_browsers(client: Any, path: str) -> None:
    response = await client.get(path, headers=BROWSER)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "There is no page at this address" in response.text
    assert '<a href="/search">search the datasets</a>' in response.text


async def test_errors_stay_json_for_the_api_and_for_json_clients(client: Any) -> None:
    api = await client.get("/api/v1/datasets/no-such-dataset", headers=BROWSER)
    assert api.status_code == 404 and api.json()["title"] == "Not found"
    page = await client.get("/organisation/no-such-body", headers=JSON)
    assert page.status_code == 404 and page.json()["status"] == 404
    default = await client.get("/organisation/no-such-body")
    assert default.headers["content-type"].startswith("application/json")


async def test_bad_paging_is_a_400_naming_the_field(client: Any, seeded: None) -> None:
    response = await client.get("/organisation/statistical-office?page=0", headers=JSON)
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "page"


async def test_static_files_are_served_with_a_cache_header(client: Any) -> None:
    response = await client.get("/static/catalogue.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "max-age=86400" in response.headers["cache-control"]
