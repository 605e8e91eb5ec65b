"""A field declared only in the registry and the document model reaches every layer for real.

``technical.temporal_resolution`` (DCAT-AP 3 ``dcat:temporalResolution``) was added by two
declarations and no other code: here a steward publishes it through the API and it shows in
the DCAT-AP output (and reads back from it), in the CKAN package, on the steward form and on
the dataset page; every registry facet is answered by the search API.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from catalogue.domain.fields import FACETS, field
from catalogue.domain.fieldspec import DCAT_AP
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset
from tests.test_ui_pages import BROWSER, visible_text

API = "/api/v1/datasets"
NEW = field("technical.temporal_resolution")
EMAIL, PASSWORD = "resolution@example.gov", "correct horse battery"
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
async def published(client: Any) -> dict[str, str]:
    await make_organisation()
    steward = await make_user(EMAIL, {PUBLISHER: "steward"})
    document = open_dataset("monthly-prices")
    document["technical"]["temporal_resolution"] = "P1M"
    response = await client.post(API, json={**document, "status": "published"}, headers=steward)
    assert response.status_code == 201, response.text
    assert response.json()["technical"]["temporal_resolution"] == "P1M"
    return steward


async def test_the_new_field_is_in_dcat_and_reads_back(client: Any, published: Any) -> None:
    response = await client.get("/dataset/monthly-prices.ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    predicate = URIRef(NEW.rdf[DCAT_AP].predicate)
    values = list(graph.objects(None, predicate))
    assert values == [Literal("P1M", datatype=URIRef(NEW.rdf[DCAT_AP].datatype))]

    from catalogue.dcat.reverse import dataset_subjects, document_from_graph
    from catalogue.vocabularies import default_vocabularies

    subject = dataset_subjects(graph)[0]
    base = str(subject).rsplit("/dataset/", 1)[0]
    back = document_from_graph(graph, subject, default_vocabularies(), base)
    assert back.technical.temporal_resolution == "P1M"


async def test_an_invalid_value_is_refused_beside_the_field(client: Any, published: Any) -> None:
    document = open_dataset("bad-resolution")
    document["technical"]["temporal_resolution"] = "monthly"
    response = await client.post(API, json=document, headers=published)
    assert response.status_code == 422
    fields = [problem["field"] for problem in response.json()["problems"]]
    assert "technical.temporal_resolution" in fields


async def test_the_new_field_is_a_ckan_extra(client: Any, published: Any) -> None:
    response = await client.get("/api/3/action/package_show", params={"id": "monthly-prices"})
    extras = {extra["key"]: extra["value"] for extra in response.json()["result"]["extras"]}
    assert extras[NEW.ckan[0].key] == "P1M"


async def test_the_new_field_is_on_the_dataset_page(client: Any, published: Any) -> None:
    response = await client.get("/dataset/monthly-prices", headers=BROWSER)
    text = visible_text(response.text)
    assert f"{NEW.display().label} 1 month" in text  # P1M, in words


async def test_the_new_field_is_on_the_steward_form(client: Any, published: Any) -> None:
    page = await client.get("/signin")
    token = TOKEN.search(page.text)
    assert token
    signed_in = await client.post(
        "/signin",
        data={
            "email": EMAIL,
            "password": PASSWORD,
            "next": "/dashboard",
            "_csrf_token": token.group(1),
        },
    )
    assert signed_in.status_code in {200, 303}
    form = await client.get("/dataset/monthly-prices/edit/files")
    assert form.status_code == 200
    assert 'name="technical.temporal_resolution"' in form.text
    assert 'value="P1M"' in form.text
    assert NEW.label in form.text and NEW.help.split(":")[0] in form.text


async def test_the_search_api_answers_every_registry_facet(client: Any, published: Any) -> None:
    from catalogue.search.index_drain import drain

    await drain()
    response = await client.get("/api/v1/search", params={"q": "prices"})
    assert response.status_code == 200
    assert list(response.json()["facets"]) == [facet.name for facet in FACETS]
