"""Data services as stewards describe them: the form, the API, the links, RDF both ways.

A service has its own licence, access, terms, documentation, HVD category and laws, may serve
other datasets, and distributions name the service that serves them.
"""

from __future__ import annotations

import copy
from typing import Any

from rdflib import Graph, URIRef

from catalogue.dcat.mapping import DatasetContext, dataset_graph, dataset_iri
from catalogue.dcat.namespaces import DCAT, DCATAP, DCT, FOAF
from catalogue.dcat.reverse import document_from_graph
from catalogue.domain import rules
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.services import HVD_LEGISLATION, link_problems
from catalogue.ui.forms.mapping import document_to_form, form_to_document
from catalogue.ui.forms.view import build_form
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset

API = "/api/v1/datasets"
BASE = "https://data.example.si"
SERVICE = {
    "id": "api",
    "title": {"en": "Roads API"},
    "endpoint_url": "https://api.example.gov/roads/v1",
    "endpoint_description": "https://api.example.gov/roads/v1/openapi.json",
    "documentation": "https://www.example.gov/developers/roads",
    "conforms_to": ["https://spec.openapis.org/oas/v3.1.0"],
    "licence": "CC_BY_4_0",
    "access_rights": "RESTRICTED",
    "rights": {"en": "Free of charge; 100 requests a minute."},
    "hvd_categories": ["c_b79e35eb"],
    "legislation": [HVD_LEGISLATION],
    "serves": ["bridges"],
}


def with_service(**changes: Any) -> dict[str, Any]:
    raw = open_dataset("roads")
    raw["technical"]["data_services"] = [{**copy.deepcopy(SERVICE), **changes}]
    raw["technical"]["distributions"][0].update(
        {"access_service": "api", "legislation": [HVD_LEGISLATION]}
    )
    return raw


# --- RDF both ways ------------------------------------------------------------------------


def test_a_service_goes_out_with_every_field_and_comes_back(vocabularies: Any) -> None:
    document = DatasetDocument.model_validate(with_service()).with_generated_ids()
    graph = dataset_graph(document, DatasetContext(base_url=BASE), vocabularies)
    dataset = dataset_iri(BASE, "roads")
    service = URIRef(f"{dataset}/service/api")
    distribution = next(graph.objects(dataset, DCAT.distribution))
    assert (distribution, DCAT.accessService, service) in graph
    assert (distribution, DCATAP.applicableLegislation, URIRef(HVD_LEGISLATION)) in graph
    assert (service, DCAT.servesDataset, dataset) in graph
    assert (service, DCAT.servesDataset, dataset_iri(BASE, "bridges")) in graph
    assert (service, FOAF.page, URIRef(SERVICE["documentation"])) in graph
    assert (service, DCATAP.hvdCategory, None) in graph
    assert (service, DCT.license, None) in graph and (service, DCT.rights, None) in graph
    back = document_from_graph(graph, dataset, vocabularies, BASE)
    assert back.technical.data_services == document.technical.data_services
    assert back.technical.distributions == document.technical.distributions


def test_a_service_without_access_rights_has_the_datasets(vocabularies: Any) -> None:
    raw = with_service()
    del raw["technical"]["data_services"][0]["access_rights"]
    document = DatasetDocument.model_validate(raw).with_generated_ids()
    graph = dataset_graph(document, DatasetContext(base_url=BASE), vocabularies)
    service = URIRef(f"{dataset_iri(BASE, 'roads')}/service/api")
    public = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
    assert (service, DCT.accessRights, public) in graph
    back = document_from_graph(graph, dataset_iri(BASE, "roads"), vocabularies, BASE)
    assert back.technical.data_services[0].access_rights is None


def test_a_foreign_service_serving_two_datasets_is_read_once(vocabularies: Any) -> None:
    turtle = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <https://x.example/ds/roads> a dcat:Dataset ; dct:title "A"@en ;
        dcat:distribution <https://x.example/dist/a1> .
    <https://x.example/dist/a1> a dcat:Distribution ;
        dcat:accessURL <https://x.example/a.csv> ; dcat:accessService <https://x.example/api> .
    <https://x.example/ds/bridges> a dcat:Dataset ; dct:title "B"@en .
    <https://x.example/api> a dcat:DataService ; dct:title "The API"@en ;
        dcat:endpointURL <https://x.example/api/v1> ;
        dcat:servesDataset <https://x.example/ds/roads>, <https://x.example/ds/bridges> .
    """
    graph = Graph().parse(data=turtle, format="turtle")
    a = document_from_graph(graph, URIRef("https://x.example/ds/roads"), vocabularies, BASE)
    b = document_from_graph(graph, URIRef("https://x.example/ds/bridges"), vocabularies, BASE)
    assert [s.endpoint_url for s in a.technical.data_services] == ["https://x.example/api/v1"]
    assert a.technical.data_services[0].serves == ["bridges"]
    assert a.technical.distributions[0].access_service == "api"
    assert b.technical.data_services == []


# --- links and HVD rules ------------------------------------------------------------------


def test_links_name_the_field_that_is_wrong() -> None:
    raw = with_service(serves=["roads"])
    raw["technical"]["distributions"][0]["access_service"] = "wfs"
    raw["technical"]["data_services"].append({**SERVICE, "serves": []})
    problems = {p.field: p.code for p in link_problems(DatasetDocument.model_validate(raw))}
    assert problems == {
        "technical.distributions[0].access_service": "unknown_service",
        "technical.data_services[0].serves[0]": "serves_itself",
        "technical.data_services[1].id": "duplicate_id",
    }


def test_a_high_value_dataset_is_told_what_its_api_lacks(vocabularies: Any) -> None:
    raw = with_service()
    raw["semantic"]["hvd_categories"] = ["c_b79e35eb"]
    raw["legal"]["legislation"] = [{"iri": HVD_LEGISLATION}]
    context = rules.RuleContext(vocabularies=vocabularies)
    complete = rules.check(DatasetDocument.model_validate(raw), context)
    assert [p for p in complete if p.code == "hvd"] == []
    for key in ("documentation", "hvd_categories", "legislation", "licence", "rights"):
        del raw["technical"]["data_services"][0][key]
    raw["technical"]["distributions"][0]["legislation"] = []
    found = {
        p.field
        for p in rules.check(DatasetDocument.model_validate(raw), context)
        if p.code == "hvd"
    }
    assert found == {
        "technical.data_services[0].documentation",
        "technical.data_services[0].hvd_categories",
        "technical.data_services[0].legislation",
        "technical.data_services[0].licence",
        "technical.distributions[0].legislation",
    }
    assert all(
        p.severity == "warning"
        for p in rules.check(DatasetDocument.model_validate(raw), context)
        if p.code == "hvd"
    )


# --- the form -----------------------------------------------------------------------------


def test_a_steward_adds_a_service_and_links_a_distribution_to_it() -> None:
    form = document_to_form(open_dataset("roads"))
    form.update(
        {
            "technical.data_services[0].title.en": ["Roads API"],
            "technical.data_services[0].endpoint_url": ["https://api.example.gov/roads/v1"],
            "technical.data_services[0].documentation": ["https://www.example.gov/dev/roads"],
            "technical.data_services[0].hvd_categories": ["c_b79e35eb"],
            "technical.data_services[0].legislation": [HVD_LEGISLATION],
            "technical.distributions[0].access_service": ["#1"],
            "technical.distributions[0].legislation": [HVD_LEGISLATION],
        }
    )
    view = build_form(form, classification="open", choices={}, languages=["en"])
    control = next(
        c
        for section in view.sections
        for c in _controls(section)
        if c.name == "technical.distributions[0].access_service"
    )
    assert [(c.value, c.label, c.selected) for c in control.choices] == [
        ("#1", "Data service 1: Roads API", True)
    ]
    document = DatasetDocument.model_validate(form_to_document(form))
    assert document.technical.data_services[0].id == "service-1"
    assert document.technical.distributions[0].access_service == "service-1"
    assert document.technical.data_services[0].hvd_categories == ["c_b79e35eb"]
    assert link_problems(document) == []
    # and the edit form shows it again by its short name
    again = document_to_form(document.model_dump(mode="json"))
    assert again["technical.distributions[0].access_service"] == ["service-1"]
    assert again["technical.data_services[0].id"] == ["service-1"]


def test_a_wrong_link_is_shown_beside_the_distributions_field() -> None:
    raw = with_service()
    raw["technical"]["distributions"][0]["access_service"] = "gone"
    problems = link_problems(DatasetDocument.model_validate(raw))
    view = build_form(
        document_to_form(raw),
        classification="open",
        choices={},
        languages=["en"],
        problems=problems,
    )
    control = next(
        c
        for section in view.sections
        for c in _controls(section)
        if c.name == "technical.distributions[0].access_service"
    )
    assert control.errors and "no data service with the id 'gone'" in control.errors[0]
    assert any("gone" in item.message for item in view.summary)


def _controls(item: Any) -> Any:
    """Every control under a section, row or group."""
    for child in [*getattr(item, "items", []), *getattr(item, "rows", [])]:
        if hasattr(child, "item"):  # a wrapper around a part asked for some classes only
            child = child.item
        if hasattr(child, "choices") and hasattr(child, "errors") and not hasattr(child, "rows"):
            yield child
        yield from _controls(child)


# --- the API ------------------------------------------------------------------------------


async def _steward() -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


async def test_the_api_keeps_every_field_of_a_service(client: Any) -> None:
    steward = await _steward()
    response = await client.post(API, json=with_service(serves=[]), headers=steward)
    assert response.status_code == 201, response.text
    body = (await client.get(f"{API}/roads", headers=steward)).json()
    service = body["technical"]["data_services"][0]
    assert {key: service[key] for key in SERVICE if key != "serves"} == {
        key: value for key, value in SERVICE.items() if key != "serves"
    }
    assert body["technical"]["distributions"][0]["access_service"] == "api"
    turtle = await client.get("/dataset/roads.ttl", headers=steward)
    assert "dcat:accessService" in turtle.text and "foaf:page" in turtle.text


async def test_the_api_names_each_wrong_field_of_a_service(client: Any) -> None:
    steward = await _steward()
    raw = with_service(
        documentation="not an address", hvd_categories=["NOPE"], licence="NO_SUCH_LICENCE"
    )
    raw["technical"]["distributions"][0]["access_service"] = "wfs"
    response = await client.post(API, json=raw, headers=steward)
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert "technical.data_services[0].documentation" in fields
    raw["technical"]["data_services"][0]["documentation"] = SERVICE["documentation"]
    response = await client.post(API, json=raw, headers=steward)
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["problems"]} == {
        "technical.data_services[0].hvd_categories[0]",
        "technical.data_services[0].licence",
        "technical.distributions[0].access_service",
    }


async def test_other_datasets_a_service_serves_are_hidden_when_not_public(client: Any) -> None:
    steward = await _steward()
    draft = open_dataset("bridges")
    assert (await client.post(API, json=draft, headers=steward)).status_code == 201
    raw = with_service(access_rights=None)
    raw["status"] = "published"
    response = await client.post(API, json=raw, headers=steward)
    assert response.status_code == 201, response.text
    public = (await client.get(f"{API}/roads")).json()
    assert public["technical"]["data_services"][0]["serves"] == []
    own = (await client.get(f"{API}/roads", headers=steward)).json()
    assert own["technical"]["data_services"][0]["serves"] == ["bridges"]
    turtle = (await client.get("/dataset/roads.ttl")).text
    assert "/dataset/bridges" not in turtle
    page = (await client.get("/dataset/roads")).text
    assert "/dataset/bridges" not in page and "Roads API" in page


async def test_the_page_shows_a_services_facts_and_the_datasets_it_serves(
    client: Any, seeded: None
) -> None:
    page = (await client.get("/dataset/consumer-price-index")).text
    assert 'id="service-pxweb"' in page and "SI-STAT PX-Web API" in page
    assert 'href="#service-pxweb"' in page  # a distribution says which service serves it
    assert "https://www.stat.example.si/en/developers/pxweb-api" in page
    assert "Also serves" in page and 'href="/dataset/gdp-quarterly"' in page
    assert "Implementing Regulation (EU) 2023/138" in page


def test_the_history_hides_served_datasets_the_reader_may_not_see() -> None:
    from catalogue.domain import disclosure

    before = [{"endpoint_url": "https://a.example/api", "serves": ["public-one"]}]
    after = [{"endpoint_url": "https://a.example/api", "serves": ["public-one", "a-draft"]}]
    changes = {"technical.data_services": {"from": before, "to": after}}
    assert disclosure.related_in_changes(changes) == ["public-one", "public-one", "a-draft"]
    assert disclosure.hide_related_changes(changes, {"public-one"}) == {}  # nothing left
    shown = disclosure.hide_related_changes(changes, {"public-one", "a-draft"})
    assert shown == changes
    body = {"semantic": {"related": ["a-draft"]}, "technical": {"data_services": after}}
    assert disclosure.hide_related(body, {"public-one"}) == {
        "semantic": {"related": []},
        "technical": {"data_services": [{**after[0], "serves": ["public-one"]}]},
    }
