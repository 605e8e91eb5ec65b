"""Reading an RDF document someone sent us, within the limits (``catalogue.limits``).

Two guards around rdflib's parsers: RDF/XML may not declare a DOCTYPE (so no entity is
ever defined, expanded or fetched: a "billion laughs" is refused at its first line, before
expat starts expanding), and the store refuses the triple after ``max_rdf_triples`` while
the parser is still reading, so a large document costs no more than the limit.
The body's size is limited before it is read (``max_rdf_bytes``, by the request middleware).
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from rdflib import Graph
from rdflib.plugins.stores.memory import Memory

from catalogue.limits import LimitExceeded, limits


class DeclarationsRefused(ValueError):
    """RDF/XML with a DOCTYPE: entities are never expanded."""


class _Done(Exception):
    """The root element began: no DOCTYPE can follow."""


def refuse_xml_declarations(body: bytes) -> None:
    """Look at the prologue only (expat, stopped at the root element)."""
    parser = expat.ParserCreate()

    def doctype(*_: Any) -> None:
        raise DeclarationsRefused(
            "RDF/XML may not have a DOCTYPE or declare entities (they are never expanded); "
            "write the values out instead"
        )

    def root(*_: Any) -> None:
        raise _Done

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        parser.Parse(body, True)
    except _Done:
        return
    except expat.ExpatError as error:
        raise DeclarationsRefused(f"not well-formed XML: {error}") from None


class _BoundedStore(Memory):
    """An in-memory store that refuses more than ``maximum`` triples, as they arrive."""

    def __init__(self, maximum: int) -> None:
        super().__init__()
        self._maximum = maximum
        self._added = 0

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self._added += 1
        if self._added > self._maximum:
            raise LimitExceeded(
                "(body)",
                "max_rdf_triples",
                f"the document has more than {self._maximum} triples; validate it in parts",
            )
        super().add(triple, context, quoted)


def bounded_parse(body: bytes, fmt: str) -> Graph:
    """The document as a graph; :class:`LimitExceeded` past the triple limit,
    :class:`DeclarationsRefused` for RDF/XML with a DOCTYPE, rdflib's errors otherwise."""
    if fmt == "xml":
        refuse_xml_declarations(body)
    graph = Graph(store=_BoundedStore(limits().max_rdf_triples))
    return graph.parse(data=body, format=fmt)
