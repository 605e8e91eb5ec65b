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


async def test_who_uses_data_about_me_lists_every_personal_dataset(client):
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
