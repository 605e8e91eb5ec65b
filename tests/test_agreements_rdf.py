"""Approved agreements published in RDF next to their dataset: ODRL for the usage policy,
DPV for purpose, legal basis and personal data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ODRL2, RDF, XSD

DPV = "https://w3id.org/dpv#"
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
async def demo_catalogue() -> None:

    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture
async def client(demo_catalogue: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


async def _graph(client, slug: str, ext: str = "ttl") -> Graph:
    response = await client.get(f"/dataset/{slug}/agreements.{ext}")
    assert response.status_code == 200, response.text
    fmt = {"ttl": "turtle", "jsonld": "json-ld"}[ext]
    return Graph().parse(data=response.text, format=fmt)


async def test_each_approved_agreement_is_an_odrl_agreement_with_dpv_terms(client):
    graph = await _graph(client, "central-population-register")
    agreements = set(graph.subjects(RDF.type, ODRL2.Agreement))
    assert len(agreements) == 3  # approved only: not rejected, expired or proposed
    child = next(a for a in agreements if (a, None, Literal("DUA-2024-001")) in graph)
    assert (child, RDF.type, ODRL2.Policy) in graph
    assert (child, ODRL2.assigner, URIRef(f"{BASE}/organisation/ministry-of-the-interior")) in graph
    assert (child, ODRL2.assignee, URIRef(f"{BASE}/organisation/ministry-of-labour")) in graph
    purpose = URIRef("https://w3id.org/dpv/sector/publicservices#SocialWelfareProvision")
    assert (child, URIRef(DPV + "hasPurpose"), purpose) in graph
    bases = set(graph.objects(child, URIRef(DPV + "hasLegalBasis")))
    assert URIRef("https://w3id.org/dpv/legal/eu/gdpr#A6-1-e") in bases
    assert URIRef("https://pisrs.example.si/eli/zakon/2014/ZSDP-1") in bases
    personal = set(graph.objects(child, URIRef(DPV + "hasPersonalData")))
    assert URIRef("https://w3id.org/dpv/pd#BirthDate") in personal


async def test_the_permission_uses_the_attributes_for_the_purpose_within_the_dates(client):
    graph = await _graph(client, "central-population-register")
    child = next(graph.subjects(None, Literal("DUA-2024-001")))
    [permission] = list(graph.objects(child, ODRL2.permission))
    assert (permission, ODRL2.action, ODRL2.use) in graph
    targets = set(graph.objects(permission, ODRL2.target))
    assert len(targets) == 3
    for target in targets:
        assert (
            target,
            ODRL2.partOf,
            URIRef(f"{BASE}/dataset/central-population-register"),
        ) in graph
    constraints = {
        (
            graph.value(c, ODRL2.leftOperand),
            graph.value(c, ODRL2.operator),
            graph.value(c, ODRL2.rightOperand),
        )
        for c in graph.objects(permission, ODRL2.constraint)
    }
    assert (ODRL2.dateTime, ODRL2.gteq, Literal("2024-01-01", datatype=XSD.date)) in constraints
    assert (ODRL2.dateTime, ODRL2.lteq, Literal("2028-12-31", datatype=XSD.date)) in constraints
    purposes = [c for c in constraints if c[0] == ODRL2.purpose]
    assert purposes and purposes[0][1] == ODRL2.isA


async def test_json_ld_is_published_too_and_closed_data_has_no_dpv_basis(client):
    graph = await _graph(client, "critical-infrastructure-register", "jsonld")
    [agreement] = list(graph.subjects(RDF.type, ODRL2.Agreement))
    [law] = list(graph.objects(agreement, URIRef(DPV + "hasLegalBasis")))  # no GDPR basis
    assert str(law).endswith("/ZKI")
    assert not list(graph.objects(agreement, URIRef(DPV + "hasPersonalData")))


async def test_unknown_or_hidden_datasets_are_404(client):
    assert (await client.get("/dataset/no-such-thing/agreements.ttl")).status_code == 404
    assert (
        await client.get("/dataset/pre-filled-income-tax-assessments/agreements.ttl")
    ).status_code == 404


async def test_a_dataset_without_agreements_answers_an_empty_graph(client):
    graph = await _graph(client, "census-microdata")
    assert not list(graph.subjects(RDF.type, ODRL2.Agreement))
