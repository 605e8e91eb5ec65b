"""The DCAT-AP 2.1.1 profile (``?profile=dcat_ap_2``) next to the default DCAT-AP 3.0.1.

Many national portals validate with DCAT-AP 2.1.1: every seed dataset and the feed pass its
official shapes (``../shared/dcat-ap/2.1.1/``) with zero violations, while the default
stays DCAT-AP 3.0.1. The profile is part of every cache key, so one profile's text never
answers for the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SH, XSD

import catalogue.dcat.controllers  # noqa: F401  (registers the publish check before seeding)
from catalogue.datasets.queries import records_from_rows
from catalogue.datasets.tables import Dataset
from catalogue.dcat import profiles, rendered, snapshot
from catalogue.dcat.namespaces import ADMS, DCAT, RDF
from catalogue.settings import get_settings

PROJECT = Path(__file__).resolve().parent.parent
SEED_DATASETS = 49


@pytest.fixture(scope="module")
async def seeded_once() -> None:
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture
async def harvester(seeded_once: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    snapshot.invalidate()
    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def shapes_2_1_1(shared_dir: Path) -> tuple[Graph, Graph]:
    """The official 2.1.1 shapes: base, range and recommended; and the vocabulary shapes."""
    folder = shared_dir / "dcat-ap" / "2.1.1"
    base = Graph()
    for name in ("shapes", "range", "shapes_recommended"):
        base.parse(folder / f"dcat-ap_2.1.1_shacl_{name}.ttl")
    return base, Graph().parse(folder / "dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl")


@pytest.fixture(scope="module")
def vocabulary_graph() -> Graph:
    graph = Graph()
    for path in sorted((PROJECT / "vocabularies").glob("*.ttl")):
        graph.parse(path)
    return graph


def violations(data: Graph, shapes: Graph) -> list[str]:
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    found = []
    for result in results.objects(None, SH.result):
        if results.value(result, SH.resultSeverity) == SH.Violation:
            found.append(
                f"{results.value(result, SH.focusNode)} "
                f"{results.value(result, SH.resultPath)}: "
                f"{results.value(result, SH.resultMessage)}"
            )
    return found


def check(graph: Graph, shapes: tuple[Graph, Graph], vocabularies: Graph) -> list[str]:
    base, vocabulary_shapes = shapes
    return violations(graph, base) + violations(graph + vocabularies, vocabulary_shapes)


async def all_seed_items() -> list[rendered.Described]:
    from catalogue.datasets.queries import RECORD_COLUMNS

    rows = await Dataset.select(*RECORD_COLUMNS).output(load_json=True)
    return await rendered.describe(records_from_rows(rows), get_settings())


async def test_the_feed_in_dcat_ap_2_passes_the_official_2_1_1_shapes(
    harvester: Any, shapes_2_1_1: tuple[Graph, Graph], vocabulary_graph: Graph
) -> None:
    for fmt, parser in (("ttl", "turtle"), ("rdf", "xml"), ("nt", "nt")):
        response = await harvester.get(f"/catalog.{fmt}?profile=dcat_ap_2")
        assert response.status_code == 200
        graph = Graph().parse(data=response.content, format=parser)
        assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 46
        assert check(graph, shapes_2_1_1, vocabulary_graph) == [], fmt


async def test_every_seed_dataset_in_dcat_ap_2_passes_the_2_1_1_shapes(
    harvester: Any, shapes_2_1_1: tuple[Graph, Graph], vocabulary_graph: Graph
) -> None:
    """All 49, drafts too (written straight from the records, as the endpoint writes them)."""
    items = await all_seed_items()
    assert len(items) == SEED_DATASETS
    found: dict[str, list[str]] = {}
    for item in items:
        graph = Graph().parse(
            data=rendered.dataset_document(item, "ttl", "dcat_ap_2"), format="turtle"
        )
        problems = check(graph, shapes_2_1_1, vocabulary_graph)
        if any(service.serves for service in item.record.document.technical.data_services):
            # a service also serving another dataset links it; that dataset is described
            # (and typed) in its own document and the feed, as the publish check allows
            problems = [
                p
                for p in problems
                if "servesDataset: Value does not have class dcat:Dataset" not in p
            ]
        if problems:
            found[item.facts.slug] = problems
    assert found == {}


async def test_the_default_profile_fails_2_1_1_where_the_profiles_differ(
    harvester: Any, shapes_2_1_1: tuple[Graph, Graph], vocabulary_graph: Graph
) -> None:
    """Why the profile exists: DCAT-AP 3.0.1 output breaks 2.1.1 on byteSize and status."""
    response = await harvester.get("/catalog.ttl")
    graph = Graph().parse(data=response.content, format="turtle")
    problems = check(graph, shapes_2_1_1, vocabulary_graph)
    paths = Counter(
        path
        for problem in problems
        for path in (str(DCAT.byteSize), str(ADMS.status))
        if path in problem
    )
    assert paths[str(DCAT.byteSize)] > 0 and paths[str(ADMS.status)] > 0, problems[:3]


async def test_what_each_profile_writes(harvester: Any) -> None:
    three = Graph().parse(data=(await harvester.get("/catalog.ttl")).content, format="turtle")
    two = Graph().parse(
        data=(await harvester.get("/catalog.ttl?profile=dcat_ap_2")).content, format="turtle"
    )
    sizes_3 = set(three.objects(None, DCAT.byteSize))
    sizes_2 = set(two.objects(None, DCAT.byteSize))
    assert sizes_3 and {size.datatype for size in sizes_3} == {XSD.nonNegativeInteger}
    assert {size.datatype for size in sizes_2} == {XSD.decimal}
    assert {int(size) for size in sizes_2} == {int(size) for size in sizes_3}
    statuses_2 = {str(status) for status in two.objects(None, ADMS.status)}
    assert statuses_2 and all(s.startswith("http://purl.org/adms/status/") for s in statuses_2)
    versions_3 = set(three.objects(None, DCAT.version))
    assert versions_3 and not set(three.objects(None, OWL.versionInfo))
    assert set(two.objects(None, OWL.versionInfo)) == versions_3
    assert not set(two.objects(None, DCAT.version))


async def test_a_dataset_in_either_profile_and_paging_keeps_the_profile(
    harvester: Any,
) -> None:
    slug = "air-quality-measurements"
    two = await harvester.get(f"/dataset/{slug}.ttl?profile=dcat_ap_2")
    three = await harvester.get(f"/dataset/{slug}.ttl")
    again = await harvester.get(f"/dataset/{slug}.ttl?profile=dcat_ap_3")
    assert two.status_code == three.status_code == 200
    assert two.content != three.content and again.content == three.content
    assert two.headers["etag"] != three.headers["etag"]
    size_2 = next(Graph().parse(data=two.content, format="turtle").objects(None, DCAT.byteSize))
    assert isinstance(size_2, Literal) and size_2.datatype == XSD.decimal
    feed = Graph().parse(
        data=(await harvester.get("/catalog.ttl?profile=dcat_ap_2&classification=open")).content,
        format="turtle",
    )
    pages = {
        str(link) for link in feed.objects(None, URIRef("http://www.w3.org/ns/hydra/core#first"))
    }
    assert pages and all("profile=dcat_ap_2" in link for link in pages)


async def test_the_profile_is_part_of_every_cache_key(harvester: Any) -> None:
    """Asked in turn, in every order, each profile gets its own text from every cache."""
    rendered.clear()
    first_2 = (await harvester.get("/catalog.nt?profile=dcat_ap_2")).content
    first_3 = (await harvester.get("/catalog.nt")).content
    rendered.clear()  # the disk store answers now
    assert (await harvester.get("/catalog.nt")).content == first_3
    assert (await harvester.get("/catalog.nt?profile=dcat_ap_2")).content == first_2
    assert b"nonNegativeInteger" in first_3 and b"nonNegativeInteger" not in first_2
    [item] = [item for item in await all_seed_items() if item.facts.slug == "traffic-counts"]
    assert rendered.chunk(item, "ttl", "dcat_ap_2") != rendered.chunk(item, "ttl")


@pytest.mark.parametrize(
    "path", ["/catalog.ttl", "/catalog", "/dataset/air-quality-measurements.ttl"]
)
async def test_an_unknown_profile_is_a_400_naming_the_parameter(harvester: Any, path: str) -> None:
    response = await harvester.get(f"{path}?profile=dcat_ap_9")
    assert response.status_code == 400
    body = response.json()
    assert body["problems"][0]["field"] == "profile"
    assert "dcat_ap_2" in body["problems"][0]["message"]


def test_ckanext_dcat_plugin_names_are_understood() -> None:
    assert profiles.parse_profile("euro_dcat_ap_2") == "dcat_ap_2"
    assert profiles.parse_profile("euro_dcat_ap_3") == "dcat_ap_3"
    assert profiles.parse_profile(None) == profiles.parse_profile("") == "dcat_ap_3"


def test_the_2_1_1_rewrite_of_checksums_statuses_and_versions() -> None:
    """Pure: 2.1.1 fixes the checksum algorithm to SHA-1 and knows only ADMS statuses."""
    from catalogue.dcat.namespaces import SPDX
    from catalogue.dcat.triples import TripleSink

    sink = TripleSink()
    dist, sha1, sha256 = (URIRef(f"https://example.org/{n}") for n in ("d", "c1", "c2"))
    eu = "http://publications.europa.eu/resource/authority/distribution-status/"
    for triple in (
        (dist, SPDX.checksum, sha1),
        (sha1, SPDX.algorithm, SPDX.checksumAlgorithm_sha1),
        (dist, SPDX.checksum, sha256),
        (sha256, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (sha256, SPDX.checksumValue, Literal("ab")),
        (dist, ADMS.status, URIRef(eu + "DEVELOP")),
        (URIRef(eu + "DEVELOP"), RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")),
        (dist, DCAT.version, Literal("2.0")),
    ):
        sink.add(triple)
    out = set(profiles.apply(sink, "dcat_ap_2"))
    assert (dist, SPDX.checksum, sha1) in out and (dist, SPDX.checksum, sha256) not in out
    assert not any(s == sha256 for s, _, _ in out)
    assert (dist, ADMS.status, URIRef("http://purl.org/adms/status/UnderDevelopment")) in out
    assert not any(str(s).startswith(eu) or str(o).startswith(eu) for s, _, o in out)
    assert (dist, OWL.versionInfo, Literal("2.0")) in out
    provisional = TripleSink()
    provisional.add((dist, ADMS.status, URIRef(eu + "OP_DATPRO")))
    assert list(profiles.apply(provisional, "dcat_ap_2")) == []  # ADMS has no word for it
    assert profiles.apply(sink, "dcat_ap_3") is sink
