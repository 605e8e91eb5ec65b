"""The quality score with the demo catalogue: stored on every write, served by the API, shown
on the dataset and organisation pages and on the dashboard (with SVG plots), published as
DQV measurements in the dataset's RDF."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from rdflib import Graph, Namespace, URIRef

DQV = Namespace("http://www.w3.org/ns/dqv#")
PV = Namespace("https://piveau.eu/ns/voc#")


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


async def test_every_seed_dataset_is_scored_when_it_is_written(client):
    from catalogue.datasets.tables import Dataset
    from catalogue.quality.tables import QualityScore

    assert await QualityScore.count() == await Dataset.count() == 49


async def test_a_dataset_quality_names_points_per_dimension_and_what_is_missing(client):
    response = await client.get("/api/v1/datasets/air-quality-measurements/quality")
    assert response.status_code == 200
    body = response.json()
    assert body["max_points"] == 405
    assert sum(d["points"] for d in body["dimensions"]) == body["points"]
    # Offline, no address has answered: the three accessibility status indicators are missing.
    missing = {m["indicator"]: m for m in body["missing"]}
    assert missing["accessUrlStatusCode"]["points"] == 50
    assert missing["downloadUrlStatusCode"]["points"] == 30
    assert "answer" in missing["accessUrlStatusCode"]["advice"]
    assert body["points"] == 405 - sum(m["points"] for m in body["missing"])
    assert {a["kind"] for a in body["addresses"]} == {"access", "download"}


async def test_a_hidden_dataset_has_no_quality_either(client):
    from catalogue.datasets.tables import Dataset

    draft = await Dataset.select(Dataset.slug).where(Dataset.status == "draft").first()
    if draft is None:
        pytest.skip("the demo catalogue has no draft")
    response = await client.get(f"/api/v1/datasets/{draft['slug']}/quality")
    assert response.status_code == 404
    assert (await client.get("/api/v1/datasets/no-such-dataset/quality")).status_code == 404


async def test_the_catalogue_aggregates_count_the_public_datasets(client):
    from catalogue.datasets.tables import Dataset

    body = (await client.get("/api/v1/quality")).json()
    public = await Dataset.count().where(Dataset.status.is_in(["published", "deprecated"]))
    assert body["datasets"] == public
    assert sum(r["datasets"] for r in body["ratings"]) == public
    assert sum(b["datasets"] for b in body["histogram"]) == public
    assert [d["dimension"] for d in body["dimensions"]] == [
        "findability",
        "accessibility",
        "interoperability",
        "reusability",
        "contextuality",
    ]
    assert sum(o["datasets"] for o in body["organisations"]) == public


async def test_the_worst_datasets_are_walked_lowest_first_by_a_cursor(client):
    seen: list[tuple[int, str]] = []
    url = "/api/v1/quality"
    while url:
        body = (await client.get(url)).json()
        seen += [(item["points"], item["slug"]) for item in body["worst"]["items"]]
        url = body["links"]["next"]
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == body["datasets"]
    bad = await client.get("/api/v1/quality?after=not-a-cursor")
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["field"] == "after"


async def test_the_dashboard_draws_accessible_svg_plots_without_javascript(client):
    response = await client.get("/quality", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    assert html.count("<svg") >= 3
    for title in ("Datasets by score", "Mean points per dimension", "Mean score over time"):
        assert f">{title}</title>" in html
    assert 'role="img"' in html and "<desc id=" in html
    assert "Datasets to improve first" in html
    twin = await client.get("/quality.json")
    assert twin.json()["datasets"] == (await client.get("/api/v1/quality")).json()["datasets"]


async def test_the_dashboard_lists_the_lowest_publishers_first_and_all_on_request(
    client, monkeypatch
):
    from catalogue.quality import web

    monkeypatch.setattr(web, "PUBLISHERS_SHOWN", 2)
    listed = (await client.get("/quality.json")).json()["organisations"]
    assert len(listed) > 2
    page = (await client.get("/quality", headers={"Accept": "text/html"})).text
    rows = re.findall(r'<a href="/organisation/([^"#]+)#quality">', page)
    assert rows == [o["slug"] for o in listed[:2]]
    assert f"Show all {len(listed)} publishers" in page
    every = (await client.get("/quality?organisations=all", headers={"Accept": "text/html"})).text
    assert re.findall(r'<a href="/organisation/([^"#]+)#quality">', every) == [
        o["slug"] for o in listed
    ]
    assert "Show all" not in every


async def test_the_dataset_page_says_what_to_change(client):
    html = (
        await client.get("/dataset/air-quality-measurements", headers={"Accept": "text/html"})
    ).text
    assert 'id="quality"' in html
    assert "What to change to gain points" in html
    assert "Access address answers (+50)" in html


async def test_the_organisation_page_shows_its_datasets_quality(client):
    html = (
        await client.get("/organisation/environment-agency", headers={"Accept": "text/html"})
    ).text
    assert 'id="quality-heading"' in html and "Average score of its public datasets" in html


async def test_the_dataset_rdf_carries_dqv_measurements(client):
    response = await client.get("/dataset/air-quality-measurements.ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = next(graph.subjects(predicate=DQV.hasQualityMeasurement))
    assert str(dataset).endswith("/dataset/air-quality-measurements")
    metrics = {
        graph.value(m, DQV.isMeasurementOf)
        for m in graph.objects(dataset, DQV.hasQualityMeasurement)
    }
    assert {PV.keywordAvailability, PV.scoring, PV.findabilityScoring} <= metrics
    score = next(
        m
        for m in graph.objects(dataset, DQV.hasQualityMeasurement)
        if graph.value(m, DQV.isMeasurementOf) == PV.scoring
    )
    quality = (await client.get("/api/v1/datasets/air-quality-measurements/quality")).json()
    assert int(graph.value(score, DQV.value)) == quality["points"]
    distribution_metrics = {
        graph.value(m, DQV.isMeasurementOf)
        for d in graph.objects(dataset, URIRef("http://www.w3.org/ns/dcat#distribution"))
        for m in graph.objects(d, DQV.hasQualityMeasurement)
    }
    assert {PV.formatAvailability, PV.byteSizeAvailability} <= distribution_metrics
    for fmt in ("rdf", "jsonld", "nt"):
        other = await client.get(f"/dataset/air-quality-measurements.{fmt}")
        assert other.status_code == 200 and "hasQualityMeasurement" in other.text


async def test_the_figures_are_the_means_and_counts_of_the_stored_scores(client):
    from catalogue.quality.tables import QualityScore

    body = (await client.get("/api/v1/quality")).json()
    [expected] = await QualityScore.raw(
        "SELECT AVG(points) AS mean, AVG(findability) AS findability,"
        " AVG(contextuality) AS contextuality FROM quality_score WHERE public = {}",
        True,
    )
    assert body["mean"] == round(expected["mean"], 1)
    means = {d["dimension"]: d["mean"] for d in body["dimensions"]}
    assert means["findability"] == round(expected["findability"], 1)
    assert means["contextuality"] == round(expected["contextuality"], 1)
    excellent = await QualityScore.count().where(
        (QualityScore.public == True) & (QualityScore.rating == "excellent")  # noqa: E712
    )
    assert {r["rating"]: r["datasets"] for r in body["ratings"]}["excellent"] == excellent


async def test_dear_figures_are_served_from_their_last_value_while_they_are_recomputed(
    client, monkeypatch
):
    """At national scale every write moves the version: no reader waits for the scan."""
    import asyncio
    import datetime as dt

    from catalogue.quality import aggregates
    from catalogue.quality.tables import QualityScore

    monkeypatch.setattr(aggregates, "INLINE_BELOW_SECONDS", 0.0)  # as if every scan were dear
    body = (await client.get("/api/v1/quality")).json()
    before, slug = body["datasets"], body["worst"]["items"][0]["slug"]

    async def rescore(public: bool) -> None:
        await QualityScore.update(
            {QualityScore.public: public, QualityScore.computed_at: dt.datetime.now(dt.UTC)}
        ).where(QualityScore.slug == slug)

    async def figures_become(expected: int) -> None:
        """The app runs in the test client's own loop: poll it (one recompute at a time)."""
        for _ in range(200):
            if (await client.get("/api/v1/quality")).json()["datasets"] == expected:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"the dashboard never counted {expected} datasets")

    await rescore(False)
    try:
        assert (await client.get("/api/v1/quality")).json()["datasets"] == before
        await figures_become(before - 1)
    finally:
        await rescore(True)
        await figures_become(before)
