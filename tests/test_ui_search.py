"""The search page: the URL is the whole state, filters come off one by one, matches are marked."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from catalogue.domain.problems import InvalidDocument
from catalogue.ui.search_view import Labels, SearchState, active_filters, pagination, parse_state
from tests.factories import make_user

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"Accept": "application/json"}


def params(query: str) -> Any:
    pairs = parse_qsl(query, keep_blank_values=True)
    return lambda name: [value for key, value in pairs if key == name]


# --- the query string, without HTTP -------------------------------------------------------


def test_the_same_state_always_gives_the_same_url_whatever_the_order_of_parameters() -> None:
    one = parse_state(params("theme=ECON&q=tax&classification=open&theme=AGRI"))
    two = parse_state(params("classification=open&theme=AGRI&theme=ECON&q=tax"))
    assert one == two
    assert one.url() == "/search?q=tax&classification=open&theme=AGRI&theme=ECON"


def test_removing_one_filter_keeps_the_others_and_goes_back_to_page_one() -> None:
    state = parse_state(params("q=tax&theme=ECON&theme=AGRI&classification=open&page=3"))
    removed = dict(parse_qsl(urlsplit(state.without("theme", "ECON")).query))
    assert removed == {"q": "tax", "classification": "open", "theme": "AGRI"}
    chips = active_filters(state, Labels())
    assert [chip["label"] for chip in chips] == [
        "Open data",
        "Agriculture, fisheries, forestry and food",
        "Economy and finance",
    ]
    assert all("page=" not in chip["remove_url"] for chip in chips)


@pytest.mark.parametrize(
    ("query", "field"),
    [("sort=cheapest", "sort"), ("page=0", "page"), ("page=two", "page"), ("q=" + "x" * 501, "q")],
)
def test_nonsense_in_the_url_is_reported_by_field(query: str, field: str) -> None:
    with pytest.raises(InvalidDocument) as raised:
        parse_state(params(query))
    assert [problem.field for problem in raised.value.problems] == [field]


def test_pagination_shows_a_window_around_the_current_page() -> None:
    paging = pagination(7, 400, lambda number: f"?page={number}", size=20)
    numbers = [item.get("number") for item in paging["pages"]]
    assert numbers == [1, None, 5, 6, 7, 8, 9, None, 20]
    assert paging["previous_url"] == "?page=6" and paging["next_url"] == "?page=8"
    assert (paging["first_item"], paging["last_item"]) == (121, 140)
    assert pagination(1, 5, str)["pages"] == []


def test_default_sort_and_first_page_stay_out_of_the_url() -> None:
    assert SearchState().url() == "/search"
    assert SearchState(q="a b").url(page=2) == "/search?q=a+b&page=2"


# --- the page -----------------------------------------------------------------------------


async def test_search_marks_the_matched_words_and_counts_results(client: Any, seeded: None) -> None:
    response = await client.get("/search?q=census", headers=BROWSER)
    assert response.status_code == 200
    html = response.text
    assert 'href="/dataset/census-microdata"' in html
    assert "<mark>" in html.lower()
    assert re.search(r"1–\d+ of \d+ datasets?", html)


async def test_facets_have_labels_and_counts_and_filters_narrow_the_results(
    client: Any, seeded: None
) -> None:
    everything = (await client.get("/search", headers=JSON)).json()
    open_only = (await client.get("/search?classification=open", headers=JSON)).json()
    assert 0 < open_only["total"] < everything["total"]
    assert {hit["classification"] for hit in open_only["items"]} == {"open"}
    html = (await client.get("/search?classification=open", headers=BROWSER)).text
    assert 'name="classification" value="open" checked' in html
    assert "Economy and finance" in html  # a theme facet, by its label
    assert "Statistical Office of the Republic of Slovenia" in html  # a publisher facet
    assert 'href="/search"' in html  # "Clear all filters" / remove the only filter


async def test_a_long_facet_lists_its_largest_values_and_links_to_the_whole_list(
    client: Any, seeded: None, monkeypatch: Any
) -> None:
    """Hundreds of publishers would make every page huge: the rest are a link away."""
    from catalogue.ui import search_view

    monkeypatch.setattr(search_view, "FACET_VALUES_SHOWN", 2)
    everything = (await client.get("/search", headers=JSON)).json()
    publishers = len(everything["facets"]["publisher"])
    assert publishers > 3
    html = (await client.get("/search", headers=BROWSER)).text
    assert html.count('name="publisher"') == 2
    assert f"Show {publishers - 2} more: publisher" in html
    assert 'href="/search?all=publisher#facet-publisher"' in html
    whole = (await client.get("/search?all=publisher", headers=BROWSER)).text
    assert whole.count('name="publisher"') == publishers
    chosen = everything["facets"]["publisher"][-1]["value"]
    ticked = (await client.get(f"/search?publisher={chosen}", headers=BROWSER)).text
    assert f'name="publisher" value="{chosen}" checked' in ticked  # selected always shows


async def test_removable_filter_links_lead_to_pages_without_that_filter(
    client: Any, seeded: None
) -> None:
    html = (await client.get("/search?classification=open&theme=ENVI", headers=BROWSER)).text
    assert 'href="/search?theme=ENVI"' in html  # remove "Open data"
    assert 'href="/search?classification=open"' in html  # remove the theme


async def test_the_same_url_gives_the_same_page(client: Any, seeded: None) -> None:
    url = "/search?q=register&sort=title&page=1"
    await client.get("/search", headers=JSON)  # the index catches up with the fresh seed
    first = (await client.get(url, headers=JSON)).json()
    second = (await client.get(url, headers=JSON)).json()
    assert first == second
    titles = [hit["title"] for hit in first["items"]]
    assert titles == sorted(titles, key=str.casefold) or len(titles) <= 1


async def test_did_you_mean_offers_a_corrected_search(client: Any, seeded: None) -> None:
    result = (await client.get("/search?q=cencus", headers=JSON)).json()
    assert result["suggestion"], "the search offers a correction of this misspelling"
    html = (await client.get("/search?q=cencus", headers=BROWSER)).text
    assert "Did you mean" in html
    assert f'href="/search?q={result["suggestion"]}"' in html


async def test_paging_links_keep_the_query_and_filters(client: Any, seeded: None) -> None:
    html = (await client.get("/search?classification=open", headers=BROWSER)).text
    total = (await client.get("/search?classification=open", headers=JSON)).json()["total"]
    assert total > 20, "the seed has more than one page of open datasets"
    assert 'href="/search?classification=open&amp;page=2"' in html


async def test_drafts_appear_only_for_their_organisations_members(
    client: Any, seeded: None
) -> None:
    draft = "maribor-municipal-spatial-plan"
    anonymous = (await client.get("/search?publisher=city-of-maribor", headers=JSON)).json()
    assert draft not in [hit["slug"] for hit in anonymous["items"]]
    steward = await make_user("s@maribor.example.si", roles={"city-of-maribor": "steward"})
    member = await client.get("/search?publisher=city-of-maribor", headers={**JSON, **steward})
    assert draft in [hit["slug"] for hit in member.json()["items"]]


async def test_bad_search_input_is_a_4xx_naming_the_field(client: Any, seeded: None) -> None:
    response = await client.get("/search?sort=cheapest", headers=JSON)
    assert response.status_code in (400, 422)
    assert response.json()["problems"][0]["field"] == "sort"
    page = await client.get("/search?sort=cheapest", headers=BROWSER)
    assert page.status_code in (400, 422)
    assert "sort" in page.text


async def test_a_query_the_search_cannot_parse_is_explained_on_the_page(
    client: Any, seeded: None
) -> None:
    bad = "/search?q=" + "title%3A%28unclosed"
    api = await client.get(bad, headers=JSON)
    assert api.status_code != 200, "the search refuses this query"
    assert api.status_code == 422 and api.json()["problems"][0]["field"] == "q"
    page = await client.get(bad, headers=BROWSER)
    assert page.status_code == 422
    assert "We could not run this search" in page.text


async def test_format_filters_by_file_format_and_the_json_twin_is_the_search_api(
    client: Any, seeded: None
) -> None:
    response = await client.get("/search?format=CSV", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'name="format" value="CSV" checked' in html
    assert '<link rel="alternate" type="application/json" href="/api/v1/search?format=CSV">' in html
    twin = (await client.get("/api/v1/search?format=CSV")).json()
    page = (await client.get("/search?format=CSV", headers=JSON)).json()
    assert [item["slug"] for item in page["items"]] == [item["slug"] for item in twin["items"]]
