"""Validation (our shapes, the API, the CLI, the publish check) and what changes do to the feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from catalogue.dcat import snapshot
from catalogue.dcat.namespaces import ADMS, DCAT, HYDRA, RDF
from catalogue.dcat.validation import validate_graph
from tests.factories import make_organisation, make_user, open_dataset, personal_dataset

STEWARD = "ministry-of-examples"
GOOD = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://data.example/dataset/a> a dcat:Dataset ; dct:title "A"@en ; dct:description "B"@en .
"""
BROKEN = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://data.example/dataset/a> a dcat:Dataset ; dct:title "A"@en ;
    dcat:distribution <https://data.example/dataset/a/d> .
<https://data.example/dataset/a/d> a dcat:Distribution ;
    dcat:byteSize "lots" ;
    dcat:mediaType <https://example.org/csv> .
"""


@pytest.fixture(autouse=True)
def fresh_snapshot() -> Iterator[None]:
    snapshot.invalidate()
    yield
    snapshot.invalidate()


async def steward() -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {STEWARD: "steward"})


def published(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "status": "published"}


# --- our shapes ---------------------------------------------------------------------------


def test_a_minimal_dataset_conforms_with_warnings() -> None:
    report = validate_graph(Graph().parse(data=GOOD, format="turtle"))
    assert report.conforms
    assert {w.path for w in report.warnings} >= {
        "http://www.w3.org/ns/dcat#contactPoint",
        "http://www.w3.org/ns/dcat#distribution",
    }


def test_violations_name_focus_node_path_and_a_plain_message() -> None:
    report = validate_graph(Graph().parse(data=BROKEN, format="turtle"))
    assert not report.conforms
    by_path = {v.path: v for v in report.violations}
    assert (
        by_path["http://purl.org/dc/terms/description"].focus_node
        == "https://data.example/dataset/a"
    )
    assert "description" in by_path["http://purl.org/dc/terms/description"].message
    assert "access URL" in by_path["http://www.w3.org/ns/dcat#accessURL"].message
    assert "whole number" in by_path["http://www.w3.org/ns/dcat#byteSize"].message
    assert "IANA" in by_path["http://www.w3.org/ns/dcat#mediaType"].message


# --- POST /api/v1/validate ----------------------------------------------------------------


async def test_the_validate_endpoint_grades_a_turtle_body(client: Any) -> None:
    response = await client.post(
        "/api/v1/validate", content=BROKEN, headers={"Content-Type": "text/turtle"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["conforms"] is False
    assert body["summary"]["violations"] == len(body["violations"]) >= 4
    first = body["violations"][0]
    assert {"focus_node", "path", "message", "severity"} <= set(first)


async def test_the_validate_endpoint_reads_json_ld_and_rdf_xml(client: Any) -> None:
    graph = Graph().parse(data=GOOD, format="turtle")
    for fmt, media in (("json-ld", "application/ld+json"), ("xml", "application/rdf+xml")):
        response = await client.post(
            "/api/v1/validate", content=graph.serialize(format=fmt), headers={"Content-Type": media}
        )
        assert response.status_code == 200, response.text
        assert response.json()["conforms"] is True


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("this is not turtle <", "text/turtle", 400),
        ("", "text/turtle", 400),
        ("a,b,c", "text/csv", 415),
        (
            '{"@context": "https://schema.org/", "@id": "https://x.example/a"}',
            "application/ld+json",
            400,
        ),
    ],
)
async def test_unreadable_bodies_are_client_errors(
    client: Any, body: str, content_type: str, status: int
) -> None:
    response = await client.post(
        "/api/v1/validate", content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == status
    assert response.json()["problems"][0]["field"] == "(body)"


# --- the publish check --------------------------------------------------------------------


async def test_a_dcat_ap_violation_blocks_publishing_with_field_paths(client: Any) -> None:
    headers = await steward()
    raw = open_dataset()
    raw["technical"]["distributions"][0]["checksum"] = {"algorithm": "sha256", "value": "not-hex!"}
    raw["technical"]["distributions"].append({"title": {"en": "Nowhere"}, "format": "CSV"})
    response = await client.post("/api/v1/datasets/", json=published(raw), headers=headers)
    assert response.status_code == 422
    problems = {(p["field"], p["code"]) for p in response.json()["problems"]}
    assert ("technical.distributions[0].checksum.value", "dcat_ap") in problems
    assert ("technical.distributions[1].access_url", "dcat_ap") in problems
    draft = await client.post("/api/v1/datasets/", json=raw, headers=headers)
    assert draft.status_code == 201  # drafts may be incomplete
    listed = await client.get("/api/v1/datasets/open-example/problems", headers=headers)
    assert any(
        p["code"] == "dcat_ap" and p["severity"] == "error" for p in listed.json()["problems"]
    )


async def test_a_clean_dataset_publishes_with_dcat_ap_warnings_only(client: Any) -> None:
    headers = await steward()
    response = await client.post(
        "/api/v1/datasets/", json=published(personal_dataset()), headers=headers
    )
    assert response.status_code == 201, response.text
    problems = await client.get("/api/v1/datasets/personal-example/problems", headers=headers)
    dcat = [p for p in problems.json()["problems"] if p["code"] == "dcat_ap"]
    assert dcat and all(p["severity"] == "warning" for p in dcat)
    assert "technical.distributions" in {p["field"] for p in dcat}


# --- changes and paging -------------------------------------------------------------------


async def test_paging_walks_every_page_in_both_hydra_vocabularies(client: Any) -> None:
    headers = await steward()
    for number in range(103):
        raw = published(open_dataset(f"paging-example-{number}"))
        response = await client.post("/api/v1/datasets/", json=raw, headers=headers)
        assert response.status_code == 201, response.text
    seen: set[str] = set()
    url: str | None = "/catalog.ttl?classification=open"
    pages = 0
    while url:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        graph = Graph().parse(data=response.content, format="turtle")
        pages += 1
        assert validate_graph(graph).conforms
        page_items = {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}
        assert not page_items & seen  # stable order: no dataset on two pages
        seen |= page_items
        collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert int(graph.value(collection, HYDRA.totalItems)) == 103
        assert int(graph.value(collection, HYDRA.itemsPerPage)) == 100
        assert graph.value(collection, HYDRA.firstPage) is not None
        assert graph.value(collection, HYDRA.first) is not None
        assert graph.value(collection, HYDRA.lastPage) is not None
        older, newer = graph.value(collection, HYDRA.nextPage), graph.value(collection, HYDRA.next)
        assert (older is None) == (newer is None)
        assert "classification=open" in str(collection)
        url = str(older).split("8000", 1)[-1] if older else None
    assert pages == 2
    assert len(seen) == 103
    second = Graph().parse(data=(await client.get("/catalog.rdf?page=2")).content, format="xml")
    collection = next(second.subjects(RDF.type, HYDRA.PagedCollection))
    assert str(second.value(collection, HYDRA.previousPage)).endswith("page=1")
    assert str(second.value(collection, HYDRA.previous)).endswith("page=1")


async def test_a_withdrawn_dataset_leaves_the_next_harvest(client: Any) -> None:
    headers = await steward()
    for slug in ("stays", "goes"):
        response = await client.post(
            "/api/v1/datasets/", json=published(open_dataset(slug)), headers=headers
        )
        assert response.status_code == 201
    before = await client.get("/catalog.ttl")
    assert b"/dataset/goes" in before.content
    etag = (await client.get("/api/v1/datasets/goes")).headers["etag"]
    gone = await client.delete("/api/v1/datasets/goes", headers={**headers, "If-Match": etag})
    assert gone.status_code == 200
    after = await client.get("/catalog.ttl", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert b"/dataset/goes" not in after.content
    assert b"/dataset/stays" in after.content
    assert (await client.get("/dataset/goes.ttl")).status_code == 404


async def test_a_change_invalidates_the_cached_copy(client: Any) -> None:
    headers = await steward()
    await client.post("/api/v1/datasets/", json=published(open_dataset()), headers=headers)
    first = await client.get("/dataset/open-example.ttl")
    etag = first.headers["etag"]
    assert (
        await client.get("/dataset/open-example.ttl", headers={"If-None-Match": etag})
    ).status_code == 304
    revision = (await client.get("/api/v1/datasets/open-example")).headers["etag"]
    patch = await client.patch(
        "/api/v1/datasets/open-example",
        json={"technical": {"version": "2"}},
        headers={**headers, "If-Match": revision},
    )
    assert patch.status_code == 200, patch.text
    again = await client.get("/dataset/open-example.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.headers["etag"] != etag


# --- the CLI ------------------------------------------------------------------------------


def test_cli_validates_a_file(tmp_path: Path) -> None:
    from catalogue.cli import main

    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(GOOD)
    bad.write_text(BROKEN)
    result = CliRunner().invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "0 violation(s)" in result.output
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "VIOLATION" in result.output


async def test_cli_validates_the_current_feed(client: Any) -> None:
    headers = await steward()
    await client.post("/api/v1/datasets/", json=published(open_dataset()), headers=headers)
    from catalogue.dcat.cli import _feed_graph

    graph, total = await _feed_graph()
    assert total == 1
    report = validate_graph(graph)  # type: ignore[arg-type]
    assert report.conforms


def test_cli_validates_the_whole_feed_without_a_file(db: None) -> None:
    from catalogue.cli import main

    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "feed: 0 dataset(s)" in result.output
    assert "conforms" in result.output


async def test_a_deprecated_dataset_stays_in_the_feed_marked_deprecated(client: Any) -> None:
    headers = await steward()
    await client.post("/api/v1/datasets/", json=published(open_dataset()), headers=headers)
    revision = (await client.get("/api/v1/datasets/open-example")).headers["etag"]
    response = await client.patch(
        "/api/v1/datasets/open-example",
        json={"status": "deprecated"},
        headers={**headers, "If-Match": revision},
    )
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=(await client.get("/catalog.ttl")).content, format="turtle")
    subject = URIRef("http://127.0.0.1:8000/dataset/open-example")
    assert (subject, RDF.type, DCAT.Dataset) in graph
    assert graph.value(subject, ADMS.status) == URIRef("http://purl.org/adms/status/Deprecated")
