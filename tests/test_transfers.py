"""Transfers of personal data outside the EU/EEA (GDPR Chapter V): stated once in the dataset,
checked by the rules, published in DPV, listed in the record of processing (Art. 30(1)(e))
and explained to citizens."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, URIRef

from catalogue.domain import rules
from catalogue.domain.closed_and_personal_rules import EEA_COUNTRIES
from catalogue.domain.dataset import DatasetDocument
from tests.factories import changed, personal_dataset

GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
DPV = "https://w3id.org/dpv#"
TO_SWITZERLAND = {"country": "CHE", "recipient": "Swiss insurer", "basis": "A45-3"}


def with_transfers(*transfers: dict[str, Any]) -> dict[str, Any]:
    return changed(personal_dataset(), "legal.personal_data.transfers", list(transfers))


def problems(raw: dict[str, Any], vocabularies: Any, publisher_type: str = "NationalAuthority"):
    context = rules.RuleContext(vocabularies=vocabularies, publisher_type=publisher_type)
    found = rules.check(DatasetDocument.model_validate(raw), context)
    return {(p.field, p.code, p.severity) for p in found}


def test_a_transfer_with_a_country_and_a_basis_is_complete(vocabularies):
    assert problems(with_transfers(TO_SWITZERLAND), vocabularies) == set()
    to_oecd = {"organisation": "OECD", "basis": "A46-2-a"}
    assert problems(with_transfers(to_oecd), vocabularies) == set()


@pytest.mark.parametrize(
    ("transfer", "field", "code"),
    [
        ({"basis": "A45-3"}, "country", "transfer_destination_missing"),
        ({"country": "CHE"}, "basis", "transfer_basis_missing"),
        ({"country": "DEU", "basis": "A45-3"}, "country", "transfer_in_eea"),
        ({"country": "NOR", "basis": "A45-3"}, "country", "transfer_in_eea"),
        ({"country": "USA", "basis": "A49-2"}, "safeguards", "transfer_safeguards_missing"),
    ],
)
def test_each_transfer_rule_names_the_field(transfer, field, code, vocabularies):
    found = problems(with_transfers(TO_SWITZERLAND, transfer), vocabularies)
    assert (f"legal.personal_data.transfers[1].{field}", code, "error") in found


def test_compelling_interests_with_documented_safeguards_pass(vocabularies):
    transfer = {"country": "USA", "basis": "A49-2", "safeguards": {"en": "Pseudonymised."}}
    found = problems(with_transfers(transfer), vocabularies, publisher_type="Company")
    assert found == set()


def test_authorities_are_warned_off_consent_and_contract_derogations(vocabularies):
    transfer = {"country": "USA", "basis": "A49-1-a"}
    warning = (
        "legal.personal_data.transfers[0].basis",
        "transfer_derogation_for_authority",
        "warning",
    )
    assert warning in problems(with_transfers(transfer), vocabularies)
    assert warning not in problems(with_transfers(transfer), vocabularies, "Company")


def test_transfer_codes_are_controlled(vocabularies):
    from catalogue.domain.codes import normalise_codes

    raw = with_transfers({"country": "Narnia", "basis": "A99"})
    _document, found = normalise_codes(DatasetDocument.model_validate(raw), vocabularies, ())
    assert {p.field for p in found} == {
        "legal.personal_data.transfers[0].country",
        "legal.personal_data.transfers[0].basis",
    }
    iri = with_transfers({"country": "CHE", "basis": f"{GDPR}A46-2-c"})
    document, found = normalise_codes(DatasetDocument.model_validate(iri), vocabularies, ())
    assert found == [] and document.legal.personal_data.transfers[0].basis == "A46-2-c"


def test_the_transfer_bases_vocabulary_gives_each_article(vocabularies):
    bases = vocabularies["transfer-bases"]
    assert bases.get("A45-3").flags["article"] == "45(3)"
    assert bases.get("A46-2-a").flags["article"] == "46(2)(a)"
    assert bases.get("A49-2").flags["article"] == "49(1), second subparagraph"
    assert bases.get(f"{GDPR}A46-2-c").code == "A46-2-c"
    assert len(bases.concepts) == 17


def test_every_eea_code_is_a_known_country(vocabularies):
    assert all(vocabularies["countries"].get(code) for code in EEA_COUNTRIES)


def test_transfers_are_published_in_dpv_and_read_back(vocabularies):
    from catalogue.dcat.mapping import DatasetContext, dataset_graph
    from catalogue.dcat.reverse import document_from_graph

    document = DatasetDocument.model_validate(
        with_transfers(
            TO_SWITZERLAND,
            {"organisation": "OECD", "basis": "A46-2-a", "safeguards": {"en": "Aggregates only."}},
        )
    )
    context = DatasetContext(base_url="http://127.0.0.1:8000")
    graph: Graph = dataset_graph(document, context, vocabularies)
    subject = URIRef("http://127.0.0.1:8000/dataset/personal-example")
    processes = list(graph.objects(subject, URIRef(f"{DPV}hasProcess")))
    assert len(processes) == 2
    first = URIRef(f"{subject}#transfer-1")
    assert (first, URIRef(f"{DPV}hasProcessing"), URIRef(f"{DPV}Transfer")) in graph
    assert (first, URIRef(f"{DPV}hasLegalBasis"), URIRef(f"{GDPR}A45-3")) in graph
    assert (
        first,
        URIRef(f"{DPV}hasThirdCountry"),
        URIRef("http://publications.europa.eu/resource/authority/country/CHE"),
    ) in graph
    again = document_from_graph(graph, subject, vocabularies, "http://127.0.0.1:8000")
    assert again.legal.personal_data.transfers == document.legal.personal_data.transfers


async def test_the_seed_records_transfers_in_the_ropa_and_for_citizens(client, seeded):
    from tests.factories import make_user

    admin = await make_user("admin@example.gov", global_role="admin")
    ropa = (await client.get("/api/v1/ropa", headers=admin)).json()
    activities = [
        a
        for record in ropa["controllers"]
        for a in record["activities"]
        if a["dataset"] == "compulsory-health-insurance-register" and a["activity"] == "register"
    ]
    transfers = activities[0]["transfers"]["third_countries"]
    assert [t["country"]["label"] for t in transfers] == ["Bosnia and Herzegovina", "Switzerland"]
    assert transfers[0]["basis"]["code"] == "A46-2-a"
    assert transfers[0]["basis"]["article"] == "46(2)(a)"
    csv = (await client.get("/api/v1/ropa", params={"format": "csv"}, headers=admin)).text
    assert "Switzerland, to Common Institution under the Swiss Federal Health Insurance Act" in csv

    page = (await client.get("/transparency/compulsory-health-insurance-register")).text
    assert "Is the data sent outside the EU?" in page
    assert "To Switzerland" in page and "protects personal data adequately" in page
    twin = (await client.get("/transparency/compulsory-health-insurance-register.json")).json()
    assert twin["transfers"][0]["article"] == "Article 46(2)(a) GDPR"
    other = (await client.get("/transparency/central-population-register")).text
    assert "No transfer outside the European Union" in other
    dataset = (await client.get("/dataset/compulsory-health-insurance-register")).text
    assert "Sent outside the EU and EEA" in dataset and "Bosnia and Herzegovina" in dataset


async def test_a_steward_records_a_transfer_in_the_form_and_an_eea_country_is_refused(client):
    import html

    from tests.factories import PUBLISHER, make_organisation, make_user
    from tests.test_ui_steward_pages import EMAIL, csrf, personal_form

    await make_organisation()
    await make_user(EMAIL, {PUBLISHER: "steward"})
    client.follow_redirects = False
    page = await client.get("/signin")
    await client.post(
        "/signin",
        data={"email": EMAIL, "password": "correct horse battery", "_csrf_token": csrf(page.text)},
    )
    page = await client.get("/dataset/new?classification=personal")
    draft = await client.post(
        "/dataset/new", data={**personal_form(csrf(page.text)), "_action": "save"}
    )
    assert draft.status_code == 303, draft.text
    page = await client.get("/dataset/staff-records/edit/personal")
    assert 'value="add:legal.personal_data.transfers"' in page.text  # "Add a transfer"
    personal = {
        key: value
        for key, value in personal_form(csrf(page.text)).items()
        if key.startswith("legal.personal_data") or key == "_csrf_token"
    }
    complete = {
        **personal,
        "_revision": "1",
        "_action": "continue",
        "legal.personal_data.data_subjects": "Employee",
        "legal.personal_data.personal_data_categories": "Name",
        "legal.personal_data.retention.period": "P5Y",
        "legal.personal_data.transfers[0].country": "DEU",
        "legal.personal_data.transfers[0].recipient": "Payroll bureau",
        "legal.personal_data.transfers[0].basis": "A46-2-c",
    }
    assert (await client.post("/dataset/staff-records/edit/personal", data=complete)).is_redirect
    tasks = await client.get("/dataset/staff-records/edit")
    refused = await client.post(
        "/dataset/staff-records/edit",
        data={"_csrf_token": csrf(tasks.text), "_revision": "2", "_action": "publish"},
    )
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert (
        'href="/dataset/staff-records/edit/personal#f-legal-personal_data-transfers-0-country"'
        in (text)
    )
    assert "This country is in the EU/EEA" in text

    complete["legal.personal_data.transfers[0].country"] = "CHE"
    complete["_revision"] = "2"
    complete["_csrf_token"] = csrf(refused.text)
    assert (await client.post("/dataset/staff-records/edit/personal", data=complete)).is_redirect
    published = await client.post(
        "/dataset/staff-records/edit",
        data={"_csrf_token": csrf(refused.text), "_revision": "3", "_action": "publish"},
    )
    assert published.status_code == 303, published.text
    stored = (await client.get("/api/v1/datasets/staff-records")).json()
    assert stored["legal"]["personal_data"]["transfers"] == [
        {
            "country": "CHE",
            "organisation": None,
            "recipient": "Payroll bureau",
            "basis": "A46-2-c",
            "safeguards": {},
        }
    ]
