"""The harvestable feed: ``/catalog*`` and ``/dataset/{slug}.{ext}`` as harvesters see them.

The seed catalogue must conform to the official DCAT-AP 3.0.1 shapes, every page and every
format, with zero violations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from catalogue.dcat import snapshot
from catalogue.dcat.namespaces import DCAT, DCT, HYDRA, RDF
from catalogue.dcat.web import FORMATS, preferred_rdf_format
from tests.factories import make_user

PARSERS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}
SEED_PUBLIC = 46  # 49 seed datasets, 3 of them drafts
PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_snapshot() -> Iterator[None]:
    snapshot.invalidate()
    yield
    snapshot.invalidate()


@pytest.fixture(scope="module")
async def seeded_once() -> None:
    """The demo catalogue, loaded once for these read-only tests (seeding takes a while)."""

    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture
async def harvester(seeded_once: None) -> AsyncIterator[Any]:
    """An anonymous client over the seeded catalogue (no truncation between tests)."""
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


async def fetch(client: Any, url: str, **headers: str) -> Graph:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    fmt = url.split("?")[0].rsplit(".", 1)[-1]
    return Graph().parse(data=response.content, format=PARSERS[fmt])


def datasets_in(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}


def official_results(data: Graph, shapes: Graph) -> Counter[str]:
    """Top-level results of the official shapes, counted by severity."""
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return Counter(
        str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        for r in results.objects(None, SH.result)
    )


def without_paging(graph: Graph) -> Graph:
    """The graph without the hydra collection (its IRI names the format's own address)."""
    kept = Graph()
    pages = set(graph.subjects(RDF.type, HYDRA.PagedCollection))
    for triple in graph:
        if triple[0] not in pages:
            kept.add(triple)
    return kept


@pytest.fixture(scope="module")
def official_shapes(shared_dir: Path) -> tuple[Graph, Graph]:
    folder = shared_dir / "dcat-ap" / "3.0.1" / "html" / "shacl"
    base = Graph()
    for name in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl"):
        base.parse(folder / name)
    return base, Graph().parse(folder / "mdr-vocabularies.shape.ttl")


@pytest.fixture(scope="module")
def vocabulary_graph() -> Graph:
    """Our vocabularies' SKOS, merged into the data for the controlled-vocabulary shapes."""
    graph = Graph()
    for path in sorted((PROJECT / "vocabularies").glob("*.ttl")):
        graph.parse(path)
    return graph


# --- what is in the feed ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
async def test_every_format_lists_the_published_datasets(harvester: Any, fmt: str) -> None:
    graph = await fetch(harvester, f"/catalog.{fmt}")
    assert len(datasets_in(graph)) == SEED_PUBLIC
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(list(graph.objects(catalog, DCAT.dataset))) == SEED_PUBLIC
    assert not any("pre-filled-income-tax-assessments" in s for s in datasets_in(graph))


async def test_the_seed_feed_conforms_to_the_official_shapes(
    harvester: Any, official_shapes: tuple[Graph, Graph], vocabulary_graph: Graph
) -> None:
    """Base, range and recommended shapes on every format; the controlled-vocabulary shapes
    (with our SKOS merged in) on Turtle, every other format being the very same graph."""
    base, vocabulary_shapes = official_shapes
    counts: dict[str, Counter[str]] = {}
    graphs = {fmt: await fetch(harvester, f"/catalog.{fmt}") for fmt in FORMATS}
    for fmt, graph in graphs.items():
        counts[fmt] = official_results(graph, base)
        assert isomorphic(without_paging(graph), without_paging(graphs["ttl"])), fmt
    counts["vocabularies"] = official_results(graphs["ttl"] + vocabulary_graph, vocabulary_shapes)
    print("official DCAT-AP 3.0.1 results:", {k: dict(v) for k, v in counts.items()})
    assert all(count["Violation"] == 0 for count in counts.values()), counts


@pytest.mark.parametrize("page", ["0", "-1", "two", "3"])
async def test_a_bad_page_number_is_a_400_that_says_why(harvester: Any, page: str) -> None:
    response = await harvester.get(f"/catalog.ttl?page={page}")
    assert response.status_code == 400
    body = response.json()
    assert body["problems"][0]["field"] == "page"
    assert "page" in body["detail"]


async def test_a_bad_modified_since_is_a_400(harvester: Any) -> None:
    response = await harvester.get("/catalog.ttl?modified_since=yesterday")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "modified_since"


async def test_filters_narrow_the_feed(harvester: Any) -> None:
    assert datasets_in(await fetch(harvester, "/catalog.ttl?modified_since=2999-01-01")) == set()
    themed = await fetch(harvester, "/catalog.ttl?theme=ENVI")
    assert themed and all(
        URIRef("http://publications.europa.eu/resource/authority/data-theme/ENVI")
        in set(themed.objects(URIRef(s), DCAT.theme))
        for s in datasets_in(themed)
    )
    personal = await fetch(harvester, "/catalog.ttl?classification=personal")
    assert 0 < len(datasets_in(personal)) < SEED_PUBLIC
    police = await fetch(harvester, "/catalog.ttl?publisher=police")
    publishers = {str(police.value(URIRef(s), DCT.publisher)) for s in datasets_in(police)}
    assert publishers == {"http://127.0.0.1:8000/organisation/police"}
    found = await fetch(harvester, "/catalog.ttl?q=air%20quality")
    assert any(s.endswith("/dataset/air-quality-measurements") for s in datasets_in(found))
    collection = next(found.subjects(RDF.type, HYDRA.PagedCollection))
    assert "q=air+quality" in str(collection)


# --- negotiation and conditional requests -------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("*/*", "text/turtle"),
    ],
)
async def test_catalog_follows_the_accept_header(
    harvester: Any, accept: str, media_type: str
) -> None:
    response = await harvester.get("/catalog", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]


async def test_browsers_asking_for_the_catalog_go_home(harvester: Any) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = await harvester.get("/catalog", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_feed_answers_304_to_a_current_copy(harvester: Any) -> None:
    first = await harvester.get("/catalog.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = await harvester.get("/catalog.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    since = await harvester.get("/catalog.ttl", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    old = format_datetime(
        __import__("datetime").datetime(2000, 1, 1, tzinfo=__import__("datetime").UTC), usegmt=True
    )
    assert (
        await harvester.get("/catalog.ttl", headers={"If-Modified-Since": old})
    ).status_code == 200
    other = await harvester.get("/catalog.nt", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another format is another representation


async def test_the_feed_is_gzipped_for_clients_that_accept_it(harvester: Any) -> None:
    import gzip

    plain = await harvester.get("/catalog.ttl", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = await harvester.get("/catalog.ttl", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) * 3 < len(plain.content)
    assert packed.content == plain.content  # the client decoded it: the same document
    raw = await harvester.send(
        harvester.build_request("GET", "/catalog.ttl", headers={"Accept-Encoding": "gzip"}),
        stream=True,
    )
    assert gzip.decompress(b"".join([chunk async for chunk in raw.aiter_raw()])) == plain.content


@pytest.mark.parametrize("fmt", list(FORMATS))
async def test_one_dataset_in_every_format(harvester: Any, fmt: str) -> None:
    graph = await fetch(harvester, f"/dataset/central-population-register.{fmt}")
    assert datasets_in(graph) == {"http://127.0.0.1:8000/dataset/central-population-register"}
    response = await harvester.get(f"/dataset/central-population-register.{fmt}")
    assert b"Maribor archive" not in response.content  # the internal note stays inside
    repeat = await harvester.get(
        f"/dataset/central-population-register.{fmt}",
        headers={"If-None-Match": response.headers["etag"]},
    )
    assert repeat.status_code == 304
    assert "last-modified" in repeat.headers


async def test_dataset_page_serves_rdf_to_rdf_clients(harvester: Any) -> None:
    response = await harvester.get(
        "/dataset/air-quality-measurements", headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


async def test_drafts_have_no_public_rdf(harvester: Any) -> None:
    response = await harvester.get("/dataset/pre-filled-income-tax-assessments.ttl")
    assert response.status_code == 404
    admin = await make_user("reader@example.gov", global_role="auditor")
    allowed = await harvester.get("/dataset/pre-filled-income-tax-assessments.ttl", headers=admin)
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", None),
        ("application/json", None),
        ("*/*", None),
        (None, None),
        ("text/html;q=0.5, application/rdf+xml", "rdf"),
        ("application/n-triples;q=0.4, application/json;q=0.9", None),
        ("application/json, text/turtle", None),  # equal quality: the first named wins
        ("text/turtle, application/json", "ttl"),
    ],
)
def test_preferred_rdf_format(accept: str | None, expected: str | None) -> None:
    assert preferred_rdf_format(accept) == expected
