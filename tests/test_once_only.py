"""The once-only map with the demo catalogue: identifiers, base registers, "which register
holds X", the map, and the public services' pages and notices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
async def demo_catalogue() -> None:
    """The demo catalogue, loaded once: every test here only reads."""
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture
async def client(demo_catalogue: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


async def test_the_population_register_names_the_services_reusing_it(client):
    response = await client.get("/register/central-population-register.json")
    assert response.status_code == 200
    view = response.json()
    services = {service["title"] for service in view["services"]}
    assert {
        "Pre-filled income tax assessment",
        "Child benefit",
        "Population statistics",
    } <= services
    assert "Invitations to events for senior residents" not in services  # rejected
    assert view["savings"]["services"] == 3
    assert view["savings"]["agreements"] == 3
    # personal_id, birth_date, permanent_address_id, tax_number, mother/father ids, sex, ...
    assert view["savings"]["attributes_not_asked_again"] == 9
    assert [a["name"] for a in view["authoritative_for"]] == ["personal_id"]
    duplicates = {entry["slug"] for entry in view["duplicates"]}
    assert "criminal-records" in duplicates  # holds personal IDs and birth dates too
    assert "central-population-register" not in duplicates

    page = await client.get("/register/central-population-register")
    assert page.status_code == 200
    for title in services:
        assert title in page.text
    assert '<link rel="alternate" type="application/json"' in page.text


async def test_a_register_lists_its_services_a_page_at_a_time(client, monkeypatch):
    """The savings count every service; the list is seek-paged by service slug."""
    from catalogue.onceonly import views

    monkeypatch.setattr(views, "SERVICES_PER_PAGE", 2)
    first = (await client.get("/register/central-population-register.json")).json()
    assert len(first["services"]) == 2
    assert first["savings"]["services"] == 3  # counted over all, not over the page
    more = first["links"]["more_services_json"]
    assert more.startswith("/register/central-population-register.json?after=")
    second = (await client.get(more)).json()
    assert len(second["services"]) == 1
    assert second["links"]["more_services"] is None
    slugs = [s["slug"] for s in first["services"] + second["services"]]
    assert slugs == sorted(slugs) and len(set(slugs)) == 3
    page = await client.get(first["links"]["more_services"])
    assert page.status_code == 200 and second["services"][0]["title"] in page.text
    html = await client.get("/register/central-population-register")
    assert 'href="/register/central-population-register?after=' in html.text


async def test_an_identifier_lists_the_services_taking_it_a_page_at_a_time(client, monkeypatch):
    from catalogue.onceonly import views

    whole = (await client.get("/identifier/personal-id.json")).json()
    monkeypatch.setattr(views, "SERVICES_PER_PAGE", 1)
    first = (await client.get("/identifier/personal-id.json")).json()
    assert len(first["services"]) == 1
    assert first["links"]["more_services_json"].startswith("/identifier/personal-id.json?after=")
    seen = [s["slug"] for s in first["services"]]
    next_page = first["links"]["more_services_json"]
    while next_page:
        page = (await client.get(next_page)).json()
        seen += [s["slug"] for s in page["services"]]
        next_page = page["links"]["more_services_json"]
    assert sorted(seen) == sorted(s["slug"] for s in whole["services"]) and len(seen) > 1
    html = await client.get("/identifier/personal-id")
    assert 'href="/identifier/personal-id?after=' in html.text


async def test_a_dataset_that_is_not_a_base_register_has_no_register_page(client):
    response = await client.get("/register/criminal-records.json")
    assert response.status_code == 404
    assert (await client.get("/register/no-such-dataset")).status_code == 404


async def test_the_address_id_page_names_the_address_register_as_authoritative(client):
    response = await client.get("/identifier/address-id.json")
    assert response.status_code == 200
    view = response.json()
    assert [r["slug"] for r in view["authoritative"]] == ["register-of-spatial-units-and-addresses"]
    carriers = {(a["dataset"], a["name"]) for a in view["datasets"]}
    assert ("central-population-register", "permanent_address_id") in carriers
    assert ("vehicle-register", "owner_address_id") in carriers
    services = {s["title"] for s in view["services"]}
    assert {"Child benefit", "Population statistics", "Traffic enforcement"} <= services
    page = await client.get("/identifier/address-id")
    assert (
        "Register of Spatial Units" in page.text or "register of spatial units" in page.text.lower()
    )
    rdf = await client.get("/identifier/address-id.ttl")
    assert rdf.status_code == 200
    assert "authoritativeRegister" in rdf.text
    assert (await client.get("/identifier/nothing-like-this")).status_code == 404


@pytest.mark.parametrize(
    ("query", "register"),
    [
        ("address", "register-of-spatial-units-and-addresses"),
        ("naslov", "central-population-register"),
        ("date of birth", "central-population-register"),
    ],
)
async def test_which_register_holds_a_fact_in_either_language(client, query, register):
    response = await client.get("/registers.json", params={"q": query})
    assert response.status_code == 200
    results = response.json()["results"]
    assert register in {entry["slug"] for entry in results}
    firsts = [entry["is_base_register"] for entry in results]
    assert firsts == sorted(firsts, reverse=True)  # base registers come first
    page = await client.get("/registers", params={"q": query})
    assert page.status_code == 200


async def test_the_map_links_registers_identifiers_and_services(client):
    view = (await client.get("/once-only.json")).json()
    registers = {entry["slug"]: entry for entry in view["registers"]}
    assert registers["central-population-register"]["schemes"] == ["personal-id"]
    assert "child-benefit" in registers["central-population-register"]["services"]
    page = await client.get("/once-only")
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text
    assert "<table" in page.text


async def test_a_service_page_says_what_it_takes_from_where_and_why(client):
    view = (await client.get("/service/child-benefit.json")).json()
    assert view["service"]["authorities"] == [
        "Ministry of Labour, Family, Social Affairs and Equal Opportunities"
    ]
    datasets = {take["dataset"] for take in view["takes"]}
    assert datasets == {"central-population-register", "employer-income-tax-returns"}
    take = next(t for t in view["takes"] if t["dataset"] == "central-population-register")
    assert "Date of birth" in take["information"]
    assert take["law"]["url"].startswith("https://pisrs.example.si/eli/")
    assert view["complaint"]["authority"]
    page = await client.get("/service/child-benefit")
    assert page.status_code == 200 and "Decide on and pay child benefit" in page.text
    assert (await client.get("/service/no-such-service")).status_code == 404


async def test_the_transparency_page_links_each_service_page(client):
    page = await client.get("/transparency/central-population-register")
    assert 'href="/service/child-benefit"' in page.text


async def test_the_notice_is_a_self_contained_fragment_with_a_json_twin(client):
    response = await client.get("/notice/child-benefit", params={"lang": "en"})
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html and "<script" not in html and "<link" not in html
    assert "Child benefit" in html and "/service/child-benefit" in html
    twin = (await client.get("/notice/child-benefit.json")).json()
    assert twin["service"] == "Child benefit"
    assert twin["last_change"]
    assert twin["outside_eu"] is False


async def test_the_notice_in_slovenian_names_the_service_and_its_purpose_in_slovenian(client):
    response = await client.get("/notice/child-benefit", params={"lang": "sl"})
    assert response.status_code == 200
    assert 'lang="sl"' in response.text and "»Otroški dodatek«" in response.text
    assert "Odločanje o otroškem dodatku" in response.text
    twin = (await client.get("/notice/child-benefit.json", params={"lang": "sl"})).json()
    assert twin["lang"] == "sl" and twin["service"] == "Otroški dodatek"
    take = next(t for t in twin["takes"] if t["dataset_title"] == "Centralni register prebivalstva")
    assert take["why"].startswith("Odločanje o otroškem dodatku in njegovo izplačevanje")
    assert take["law"]["title"] == "Zakon o starševskem varstvu in družinskih prejemkih (ZSDP-1)"
    assert "Child benefit" not in response.text and "Decide on" not in response.text


async def test_the_machine_readable_list_of_a_service(client):
    view = (await client.get("/api/v1/services/pre-filled-income-tax-assessment")).json()
    references = {use["reference"] for use in view["uses"]}
    assert references == {"DUA-2024-003", "DUA-2024-004"}
    use = next(u for u in view["uses"] if u["reference"] == "DUA-2024-004")
    assert use["dataset"] == "central-population-register"
    assert "tax_number" in use["attributes"]
    assert use["legal_basis"] == "A6-1-c"
    assert use["valid_until"]
