"""The register of data use in a browser: a steward proposes, the provider's DPO decides."""

from __future__ import annotations

import re

import pytest

TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf(page: str) -> str:
    match = TOKEN.search(page)
    assert match, "every form carries a CSRF token"
    return match.group(1)


async def sign_in(client, email: str) -> None:
    client.follow_redirects = False
    client.cookies.clear()
    page = await client.get("/signin")
    response = await client.post(
        "/signin",
        data={
            "email": email,
            "password": "demo-password",
            "next": "/agreements",
            "_csrf_token": csrf(page.text),
        },
    )
    assert response.status_code == 303, response.text


def proposal_form(token: str, **overrides: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "_csrf_token": token,
        "dataset": "central-population-register",
        "consumer": "ministry-of-labour",
        "service_title": "Parental allowance",
        "attributes": ["personal_id", "birth_date"],
        "attribute_names": ["personal_id", "birth_date", "sex"],
        "need.personal_id": "Identifies the parent.",
        "need.birth_date": "The child's age decides the allowance.",
        "purpose_code": "FraudPreventionAndDetection",
        "purpose_text": "Check that the allowance is not paid twice.",
        "legal_basis": "A6-1-e",
        "law_iri": "https://pisrs.example.si/eli/zakon/2014/ZSDP-1",
        "law_title": "Parental Protection and Family Benefits Act",
        "valid_from": "2027-01-01",
        "valid_until": "2029-12-31",
    }
    form.update(overrides)
    return form


@pytest.fixture
async def labour(client, seeded) -> None:
    await sign_in(client, "steward@ministry-of-labour.example.si")


async def test_the_proposal_form_lists_the_chosen_datasets_attributes(client, labour):
    choose = await client.get("/agreements/new")
    assert choose.status_code == 200
    assert "central-population-register" in choose.text
    assert "population-by-municipality" not in choose.text  # open data needs no agreement
    form = await client.get("/agreements/new", params={"dataset": "central-population-register"})
    assert form.status_code == 200
    assert 'value="permanent_address_id"' in form.text and "Date of birth" in form.text


async def test_a_proposal_with_problems_is_shown_again_with_each_problem(client, labour):
    page = await client.get("/agreements/new", params={"dataset": "central-population-register"})
    response = await client.post(
        "/agreements/new", data=proposal_form(csrf(page.text), law_iri="", legal_basis="A6-1-f")
    )
    assert response.status_code == 422
    assert "cannot rely on legitimate interests" in response.text
    assert 'value="Parental allowance"' in response.text  # what was typed is kept


async def test_propose_then_the_dpo_reviews_and_must_assess_before_approving(client, labour):
    page = await client.get("/agreements/new", params={"dataset": "central-population-register"})
    response = await client.post("/agreements/new", data=proposal_form(csrf(page.text)))
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    detail = await client.get(url)
    assert "Needs an assessment of compatibility" in detail.text
    assert "/approve" not in detail.text  # the consumer cannot decide

    await sign_in(client, "dpo@ministry-of-the-interior.example.si")
    review = await client.get(url)
    assert 'action="' + url + '/approve"' in review.text
    token = csrf(review.text)
    refused = await client.post(f"{url}/approve", data={"_csrf_token": token, "reason": "ok"})
    assert refused.status_code == 422
    assert "Answer this GDPR Art. 6(4) factor" in refused.text
    answers = {
        f"assessment.{name}": "Answered."
        for name in ("link", "context", "nature", "consequences", "safeguards")
    }
    approved = await client.post(
        f"{url}/approve", data={"_csrf_token": csrf(refused.text), **answers}
    )
    assert approved.status_code == 303
    final = await client.get(url)
    assert "Approved" in final.text and "Mojca Rozman" in final.text


async def test_the_register_page_and_the_partial_list(client, seeded):
    client.follow_redirects = False
    anonymous = await client.get("/agreements/new")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/signin")
    page = await client.get("/agreements")
    assert page.status_code == 200
    assert "Child benefit" in page.text
    assert "Invitations to events" not in page.text  # rejected: only the parties see it
    from catalogue.agreements.pages import agreements_for_dataset, agreements_for_organisation

    uses = await agreements_for_dataset("central-population-register", None)
    assert {u["reference"] for u in uses} == {
        "DUA-2024-001",
        "DUA-2024-004",
        "DUA-2024-006",
        "DUA-2019-009",
    }
    mine = await agreements_for_organisation("statistical-office", None)
    assert {u["consumer"] for u in mine} == {"statistical-office"} and len(mine) == 3


async def test_dataset_and_organisation_pages_list_who_uses_the_data(client, seeded):

    page = await client.get("/dataset/central-population-register", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Who uses this data" in page.text and "Child benefit" in page.text
    assert "/transparency/central-population-register" in page.text
    open_page = await client.get("/dataset/business-register", headers={"Accept": "text/html"})
    assert "Who uses this data" not in open_page.text
    organisation = await client.get(
        "/organisation/ministry-of-labour", headers={"Accept": "text/html"}
    )
    assert "Data-use agreements" in organisation.text and "Child benefit" in organisation.text


def test_the_proposal_form_names_its_problems_in_plain_words():
    from catalogue.agreements.forms import plain_problems
    from catalogue.domain.problems import Problem

    shown = plain_problems(
        [
            Problem(
                "attributes",
                "List should have at least 1 item after validation, not 0",
                "too_short",
            ),
            Problem("valid_until", "is required", "missing"),
            Problem(
                "service.url", "must be an absolute http:// or https:// address", "value_error"
            ),
        ]
    )
    assert [(p["label"], p["message"], p["anchor"]) for p in shown] == [
        (
            "Information the service needs",
            "Tick at least one piece of information the service needs.",
            "f-attributes",
        ),
        ("Until", "Give the date the agreement ends, such as 2026-01-31.", "f-until"),
        ("Public service", "Must be an absolute http:// or https:// address", "f-service"),
    ]


async def test_the_lists_of_uses_follow_every_agreement_change_at_once(client, seeded):
    """The pages' lists of agreements are kept per catalogue version; an agreement written
    by any path (here straight in the table) moves that version, so no list outlives it."""
    from catalogue.agreements.pages import agreements_for_organisation
    from catalogue.agreements.tables import Agreement
    from catalogue.datasets.versions import current_version

    before = await agreements_for_organisation("statistical-office", None)
    assert len(before) == 3
    reference = before[0]["reference"]
    version = await current_version()
    await Agreement.update({Agreement.status: "rejected"}).where(Agreement.reference == reference)
    assert await current_version() > version
    after = await agreements_for_organisation("statistical-office", None)
    assert {use["reference"] for use in after} == {u["reference"] for u in before} - {reference}
    page = await client.get("/organisation/statistical-office", headers={"Accept": "text/html"})
    assert reference not in page.text
