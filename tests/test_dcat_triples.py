"""The one-pass Turtle and N-Triples writers say exactly what rdflib's serializers say.

No database: every seed dataset (and the odd literal) is mapped once into rdflib's graph and
once into a plain list of triples; both texts must parse back to the same graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from catalogue.dcat.mapping import dataset_graph
from catalogue.dcat.namespaces import DCT, RDFS, XSD
from catalogue.dcat.triples import TripleSink, ntriples, turtle, turtle_body
from catalogue.domain.dataset import DatasetDocument
from tests.test_dcat_mapping import SEED_FILES, context


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_every_seed_dataset_writes_the_graph_rdflib_writes(path: Path, vocabularies: Any) -> None:
    document = DatasetDocument.model_validate(json.loads(path.read_text())).with_generated_ids()
    reference = dataset_graph(document, context(document), vocabularies)
    sink = dataset_graph(document, context(document), vocabularies, TripleSink())  # type: ignore[arg-type]
    assert isomorphic(Graph().parse(data=turtle(sink), format="turtle"), reference)
    assert isomorphic(Graph().parse(data=ntriples(sink), format="nt"), reference)


def test_awkward_literals_and_iris_survive_both_writers() -> None:
    subject = URIRef("https://data.example.si/dataset/odd")
    blank = BNode()
    triples = [
        (subject, DCT.title, Literal('Quotes " and \\\\ backslash\nand a new line', lang="sl")),
        (subject, DCT.description, Literal("""Three \"\"\" quotes and 'single' ones""")),
        (subject, DCT.modified, Literal("2025-01-31T12:00:00Z", datatype=XSD.dateTime)),
        (subject, DCT.identifier, Literal("x", datatype=URIRef("https://types.example/t#a"))),
        (subject, RDFS.seeAlso, URIRef("https://example.si/a%20b?x=1&y=2#part")),
        (subject, RDFS.seeAlso, URIRef(f"{DCT}not.a/prefixed-name.")),
        (subject, DCT.rights, blank),
        (blank, RDFS.label, Literal("čšž — unicode")),
        (subject, DCT.title, Literal('Quotes " and \\\\ backslash\nand a new line', lang="sl")),
    ]
    expected = Graph()
    for triple in triples:
        expected.add(triple)
    assert isomorphic(Graph().parse(data=turtle(triples), format="turtle"), expected)
    assert isomorphic(Graph().parse(data=ntriples(triples), format="nt"), expected)
    assert ntriples(triples).count("\n") == 8  # the repeated triple is written once


def test_chunks_written_apart_concatenate_under_one_header() -> None:
    first = [(URIRef("https://e.si/a"), DCT.title, Literal("A"))]
    second = [(URIRef("https://e.si/b"), DCT.title, Literal("B"))]
    text = turtle([]) + turtle_body(first) + "\n" + turtle_body(second)
    graph = Graph().parse(data=text, format="turtle")
    assert len(graph) == 2
