"""What citizens see, without signing in: who reuses data about them, why, and their rights."""

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


async def test_the_population_register_page_lists_each_approved_use_in_plain_language(client):
    response = await client.get("/transparency/central-population-register.json")
    assert response.status_code == 200
    view = response.json()
    services = {use["service"]: use for use in view["uses"]}
    # approved only: not the rejected invitations, the expired insurance use or the proposal
    assert set(services) == {
        "Child benefit",
        "Pre-filled income tax assessment",
        "Population statistics",
    }
    child = services["Child benefit"]
    assert (
        child["authority"] == "Ministry of Labour, Family, Social Affairs and Equal Opportunities"
    )
    assert "Date of birth" in child["information"]
    assert "birth_date" not in child["information"]  # labels, not codes
    assert child["why"].startswith("Decide on and pay child benefit")
    assert child["law"]["url"].startswith("https://pisrs.example.si/eli/")
    assert child["legal_basis"].startswith("Article 6(1)(e) GDPR")
    assert child["until"] == "2028-12-31"
    assert view["complaint"]["authority"]
    assert [r["right"] for r in view["rights"]] == [
        "access",
        "rectification",
        "restriction",
        "objection",
    ]
    assert view["contact"]["dpo_email"] == "dpo@mnz.example.si"


async def test_nothing_about_any_individual_is_shown(client):
    body = (await client.get("/transparency/central-population-register.json")).text
    for name in ("Mojca Rozman", "Eva Hribar", "steward@", "by_user_id"):
        assert name not in body
    html = (await client.get("/transparency/central-population-register")).text
    assert "Mojca Rozman" not in html


async def test_the_html_page_needs_no_login_and_links_the_law(client):
    response = await client.get("/transparency/central-population-register")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    html = response.text
    assert "Child benefit" in html
    assert 'href="https://pisrs.example.si/eli/zakon/2014/ZSDP-1"' in html
    assert "complain" in html and "/transparency/central-population-register.json" in html


async def test_only_published_personal_datasets_have_a_transparency_page(client):
    assert (await client.get("/transparency/critical-infrastructure-register")).status_code == 404
    assert (await client.get("/transparency/population-by-municipality.json")).status_code == 404
    assert (await client.get("/transparency/pre-filled-income-tax-assessments")).status_code == 404
    assert (await client.get("/transparency/nothing-here.json")).status_code == 404


async def test_who_uses_data_about_me_lists_every_reused_personal_dataset(client):
    response = await client.get("/transparency.json")
    assert response.status_code == 200
    datasets = {d["slug"]: d for d in response.json()["datasets"]}
    assert "central-population-register" in datasets
    assert "population-by-municipality" not in datasets  # open data
    income = {u["service"] for u in datasets["employer-income-tax-returns"]["uses"]}
    assert income == {
        "Child benefit",
        "Pre-filled income tax assessment",
        "Earnings statistics",
        "Non-profit housing allocation",
    }
    html = await client.get("/transparency")
    assert html.status_code == 200 and "Who uses data about me?" in html.text


async def test_the_overview_pages_by_dataset_and_visits_each_reused_dataset_once(
    client, monkeypatch
):
    from catalogue.agreements import transparency

    monkeypatch.setattr(transparency, "OVERVIEW_PAGE", 2)
    monkeypatch.setattr(transparency, "USES_SHOWN", 1)
    seen: list[str] = []
    url: str | None = "/transparency.json"
    while url:
        body = (await client.get(url)).json()
        assert len(body["datasets"]) <= 2
        seen += [dataset["slug"] for dataset in body["datasets"]]
        assert all(len(dataset["uses"]) <= 1 for dataset in body["datasets"])
        url = body["links"]["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert {"central-population-register", "employer-income-tax-returns"} <= set(seen)
    html = (await client.get("/transparency?after=central-population-register")).text
    assert "‹ From the start" in html and 'id="d-central-population-register"' not in html
    # a closed dataset's use is skipped, and the page is still full
    assert 'id="d-critical-infrastructure-register"' not in html
    assert html.count('<section class="card"') == 2
    assert '<a href="/transparency/employer-income-tax-returns">Every service that reuses' in html


async def test_the_overview_never_lists_a_dataset_without_an_approved_use(client):
    body = (await client.get("/transparency.json")).json()
    assert body["datasets"] and all(dataset["uses"] for dataset in body["datasets"])
    assert body["all_personal"] == "/search?classification=personal"
    assert (await client.get(body["all_personal"])).status_code == 200


async def test_a_dataset_page_lists_its_uses_a_page_at_a_time(client, monkeypatch):
    from catalogue.agreements import transparency

    monkeypatch.setattr(transparency, "USES_PER_PAGE", 2)
    url = "/transparency/employer-income-tax-returns.json"
    first = (await client.get(url)).json()
    second = (await client.get(f"{url}?page=2")).json()
    assert first["paging"] == {
        "page": 1,
        "pages": 2,
        "total": 4,
        "previous": None,
        "next": "/transparency/employer-income-tax-returns?page=2",
    }
    services = {use["service"] for use in first["uses"] + second["uses"]}
    assert len(first["uses"]) == len(second["uses"]) == 2 and len(services) == 4
    assert (await client.get(f"{url}?page=0")).status_code == 400
    html = (await client.get("/transparency/employer-income-tax-returns?page=2")).text
    assert "Page 2 of 2" in html and 'rel="prev"' in html
