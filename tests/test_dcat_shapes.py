"""The compiled shapes give exactly pyshacl's results: on the seed, and on broken documents.

The publish check runs the compiled checks (pyshacl costs 15-30 ms a dataset); these tests
run pyshacl beside them on every seed dataset, on the catalogue node, and on a few hundred
documents broken at random (triples removed, wrong kinds of values added), and compare every
finding: severity, focus node, path, message and value.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from catalogue.datasets.service import parse_document
from catalogue.dcat.mapping import DatasetContext, PublisherInfo, dataset_graph
from catalogue.dcat.namespaces import ADMS, DCAT, DCATAP, DCT, FOAF, SPDX, VCARD
from catalogue.dcat.shapes import TripleIndex, UnsupportedShape, compile_shapes
from catalogue.dcat.validation import check_graph, validate_graph
from catalogue.domain.codes import normalise_codes
from catalogue.vocabularies import default_vocabularies
from tests.conftest import PROJECT_ROOT
from tests.factories import closed_dataset, open_dataset, personal_dataset

BASE = "https://catalogue.example"
PUBLISHER = PublisherInfo(
    slug="ministry-of-examples",
    name="Ministry of Examples",
    type="NationalAuthority",
    email="info@example.gov",
)
SEED_DATASETS = sorted((PROJECT_ROOT / "seed" / "datasets").rglob("*.json"))
SCHEMES = [
    s["code"] for s in json.loads((PROJECT_ROOT / "seed" / "identifier-schemes.json").read_text())
]


def graph_of(raw: dict, publisher: PublisherInfo | None = PUBLISHER) -> Graph:
    document, problems = normalise_codes(parse_document(raw), default_vocabularies(), SCHEMES)
    assert not problems, problems
    context = DatasetContext(
        base_url=BASE,
        languages=("en", "sl"),
        publisher=publisher,
        modified=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    )
    return dataset_graph(document.with_generated_ids(), context, default_vocabularies())


def findings(report) -> list[dict]:
    return sorted((asdict(f) for f in report.findings), key=lambda f: json.dumps(f))


def assert_same(graph: Graph) -> list[dict]:
    expected = findings(validate_graph(graph))
    assert findings(check_graph(graph)) == expected
    assert findings(check_graph(TripleIndex.from_graph(graph))) == expected
    return expected


@pytest.mark.parametrize("path", SEED_DATASETS, ids=lambda p: p.stem)
def test_every_seed_dataset_gets_the_same_findings(path: Path):
    assert_same(graph_of(json.loads(path.read_text())))


def test_the_index_the_mapping_writes_into_holds_the_same_triples():
    raw = personal_dataset()
    graph = graph_of(raw)
    document = parse_document(raw).with_generated_ids()
    document, _ = normalise_codes(document, default_vocabularies(), ())
    context = DatasetContext(
        base_url=BASE,
        languages=("en", "sl"),
        publisher=PUBLISHER,
        modified=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    )
    index = dataset_graph(document, context, default_vocabularies(), TripleIndex())
    assert set(index) == set(graph) and len(index) == len(graph)


WRONG_VALUES = [
    Literal("not an address"),
    Literal("lots"),
    Literal("-3", datatype=XSD.nonNegativeInteger),
    Literal("12", datatype=XSD.nonNegativeInteger),
    Literal("zz", datatype=XSD.hexBinary),
    Literal("2024-13-45", datatype=XSD.date),
    Literal("2024", datatype=XSD.gYear),
    Literal("2024-01-02", datatype=XSD.date),
    Literal("yesterday"),
    Literal("x", lang="en"),
    URIRef("mailto:desk@example.gov"),
    URIRef("https://example.org/not-a-concept"),
    URIRef("https://www.iana.org/assignments/media-types/text/csv"),
    URIRef("http://publications.europa.eu/resource/authority/file-type/CSV"),
    BNode(),
]
PREDICATES = [
    DCT.title,
    DCT.description,
    DCT.identifier,
    DCT.publisher,
    DCAT.contactPoint,
    DCT.accessRights,
    DCT.accrualPeriodicity,
    DCT.language,
    DCT.spatial,
    DCAT.theme,
    DCATAP.hvdCategory,
    DCATAP.applicableLegislation,
    DCT.conformsTo,
    DCT.temporal,
    DCAT.distribution,
    DCT.issued,
    DCT.modified,
    DCAT.version,
    DCAT.keyword,
    DCT.rights,
    DCT.relation,
    DCAT.accessURL,
    DCAT.downloadURL,
    DCT.format,
    DCAT.mediaType,
    DCAT.byteSize,
    SPDX.checksum,
    SPDX.checksumValue,
    SPDX.algorithm,
    DCT.license,
    ADMS.status,
    DCATAP.availability,
    VCARD.hasEmail,
    VCARD.hasURL,
    FOAF.name,
    DCT.type,
    SKOS.prefLabel,
    SKOS.inScheme,
    DCAT.startDate,
    DCAT.endDate,
    DCAT.endpointURL,
    DCAT.endpointDescription,
    DCAT.servesDataset,
    RDF.type,
]
CLASSES = [
    DCAT.Dataset,
    DCAT.Distribution,
    DCAT.DataService,
    FOAF.Agent,
    VCARD.Kind,
    SKOS.Concept,
    DCT.PeriodOfTime,
    SPDX.Checksum,
    DCAT.Catalog,
    DCT.Standard,
]


def broken(graph: Graph, rng: random.Random) -> Graph:
    """A copy with some triples removed and some wrong ones added."""
    triples = list(graph)
    copy = Graph()
    for triple in triples:
        if rng.random() > 0.15:
            copy.add(triple)
    nodes = sorted({t[0] for t in triples}, key=str)
    for _ in range(rng.randint(1, 12)):
        subject = rng.choice(nodes)
        predicate = rng.choice(PREDICATES)
        value = rng.choice(CLASSES) if predicate == RDF.type else rng.choice(WRONG_VALUES)
        copy.add((subject, predicate, value))
    if rng.random() < 0.2:  # a class hierarchy in the data: targets and sh:class follow it
        copy.add((URIRef("https://example.org/Register"), RDFS.subClassOf, DCAT.Dataset))
        copy.add((rng.choice(nodes), RDF.type, URIRef("https://example.org/Register")))
    return copy


def test_randomly_broken_documents_get_the_same_findings():
    rng = random.Random(12)
    sources = [open_dataset(), closed_dataset(), personal_dataset()]
    sources += [json.loads(p.read_text()) for p in SEED_DATASETS[::5]]
    graphs = [graph_of(raw) for raw in sources]
    violations = 0
    for round_ in range(240):
        expected = assert_same(broken(graphs[round_ % len(graphs)], rng))
        violations += sum(1 for f in expected if f["severity"] == "violation")
    assert violations > 200  # the broken documents did break the shapes, in many ways


def test_a_catalogue_node_and_several_datasets_in_one_graph_agree():
    graph = Graph()
    for raw in (open_dataset("set-a"), closed_dataset("set-b"), personal_dataset("set-c")):
        graph += graph_of(raw)
    catalog = URIRef(f"{BASE}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCT.title, Literal("Catalogue", lang="en")))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef("https://example.org/themes")))
    graph.add((URIRef("https://example.org/themes"), RDF.type, SKOS.ConceptScheme))
    expected = assert_same(graph)
    assert {f["message"] for f in expected} >= {
        "The catalogue needs a description (dct:description).",
        "A concept scheme used as theme taxonomy needs a title (dct:title).",
    }


def test_a_shape_feature_that_is_not_compiled_is_refused_not_ignored():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minLength 3 ; sh:message "short" ] .
    """,
        format="turtle",
    )
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)
