"""The registry's plain fields in RDF, both ways: one triple per value, as each field declares.

:mod:`catalogue.dcat.mapping` and :mod:`catalogue.dcat.reverse` call these for every field of
:mod:`catalogue.domain.fields` that declares an RDF predicate and no custom handling, so a new
plain field needs no code here. Reading is the exact inverse of writing, which the seed
round-trip tests check for every field at once.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import DCT, FOAF, RDF, RDFS
from catalogue.dcat.writer import Writer, web_iri
from catalogue.domain.fields import generic
from catalogue.domain.fieldspec import DCAT_AP, Field, Rdf
from catalogue.domain.paths import attribute
from catalogue.domain.values import web_address

if TYPE_CHECKING:
    from catalogue.dcat.reverse_reader import Reader as _Reader

GENERIC = generic("dcat")


def _types(field: Field) -> tuple[URIRef, ...]:
    return _type_terms(field.rdf[DCAT_AP])


@cache
def _type_terms(rdf: Rdf) -> tuple[URIRef, ...]:
    """Made once per field (a feed page writes each field of 100 datasets)."""
    return tuple(URIRef(kind) for kind in rdf.types)


def write_field(writer: Writer, subject: URIRef, field: Field, value: Any) -> None:
    """Add the triples of one field's value."""
    rdf = field.rdf[DCAT_AP]
    predicate, graph = URIRef(rdf.predicate), writer.graph
    if value is None:
        return
    if field.kind == "langtext":
        writer.texts(subject, predicate, value)
    elif field.kind in {"code", "codes"}:
        codes = [value] if field.kind == "code" else value
        for code in codes:
            # a harvested catalogue's own theme (a foreign IRI) is left out of our feed: our
            # shapes take only the EU data themes
            node = writer.concept(field.vocabulary or "", code, *_types(field))
            writer.add(subject, predicate, node)
    elif field.kind == "urls":
        for url in value:
            node = web_iri(url)
            for kind in _types(field):
                graph.add((node, RDF.type, kind))
            graph.add((subject, predicate, node))
    elif field.kind == "strings":
        for text in value:
            graph.add((subject, predicate, Literal(text)))
    elif field.kind == "flag":
        if value:
            graph.add((subject, predicate, Literal(True)))
    elif value != "":
        datatype = URIRef(rdf.datatype) if rdf.datatype else None
        graph.add((subject, predicate, Literal(value, datatype=datatype)))


def write_fields(writer: Writer, subject: URIRef, document: Any) -> None:
    """Every plain field of ``document`` on the dataset node ``subject``."""
    for field in GENERIC:
        write_field(writer, subject, field, attribute(document, field.path))


def read_field(reader: _Reader, subject: Node, field: Field) -> Any:
    """One field's value as plain JSON data (None when the graph says nothing)."""
    rdf = field.rdf[DCAT_AP]
    predicate = URIRef(rdf.predicate)
    if field.kind == "langtext":
        return reader.texts(subject, predicate)
    if field.kind == "code":
        return reader.code(field.vocabulary or "", reader.one(subject, predicate))
    if field.kind == "codes":  # a node of the dataset's own (``#location``) is no concept
        return reader.codes(
            field.vocabulary or "",
            subject,
            predicate,
            lambda node: not str(node).startswith(f"{subject}#"),
        )
    if field.kind == "urls":
        return sorted({_address(reader, value) for value in reader.all(subject, predicate)})
    if field.kind == "strings":
        return sorted(
            {
                text
                for value in reader.all(subject, predicate)
                if isinstance(value, Literal) and (text := str(value).strip())
            }
        )
    if field.kind == "flag":
        return reader.flag(subject, predicate)
    return reader.literal(subject, predicate)


def _address(reader: _Reader, value: Node) -> str:
    """A web address given as an IRI, a literal or a node that names one (``[ a dct:Standard;
    foaf:page <...> ]``); else the value's text, for validation to report."""
    if isinstance(value, URIRef):
        return str(value)
    candidates = (
        [str(value)]
        if isinstance(value, Literal)
        else [
            *(
                str(page)
                for predicate in (FOAF.page, RDFS.seeAlso, DCT.source)
                for page in reader.all(value, predicate)
            ),
            *reader.candidates(value),
        ]
    )
    return next(filter(None, map(web_address, candidates)), candidates[0] if candidates else "")


def read_fields(reader: _Reader, subject: Node) -> dict[str, Any]:
    """``{path: value}`` for every plain field the graph states about ``subject``."""
    values = {field.path: read_field(reader, subject, field) for field in GENERIC}
    return {path: value for path, value in values.items() if value is not None}
