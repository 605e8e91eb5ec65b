"""GET /api/v1/search over the demo catalogue: what a reader, a steward and an admin find."""

from __future__ import annotations

import pytest

from tests.factories import make_user

API = "/api/v1/search"


@pytest.fixture(scope="module")
async def client():
    """The demo catalogue, loaded once for this module: every test here only reads it."""
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()
    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


@pytest.fixture
def seeded() -> None:
    """(Already loaded by the module's client.)"""


async def search(client, headers=None, **params):
    response = await client.get(API, params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def slugs(body) -> list[str]:
    return [item["slug"] for item in body["items"]]


def facet(body, name) -> dict[str, int]:
    return {entry["value"]: entry["count"] for entry in body["facets"][name]}


async def test_an_empty_query_lists_every_published_dataset_with_facets(client, seeded):
    body = await search(client, size=100)
    assert set(body) >= {"items", "total", "page", "size", "facets", "suggestion", "note"}
    assert body["total"] == 46  # 49 in the seed, 3 of them drafts
    assert len(body["items"]) == 46
    assert set(body["facets"]) == {
        "classification",
        "theme",
        "publisher",
        "format",
        "licence",
        "identifier",
        "base_register",
        "hvd",
        "status",
        "language",
    }
    assert sum(facet(body, "classification").values()) == 46
    assert facet(body, "status") == {"published": 46}
    modified = [item["modified"] for item in body["items"]]
    assert modified == sorted(modified, reverse=True)


async def test_a_hit_names_the_dataset_and_highlights_the_matched_words(client, seeded):
    body = await search(client, q="tax register")
    first = body["items"][0]
    assert set(first) >= {
        "slug",
        "title",
        "snippet",
        "classification",
        "publisher",
        "publisher_name",
        "themes",
        "modified",
    }
    assert "<mark>" in first["snippet"]
    assert first["publisher_name"]


# The golden set: ranking promises the README makes.
GOLDEN = [
    ("Central Population Register", "central-population-register"),
    ("Slovenian Business Register", "business-register"),
    ("tax register natural persons", "tax-register-natural-persons"),
]


@pytest.mark.parametrize(("query", "first"), GOLDEN)
async def test_an_exact_or_close_title_match_ranks_first(client, seeded, query, first):
    body = await search(client, q=query)
    assert slugs(body)[0] == first


async def test_tax_number_finds_datasets_whose_attributes_hold_a_tax_number(client, seeded):
    body = await search(client, q="tax number", size=50)
    found = set(slugs(body))
    assert {"employer-income-tax-returns", "business-register"} <= found
    narrow = await search(client, q="attributes:employer")
    assert "employer-income-tax-returns" in slugs(narrow)


async def test_a_misspelt_query_suggests_the_words_the_catalogue_uses(client, seeded):
    body = await search(client, q="populaton registr")
    assert body["suggestion"] == "population register"
    assert (await search(client, q="population register"))["suggestion"] is None


async def test_when_no_dataset_has_every_word_any_word_matches_with_a_note(client, seeded):
    body = await search(client, q="cadastre xylophone")
    assert body["total"] > 0
    assert "any" in body["note"]
    assert (await search(client, q="cadastre"))["note"] is None


async def test_phrases_exclusions_and_fields(client, seeded):
    phrase = await search(client, q='"population register"', size=50)
    assert "central-population-register" in slugs(phrase)
    without = await search(client, q="register -business", size=50)
    assert "business-register" not in slugs(without) and without["total"] > 0
    assert "central-population-register" in slugs(
        await search(client, q='description:"personal identification number"')
    )
    by_publisher = await search(client, q="publisher:financial-administration", size=50)
    assert by_publisher["total"] == facet(by_publisher, "publisher")["financial-administration"]


async def test_filters_are_or_within_a_field_and_and_across_fields(client, seeded):
    everything = await search(client)
    open_count = facet(everything, "classification")["open"]
    closed_count = facet(everything, "classification")["closed"]
    either = await search(client, classification=["open", "closed"])
    assert either["total"] == open_count + closed_count
    # A field's own facet still shows its alternatives (multi-select).
    assert facet(either, "classification") == facet(everything, "classification")
    both = await search(client, classification="open", format="CSV", size=100)
    assert 0 < both["total"] < open_count
    assert {item["classification"] for item in both["items"]} == {"open"}
    assert facet(both, "format")["CSV"] == both["total"]
    base = await search(client, base_register="true")
    assert 0 < base["total"] == facet(everything, "base_register")["true"]


async def test_sorting_by_title_ignores_case(client, seeded):
    body = await search(client, sort="title", size=100)
    titles = [item["title"] for item in body["items"]]
    assert titles == sorted(titles, key=str.casefold)


async def test_pages_do_not_overlap(client, seeded):
    first = await search(client, page=1, size=10)
    second = await search(client, page=2, size=10)
    assert not set(slugs(first)) & set(slugs(second))
    assert first["total"] == second["total"]


async def test_access_rules_are_part_of_the_query(client, seeded):
    anonymous = await search(client, q="kindergarten enrolment")
    assert "ljubljana-kindergarten-enrolment" not in slugs(anonymous)
    steward = await make_user("s@ljubljana.si", {"city-of-ljubljana": "steward"})
    own = await search(client, headers=steward, q="kindergarten enrolment")
    assert "ljubljana-kindergarten-enrolment" in slugs(own)
    assert "draft" in facet(await search(client, headers=steward), "status")
    other = await search(client, headers=steward, status="draft", size=50)
    assert slugs(other) == ["ljubljana-kindergarten-enrolment"]
    admin = await make_user("admin@x.si", global_role="admin")
    assert (await search(client, headers=admin))["total"] == 49
    auditor = await make_user("auditor@x.si", global_role="auditor")
    assert facet(await search(client, headers=auditor), "status")["draft"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": '"unclosed phrase'}, "q"),
        ({"q": "(tax"}, "q"),
        ({"q": "colour:blue"}, "q"),
        ({"q": "title:"}, "q"),
        ({"sort": "popularity"}, "sort"),
        ({"size": "1000"}, "size"),
        ({"page": "0"}, "page"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(client, seeded, params, field):
    response = await client.get(API, params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == 400
    assert field in {problem["field"] for problem in body.get("problems", [])} or field in str(body)
