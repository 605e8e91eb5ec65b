"""Triples collected in a list and written straight out as Turtle or N-Triples.

rdflib's ``Graph`` indexes every triple three ways as it is added, and its Turtle serializer
sorts and analyses the whole graph (superlinear: minutes for a catalogue). A dataset's
description is written once and read many times, so the mapping writes into a
:class:`TripleSink` (it only ever calls ``add``), and these writers turn the list into text in
one pass. Turtle is grouped by subject with our prefixes; a blank node keeps its label, so
chunks written separately can be concatenated under one prefix header (RDF graphs are sets:
a concept described in two chunks is still described once).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from catalogue.dcat.namespaces import PREFIXES, RDF

Triple = tuple[Node, Node, Node]
LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")
_NAMESPACES = sorted(
    ((str(namespace), prefix) for prefix, namespace in PREFIXES.items()),
    key=lambda item: -len(item[0]),
)
TURTLE_HEADER = (
    "".join(
        f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(PREFIXES.items())
    )
    + "\n"
)


class TripleSink:
    """What the mapping needs of a graph (``add``), keeping the triples in order."""

    __slots__ = ("triples",)

    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def add(self, triple: Triple) -> TripleSink:
        self.triples.append(triple)
        return self

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return (s for s, p, o in self.triples if p == predicate and o == obj)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        """An rdflib graph of these triples (for RDF/XML and JSON-LD)."""
        from catalogue.dcat.namespaces import new_graph

        graph = new_graph()
        graph.addN((s, p, o, graph) for s, p, o in self.triples)
        return graph


@lru_cache(maxsize=65_536)
def _iri(value: str) -> str:
    for namespace, prefix in _NAMESPACES:
        if value.startswith(namespace):
            local = value[len(namespace) :]
            if LOCAL_NAME.match(local):
                return f"{prefix}:{local}"
            break
    return URIRef(value).n3()


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return _iri(str(node))
    if isinstance(node, Literal):
        if node.datatype is not None:
            return f"{Literal(str(node)).n3()}^^{_iri(str(node.datatype))}"
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"cannot write {node!r} in Turtle")


def turtle_body(triples: Iterable[Triple]) -> str:
    """Turtle statements (no prefix header), one block per subject, duplicates left out."""
    by_subject: dict[Node, dict[Node, dict[Node, None]]] = {}
    for subject, predicate, obj in triples:
        by_subject.setdefault(subject, {}).setdefault(predicate, {})[obj] = None
    blocks = []
    for subject, predicates in by_subject.items():
        lines = []
        kinds = predicates.pop(RDF.type, None)
        if kinds:
            lines.append("a " + ", ".join(_term(kind) for kind in kinds))
        for predicate, objects in predicates.items():
            lines.append(f"{_term(predicate)} " + ", ".join(_term(obj) for obj in objects))
        blocks.append(f"{_term(subject)} " + " ;\n    ".join(lines) + " .\n")
    return "\n".join(blocks)


def turtle(triples: Iterable[Triple]) -> str:
    return TURTLE_HEADER + turtle_body(triples)


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples, duplicates left out (rdflib's own escaping of each row)."""
    return "".join(dict.fromkeys(_nt_row(triple) for triple in triples))
