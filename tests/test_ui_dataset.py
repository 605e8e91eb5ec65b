"""The dataset page: four labelled levels, the classification explained, and its twins."""

from __future__ import annotations

import re
from typing import Any

import pytest

from catalogue.domain.dataset import DatasetDocument
from catalogue.ui.dataset_view import explain
from tests.factories import closed_dataset, make_user, open_dataset, personal_dataset
from tests.test_ui_pages import BROWSER, JSON, visible_text

# --- the sentence under the badge, without HTTP -------------------------------------------


def test_open_data_says_you_may_reuse_it_under_its_licence() -> None:
    document = DatasetDocument.model_validate(open_dataset())
    explanation = explain(document)
    assert explanation.badge == "Open data"
    assert explanation.sentence.startswith("You may download and reuse this data under ")
    assert "Creative Commons" in explanation.sentence or "licence" in explanation.sentence


def test_closed_data_says_it_is_available_on_request_and_how() -> None:
    document = DatasetDocument.model_validate(closed_dataset())
    explanation = explain(document)
    assert explanation.badge == "Closed data"
    assert "available on request" in explanation.sentence
    assert explanation.how_to_request == document.legal.restriction.how_to_request["en"]


def test_personal_data_says_about_whom_under_which_basis_and_why() -> None:
    document = DatasetDocument.model_validate(personal_dataset())
    explanation = explain(document)
    personal = document.legal.personal_data
    assert explanation.badge == "Personal data"
    assert explanation.sentence.startswith("Contains personal data about ")
    basis = "processed under Article 6(1)(e) GDPR: a task in the public interest"
    assert basis in explanation.sentence
    assert " for " in explanation.sentence
    assert personal.legal_bases[0] not in explanation.sentence  # a label, not the code


# --- the page -----------------------------------------------------------------------------


async def test_the_page_shows_the_four_levels_in_labelled_sections(
    client: Any, seeded: None
) -> None:
    response = await client.get("/dataset/census-microdata", headers=BROWSER)
    assert response.status_code == 200
    html = response.text
    for level in ("technical", "semantic", "organisational", "legal"):
        assert f'<section id="{level}" class="level" aria-labelledby="{level}-heading">' in html
    text = visible_text(html)
    for heading in (
        "Technical level",
        "Semantic level",
        "Organisational level",
        "Legal level",
        "Files and APIs",
        "Change history",
    ):
        assert heading in text


async def test_personal_data_is_explained_with_labels_never_raw_iris_or_codes(
    client: Any, seeded: None
) -> None:
    text = visible_text((await client.get("/dataset/census-microdata", headers=BROWSER)).text)
    assert "Personal data" in text
    assert "Contains personal data about citizen, non-citizen and child" in text
    assert "Article 6(1)(e) GDPR: a task in the public interest" in text
    assert "Provide Official Statistics" in text
    assert "Education Qualification" in text  # attribute table: personal-data category label
    assert "EducationQualification" not in text
    assert "A6-1-e" not in text
    assert "50 years" in text  # retention P50Y in words
    assert not re.search(r"https?://(publications\.europa\.eu|w3id\.org)", text)


async def test_open_data_page_says_how_it_may_be_reused_and_links_the_files(
    client: Any, seeded: None
) -> None:
    listing = (await client.get("/search?classification=open", headers=JSON)).json()
    slug = listing["items"][0]["slug"]
    html = (await client.get(f"/dataset/{slug}", headers=BROWSER)).text
    assert "badge--open" in html and "Open data" in html
    assert "You may download and reuse this data" in visible_text(html)
    assert re.search(r'<a class="button[^"]*" href="https?://', html)  # a download/access link


async def test_closed_data_page_says_how_to_request_access(client: Any, seeded: None) -> None:
    listing = (await client.get("/search?classification=closed", headers=JSON)).json()
    slug = listing["items"][0]["slug"]
    text = visible_text((await client.get(f"/dataset/{slug}", headers=BROWSER)).text)
    assert "available on request" in text
    assert "How to request access:" in text


async def test_the_page_links_its_rdf_and_json_twins(client: Any, seeded: None) -> None:
    html = (await client.get("/dataset/census-microdata", headers=BROWSER)).text
    json_link = '<link rel="alternate" type="application/json" href="/api/v1/datasets/census-micro'
    assert json_link + 'data">' in html
    for ext, media_type in (
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ):
        link = f'<link rel="alternate" type="{media_type}" href="/dataset/census-microdata.{ext}"'
        assert link in html


async def test_json_clients_get_the_api_representation(client: Any, seeded: None) -> None:
    page = await client.get("/dataset/census-microdata", headers=JSON)
    api = await client.get("/api/v1/datasets/census-microdata")
    assert page.status_code == 200
    assert page.json() == api.json()
    assert page.headers["etag"] == api.headers["etag"]
    assert "internal_note" not in page.json()


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json")],
)
async def test_rdf_clients_get_dcat_ap(
    client: Any, seeded: None, accept: str, media_type: str
) -> None:
    response = await client.get("/dataset/census-microdata", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "census-microdata" in response.text


async def test_the_rdf_twin_urls_answer(client: Any, seeded: None) -> None:
    response = await client.get("/dataset/census-microdata.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    missing = await client.get("/dataset/no-such-dataset.ttl")
    assert missing.status_code == 404


async def test_drafts_are_visible_to_their_organisation_only(client: Any, seeded: None) -> None:
    draft = "/dataset/maribor-municipal-spatial-plan"
    assert (await client.get(draft, headers=BROWSER)).status_code == 404
    assert (await client.get(f"{draft}.ttl")).status_code == 404
    outsider = await make_user("s@stat.example.si", roles={"statistical-office": "steward"})
    assert (await client.get(draft, headers={**BROWSER, **outsider})).status_code == 404
    member = await make_user("s@maribor.example.si", roles={"city-of-maribor": "steward"})
    page = await client.get(draft, headers={**BROWSER, **member})
    assert page.status_code == 200
    assert "tag--draft" in page.text


async def test_the_change_history_lists_revisions(client: Any, seeded: None) -> None:
    html = (await client.get("/dataset/census-microdata", headers=BROWSER)).text
    history = html.split('id="history"', 1)[1].split("</section>", 1)[0]
    assert "revision 1" in history
    assert "<time datetime=" in history


async def test_an_unknown_dataset_is_a_404_page(client: Any, seeded: None) -> None:
    response = await client.get("/dataset/no-such-dataset", headers=BROWSER)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
