"""High-value datasets (Implementing Regulation (EU) 2023/138) against the official HVD shapes.

The DCAT-AP HVD 3.0.0 shapes (``../shared/dcat-ap/3.0.0-hvd/``) assume every resource is a
high-value one, so they run on the part of a graph that describes the HVD datasets: those
datasets, the services that serve them and every node they link to. Both variants are run:
the generated single file (``shacl/hvd-SHACL.ttl``) and the full set (``html/``: base, ranges
and usage notes). pyshacl runs with RDFS inference, as the shapes expect (a range of
``rdfs:Resource`` holds for every IRI only under RDFS semantics). Before the data services
carried the HVD fields, the seed gave 71 violations (single file) and 130 (full set).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

import catalogue.dcat.controllers  # noqa: F401  (registers the publish check before seeding)
from catalogue.dcat import snapshot
from catalogue.dcat.mapping import dataset_graph
from catalogue.dcat.namespaces import DCAT, DCATAP, RDF
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.services import HVD_LEGISLATION
from tests.test_dcat_mapping import SEED_FILES, context

BASE_FEED = "http://127.0.0.1:8000"  # the seeded catalogue's base address
HVD_SEED = [p for p in SEED_FILES if json.loads(p.read_text())["semantic"]["hvd_categories"]]


@pytest.fixture(scope="module", params=["single", "full"])
def hvd_shapes(request: Any, shared_dir: Path) -> Graph:
    folder = shared_dir / "dcat-ap" / "3.0.0-hvd"
    files = (
        [folder / "shacl" / "hvd-SHACL.ttl"]
        if request.param == "single"
        else [
            folder / "html" / f"hvd-SHACL-{part}.ttl" for part in ("base", "ranges", "usagenotes")
        ]
    )
    shapes = Graph()
    for path in files:
        if not path.exists():
            pytest.skip(f"the HVD shapes {path} are absent")
        shapes.parse(path)
    return shapes


def hvd_part(graph: Graph) -> Graph:
    """The HVD datasets, the services serving them, and all they link to but other datasets
    (a related dataset that is not high-value is described, and checked, on its own)."""
    hvd = {
        s for s in graph.subjects(RDF.type, DCAT.Dataset) if (s, DCATAP.hvdCategory, None) in graph
    }
    todo = list(hvd) + [s for d in hvd for s in graph.subjects(DCAT.servesDataset, d)]
    part, seen = Graph(), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if (node, RDF.type, DCAT.Dataset) in graph and node not in hvd:
            continue
        for _, predicate, value in graph.triples((node, None, None)):
            part.add((node, predicate, value))
            if isinstance(value, URIRef | BNode) and predicate != RDF.type:
                todo.append(value)
    return part


def violations(data: Graph, shapes: Graph) -> list[tuple[str, str, str]]:
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="rdfs")
    return sorted(
        (
            str(results.value(r, SH.focusNode)),
            str(results.value(r, SH.resultPath)),
            str(results.value(r, SH.resultMessage)),
        )
        for r in results.objects(None, SH.result)
        if results.value(r, SH.resultSeverity) == SH.Violation
    )


def seed_graph(vocabularies: Any, paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        document = DatasetDocument.model_validate(json.loads(path.read_text()))
        document = document.with_generated_ids()
        dataset_graph(document, context(document), vocabularies, graph)
    return graph


def test_the_seed_has_fifteen_high_value_datasets() -> None:
    assert len(HVD_SEED) == 15


def test_every_high_value_seed_dataset_passes_the_hvd_shapes(
    hvd_shapes: Graph, vocabularies: Any
) -> None:
    graph = seed_graph(vocabularies, HVD_SEED)
    assert len(set(hvd_part(graph).subjects(RDF.type, DCAT.Dataset))) == 15
    assert violations(hvd_part(graph), hvd_shapes) == []


@pytest.mark.parametrize("path", HVD_SEED, ids=lambda p: p.stem)
def test_each_high_value_dataset_passes_on_its_own(
    path: Path, hvd_shapes: Graph, vocabularies: Any
) -> None:
    """Each dataset's own description (as /dataset/{slug}.ttl gives it) has its API; only a
    link to another dataset a service also serves points outside it."""
    graph = seed_graph(vocabularies, [path])
    own = [
        v
        for v in violations(hvd_part(graph), hvd_shapes)
        if "servesDataset" not in v[1] or f"/dataset/{path.stem}/" not in v[0]
    ]
    assert own == []


def test_the_shapes_name_what_a_bare_service_lacks(hvd_shapes: Graph, vocabularies: Any) -> None:
    """The check is real: strip a service and a distribution of their HVD fields."""
    raw = json.loads(HVD_SEED[0].read_text())
    service = raw["technical"]["data_services"][0]
    for key in ("documentation", "licence", "hvd_categories", "legislation"):
        service.pop(key, None)
    raw["technical"]["distributions"][0]["legislation"] = []
    raw["technical"]["distributions"][0].pop("licence")
    document = DatasetDocument.model_validate(raw).with_generated_ids()
    found = {
        (focus.rsplit("/", 2)[-2], path)
        for focus, path, _ in violations(
            hvd_part(dataset_graph(document, context(document), vocabularies)), hvd_shapes
        )
    }
    assert ("service", str(DCATAP.hvdCategory)) in found
    assert ("service", str(DCATAP.applicableLegislation)) in found
    assert ("service", "http://xmlns.com/foaf/0.1/page") in found
    assert ("distribution", str(DCATAP.applicableLegislation)) in found


# --- the feed, as harvesters get it -------------------------------------------------------


@pytest.fixture(scope="module")
async def seeded_once() -> None:
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture
async def harvester(seeded_once: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    snapshot.invalidate()
    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as client:
        yield client
    snapshot.invalidate()


async def test_every_high_value_dataset_of_the_feed_passes_the_hvd_shapes(
    harvester: Any, hvd_shapes: Graph
) -> None:
    response = await harvester.get("/catalog.ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    part = hvd_part(graph)
    hvd = set(part.subjects(DCATAP.hvdCategory, None))
    datasets = {s for s in hvd if (s, RDF.type, DCAT.Dataset) in part}
    assert len(datasets) == 15
    assert violations(part, hvd_shapes) == []
    # every one reaches an API; distributions name the HVD regulation and their service
    for dataset in datasets:
        assert any(part.subjects(DCAT.servesDataset, dataset)), dataset
    assert all(
        (d, DCATAP.applicableLegislation, URIRef(HVD_LEGISLATION)) in part
        for dataset in datasets
        for d in part.objects(dataset, DCAT.distribution)
    )
    assert any(part.triples((None, DCAT.accessService, None)))
    served_by_pxweb = set(
        part.objects(
            URIRef(f"{BASE_FEED}/dataset/consumer-price-index/service/pxweb"), DCAT.servesDataset
        )
    )
    assert {str(s).rsplit("/", 1)[-1] for s in served_by_pxweb} == {
        "consumer-price-index",
        "gdp-quarterly",
        "population-by-municipality",
    }
