"""An identifier scheme in RDF: the scheme (``cat:IdentifierScheme``, as in the DCAT-AP feed),
the base registers authoritative for it and the datasets carrying it (``cat:identifierScheme``).
The graph is bounded by the page's limit; N-Triples-like Turtle is written without rdflib's
pretty serializer."""

from __future__ import annotations

from typing import Any

from rdflib import RDF, SKOS, Graph, Literal

from catalogue.dcat.namespaces import CAT, DCAT
from catalogue.dcat.writer import dataset_iri, identifier_scheme_iri
from catalogue.settings import get_settings


def scheme_turtle(view: dict[str, Any]) -> str:
    base = get_settings().base_url.rstrip("/")
    scheme = view["scheme"]
    node = identifier_scheme_iri(base, scheme["code"])
    graph = Graph()
    graph.bind("cat", CAT)
    graph.bind("dcat", DCAT)
    graph.bind("skos", SKOS)
    graph.add((node, RDF.type, CAT.IdentifierScheme))
    graph.add((node, SKOS.notation, Literal(scheme["code"])))
    graph.add((node, SKOS.prefLabel, Literal(scheme["label"], lang="en")))
    if scheme.get("description"):
        graph.add((node, SKOS.definition, Literal(scheme["description"], lang="en")))
    for register in view["authoritative"]:
        graph.add((node, CAT.authoritativeRegister, dataset_iri(base, register["slug"])))
    for item in view["datasets"]:
        dataset = dataset_iri(base, item["dataset"])
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, CAT.identifierScheme, node))
    return graph.serialize(format="nt")
