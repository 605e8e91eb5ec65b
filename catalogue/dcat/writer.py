"""The building blocks of the DCAT-AP mapping: context, IRIs, literals and a typed writer.

Split from :mod:`catalogue.dcat.mapping` so each module stays small; nothing here knows the
dataset document's structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote
from uuid import UUID

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import DCT, RDF, RDFS, SKOS, VCARD, XSD
from catalogue.domain.ckan_licences import ckan_licence
from catalogue.domain.dataset import Contact
from catalogue.vocabularies import Concept, Vocabularies

IRI_UNSAFE = frozenset(' <>"{}|\\^`')
_IRI_UNSAFE = re.compile('[\\x00-\\x20<>"{}|\\\\^`]')


@dataclass(frozen=True)
class PublisherInfo:
    """What the feed says about a publishing organisation (from the organisations table)."""

    slug: str
    name: str
    type: str | None = None
    homepage: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SourceInfo:
    """Where a harvested dataset comes from: its identifier there and the source catalogue."""

    identifier: str
    catalogue: str | None = None


@dataclass(frozen=True)
class DatasetContext:
    """What the server keeps beside the document, and how to write IRIs."""

    base_url: str
    languages: tuple[str, ...] = ("en",)
    dataset_id: UUID | None = None
    issued: dt.datetime | None = None
    modified: dt.datetime | None = None
    publisher: PublisherInfo | None = None
    related_visible: Callable[[str], bool] = field(default=lambda slug: True)
    source: SourceInfo | None = None  # set for harvested datasets


def dataset_iri(base_url: str, slug: str) -> URIRef:
    return URIRef(f"{base_url}/dataset/{slug}")


def organisation_iri(base_url: str, slug: str) -> URIRef:
    return URIRef(f"{base_url}/organisation/{slug}")


def rights_node(dataset: URIRef) -> URIRef:
    """The dataset's rights statement (its distributions without their own point to it)."""
    return URIRef(f"{dataset}#rights")


def identifier_scheme_iri(base_url: str, code: str) -> URIRef:
    return URIRef(f"{base_url}/identifier-scheme/{code}")


def web_iri(url: str) -> URIRef:
    """A URL as an IRI that every serialisation accepts (spaces, quotes, <> are escaped)."""
    if not _IRI_UNSAFE.search(url):
        return URIRef(url)
    return URIRef(
        "".join(quote(char) if char in IRI_UNSAFE or ord(char) < 0x21 else char for char in url)
    )


def lang_literals(values: Mapping[str, str]) -> Iterable[Literal]:
    for language, text in sorted(values.items()):
        yield Literal(text, lang=language)


def timestamp(value: dt.datetime) -> Literal:
    """Seconds precision, UTC: what harvesters compare and what the shapes accept."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC).replace(microsecond=0)
    return Literal(value.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


# The triples of a concept, per vocabularies object, vocabulary, code, types and languages:
# the same few hundred concepts recur in every dataset (the vocabularies are kept alive in
# the value, so an id is never reused for another object).
_CONCEPTS: dict[tuple[Any, ...], tuple[Any, URIRef | None, tuple[Any, ...]]] = {}


class Writer:
    """Adds one dataset's triples; small helpers keep each DCAT-AP class readable."""

    def __init__(self, graph: Graph, vocabularies: Vocabularies, context: DatasetContext) -> None:
        self.graph = graph
        self.vocabularies = vocabularies
        self.context = context
        self.dataset_rights: URIRef | None = None  # the dataset's rights statement, if any

    def add(self, subject: Node, predicate: URIRef, value: Node | None) -> None:
        if value is not None:
            self.graph.add((subject, predicate, value))

    def texts(self, subject: Node, predicate: URIRef, values: Mapping[str, str]) -> None:
        for literal in lang_literals(values):
            self.graph.add((subject, predicate, literal))

    def concept(self, key: str, code: str | None, *types: URIRef) -> URIRef | None:
        """The concept's IRI, typed and labelled so that range and label shapes pass."""
        if not code:
            return None
        cache_key = (id(self.vocabularies), key, code, types, self.context.languages)
        cached = _CONCEPTS.get(cache_key)
        if cached is None:
            cached = _CONCEPTS[cache_key] = (self.vocabularies, *self._concept(key, code, types))
        _, node, triples = cached
        for triple in triples:
            self.graph.add(triple)
        return node

    def _concept(
        self, key: str, code: str, types: tuple[URIRef, ...]
    ) -> tuple[URIRef | None, tuple[tuple[Node, Node, Node], ...]]:
        concept: Concept | None = self.vocabularies[key].get(code)
        if concept is None:  # codes are checked on save; an unknown one is left out
            return None, ()
        node = URIRef(concept.iri)
        triples: list[tuple[Node, Node, Node]] = [
            (node, RDF.type, kind) for kind in (SKOS.Concept, *types)
        ]
        triples.append((node, SKOS.inScheme, URIRef(self.vocabularies[key].iri)))
        triples.append((node, SKOS.notation, Literal(concept.code)))
        labelled = [lang for lang in self.context.languages if concept.labels.get(lang)]
        for lang in labelled or ["en"]:
            triples.append((node, SKOS.prefLabel, Literal(concept.label(lang), lang=lang)))
        return node, tuple(triples)

    def plain_concept(self, key: str, code: str | None) -> URIRef | None:
        """A DPV concept: its IRI only (DPV terms are classes; no DCAT-AP shape reads them)."""
        concept = self.vocabularies[key].get(code) if code else None
        return URIRef(concept.iri) if concept else None

    def contact(self, node: URIRef, contact: Contact, kind: URIRef = VCARD.Kind) -> URIRef:
        self.graph.add((node, RDF.type, kind))
        self.add(node, VCARD.fn, Literal(contact.name) if contact.name else None)
        self.add(node, VCARD.hasEmail, URIRef(f"mailto:{contact.email}") if contact.email else None)
        self.add(node, VCARD.hasURL, web_iri(contact.url) if contact.url else None)
        return node

    def rights(self, node: URIRef, values: Mapping[str, str]) -> URIRef:
        self.graph.add((node, RDF.type, DCT.RightsStatement))
        self.texts(node, RDFS.label, values)
        return node

    def licence(self, code: str | None) -> URIRef | None:
        """The EU licence, with the title CKAN's licence register knows it by where the
        register has it (ckanext-dcat's parser recognises a licence by URL or that title)."""
        node = self.concept("licences", code, DCT.LicenseDocument)
        known = ckan_licence(code)
        if node is not None and known is not None and known.specific:
            self.graph.add((node, DCT.title, Literal(known.title)))
        return node
