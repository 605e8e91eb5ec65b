"""The quality score's rules, in plain Python: our table of indicators against piveau's DQV
vocabulary and rating scheme, and how a document scores (no database, no HTTP)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from catalogue.domain.dataset import DatasetDocument
from catalogue.quality.assess import Facts, LinkResult, assess
from catalogue.quality.indicators import (
    BY_KEY,
    DIMENSIONS,
    INDICATORS,
    MAX_POINTS,
    RATINGS,
    TOTAL_POINTS,
    rating_for,
)
from tests.conftest import PROJECT_ROOT

DQV = Namespace("http://www.w3.org/ns/dqv#")
PV = Namespace("https://piveau.eu/ns/voc#")


@pytest.fixture(scope="module")
def piveau(shared_dir) -> Graph:
    return Graph().parse(shared_dir / "vocabularies" / "piveau-dqv-vocabulary.ttl")


def test_the_indicators_and_points_are_piveaus(piveau: Graph):
    metrics = {m for m in piveau.subjects(RDF.type, DQV.Metric) if m != PV.score}
    assert {URIRef(i.iri) for i in INDICATORS} == metrics
    for indicator in INDICATORS:
        iri = URIRef(indicator.iri)
        assert int(piveau.value(iri, PV.trueScore)) == indicator.points, indicator.key
        false_score = piveau.value(iri, PV.falseScore)
        assert int(false_score or 0) == indicator.false_points, indicator.key
        dimension = str(piveau.value(iri, DQV.inDimension)).replace("reusablity", "reusability")
        assert dimension == PV + indicator.dimension, indicator.key
    assert {URIRef(d.iri) for d in DIMENSIONS} == set(piveau.subjects(RDF.type, DQV.Dimension))


def test_405_points_over_five_dimensions():
    assert TOTAL_POINTS == 405
    assert MAX_POINTS == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }


def test_the_ratings_are_the_schemes_bands(shared_dir):
    scheme = Graph().parse(shared_dir / "vocabularies" / "piveau-scoring-skos.rdf")
    assert {URIRef(r.iri) for r in RATINGS} == set(scheme.subjects(RDF.type, SKOS.Concept))
    assert [rating_for(p).key for p in (405, 351, 350, 221, 220, 121, 120, 0, -10)] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "sufficient",
        "sufficient",
        "bad",
        "bad",
        "bad",
    ]


def _seed(slug: str) -> DatasetDocument:
    path = PROJECT_ROOT / "seed" / "datasets" / f"{slug}.json"
    return DatasetDocument.model_validate(json.loads(path.read_text())).with_generated_ids()


def _all_answer(document: DatasetDocument, status: int = 200) -> dict[str, LinkResult]:
    return {
        url: LinkResult(status)
        for d in document.technical.distributions
        for url in (d.access_url, d.download_url)
        if url
    }


def test_a_complete_open_dataset_whose_addresses_answer_is_excellent():
    document = _seed("air-quality-measurements")
    facts = Facts(issued=True, modified=True, dcat_ap_conforms=True, links=_all_answer(document))
    result = assess(document, facts)
    assert result.rating == "excellent" and result.points >= 351
    assert sum(result.dimensions.values()) == result.points
    assert result.dimensions["accessibility"] == 100


def test_an_address_that_does_not_answer_loses_its_points_and_says_so():
    document = _seed("air-quality-measurements")
    facts = Facts(
        issued=True, modified=True, dcat_ap_conforms=True, links=_all_answer(document, 404)
    )
    result = assess(document, facts)
    assert result.dimensions["accessibility"] == 20  # the download address is still given
    missing = {m["indicator"]: m for m in result.missing()}
    assert missing["accessUrlStatusCode"]["points"] == 50
    assert "HTTP 404" in missing["accessUrlStatusCode"]["advice"]
    redirected = Facts(
        issued=True, modified=True, dcat_ap_conforms=True, links=_all_answer(document, 500)
    )
    assert assess(document, redirected).points == result.points


def test_the_best_distribution_counts_once():
    document = _seed("air-quality-measurements")
    one = document.model_copy(
        update={
            "technical": document.technical.model_copy(
                update={"distributions": document.technical.distributions[:1]}
            )
        }
    )
    facts = Facts(issued=True, modified=True, dcat_ap_conforms=True, links=_all_answer(document))
    assert assess(one, facts).points == assess(document, facts).points
    assert assess(document, facts).best_distribution == 0


def test_a_missing_format_and_media_type_cost_points():
    document = DatasetDocument.model_validate(
        {
            "slug": "bare",
            "classification": "open",
            "technical": {"distributions": [{"access_url": "https://example.org/data"}]},
        }
    )
    result = assess(document, Facts(modified=False))
    assert result.dimensions["interoperability"] == -10  # pv:falseScore of each
    missing = {m["indicator"]: m["points"] for m in result.missing()}
    assert missing["formatAvailability"] == 25 and missing["mediaTypeAvailability"] == 15


def test_a_dataset_without_distributions_is_told_to_add_one():
    document = DatasetDocument.model_validate({"slug": "empty", "classification": "open"})
    result = assess(document, Facts(modified=False))
    assert result.points == 0 and result.rating == "bad"
    advice = {m["indicator"]: m["advice"] for m in result.missing()}
    assert advice["licenceAvailability"].startswith("Add a distribution")
    assert len(result.missing()) == len(INDICATORS)
    assert sum(m["points"] for m in result.missing()) == TOTAL_POINTS


def test_each_indicator_has_plain_advice():
    for indicator in INDICATORS:
        assert indicator.advice.endswith(".") and len(indicator.advice) > 20
    assert BY_KEY["rightsAvailability"].level == "distribution"


async def test_a_published_dataset_is_not_checked_twice(db):
    """The publish check hands its DCAT-AP result to the score (keyed by the document)."""
    from catalogue.dcat import snapshot
    from catalogue.quality import compliance
    from catalogue.seed import load_seed
    from catalogue.settings import get_settings

    compliance._known.clear()
    await load_seed(PROJECT_ROOT / "seed")
    settings = get_settings()
    current = await snapshot.refresh()
    published = [
        path
        for path in (PROJECT_ROOT / "seed" / "datasets").glob("*.json")
        if json.loads(path.read_text())["status"] == "published"
    ]
    assert published
    for path in published:
        document = _seed(path.stem)
        key = compliance._key(
            document,
            settings.base_url,
            settings.languages,
            current.publisher(document.organisational.publisher),
        )
        assert compliance._known.get(key) is True, path.stem
