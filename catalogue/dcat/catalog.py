"""The catalogue page graph: ``dcat:Catalog``, one page of datasets and ``hydra`` paging.

Paging follows ckanext-dcat so existing harvesters walk it unchanged: a
``hydra:PagedCollection`` with the newer ``hydra:next/previous/first/last`` (IRIs) and the
older ``hydra:nextPage/previousPage/firstPage/lastPage`` (literals, as ckanext-dcat writes).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.mapping import (
    DatasetContext,
    PublisherInfo,
    dataset_graph,
    dataset_iri,
    organisation_iri,
    timestamp,
)
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, HYDRA, RDF, SKOS, XSD, new_graph
from catalogue.domain.types import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MULTILINE, IRI_UNSAFE
from catalogue.vocabularies import Vocabularies

log = logging.getLogger(__name__)

ISO_639_1_TO_EU = {
    "bg": "BUL",
    "cs": "CES",
    "da": "DAN",
    "de": "DEU",
    "el": "ELL",
    "en": "ENG",
    "es": "SPA",
    "et": "EST",
    "fi": "FIN",
    "fr": "FRA",
    "ga": "GLE",
    "hr": "HRV",
    "hu": "HUN",
    "it": "ITA",
    "lt": "LIT",
    "lv": "LAV",
    "mt": "MLT",
    "nl": "NLD",
    "pl": "POL",
    "pt": "POR",
    "ro": "RON",
    "sk": "SLK",
    "sl": "SLV",
    "sv": "SWE",
    "no": "NOR",
    "is": "ISL",
}


@dataclass(frozen=True)
class CatalogInfo:
    """The catalogue itself, from the settings."""

    base_url: str
    title: str
    description: str
    languages: tuple[str, ...]
    publisher: PublisherInfo | None
    issued: dt.datetime | None = None  # when the first dataset was registered
    licence: str | None = None  # of the catalogue's metadata (an EU licence code)
    spatial: tuple[str, ...] = ()  # country codes
    publisher_type: str | None = None  # EU publisher type when no organisation is named

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        publishers: Mapping[str, PublisherInfo],
        issued: dt.datetime | None = None,
    ) -> CatalogInfo:
        return cls(
            base_url=settings.base_url,
            title=settings.catalogue_title,
            description=settings.catalogue_description,
            languages=settings.languages,
            publisher=publishers.get(settings.catalogue_publisher),
            issued=issued,
            licence=settings.catalogue_licence or None,
            spatial=settings.catalogue_spatial,
            publisher_type=settings.catalogue_publisher_type or None,
        )


@dataclass(frozen=True)
class PageInfo:
    """Where this page sits; ``url(n)`` is the address of page ``n`` with the same filters."""

    number: int
    size: int
    total: int
    path: str
    params: tuple[tuple[str, str], ...] = ()
    after: str | None = None  # the seek token this page was asked with
    next_after: str | None = None  # the seek token of the next page (None on the last)

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    def url(self, base_url: str, number: int) -> str:
        return f"{base_url}{self.path}?{urlencode([*self.params, ('page', str(number))])}"

    def seek_url(self, base_url: str, token: str) -> str:
        return f"{base_url}{self.path}?{urlencode([*self.params, ('after', token)])}"


def catalog_graph(
    catalog: CatalogInfo,
    items: Sequence[tuple[object, DatasetContext]],
    page: PageInfo,
    vocabularies: Vocabularies,
    modified: dt.datetime | None,
) -> Graph:
    """The catalogue node, every dataset of ``items`` (document, context) and the paging."""
    graph = new_graph()
    members = []
    for document, context in items:
        described = _renderable_description(document, context, vocabularies)
        if described is None:
            continue
        graph += described
        subject = dataset_iri(catalog.base_url, document.slug)  # type: ignore[attr-defined]
        members.append((subject, tuple(graph.subjects(DCAT.servesDataset, subject))))
    catalog_triples(graph, catalog, members, page, vocabularies, modified)
    return graph


def catalog_triples(
    graph: Any,
    catalog: CatalogInfo,
    members: Sequence[tuple[URIRef, Sequence[Node]]],
    page: PageInfo,
    vocabularies: Vocabularies,
    modified: dt.datetime | None,
) -> None:
    """The catalogue node, its ``dcat:dataset`` and ``dcat:service`` links to ``members``
    ((dataset IRI, its services)) and the paging, added to ``graph`` (anything with ``add``)."""
    base = catalog.base_url
    node = URIRef(f"{base}/catalog")
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCT.title, Literal(catalog.title, lang=catalog.languages[0])))
    graph.add((node, DCT.description, Literal(catalog.description, lang=catalog.languages[0])))
    homepage = URIRef(f"{base}/")
    graph.add((node, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    if modified is not None:
        graph.add((node, DCT.modified, timestamp(modified)))
    if catalog.issued is not None:
        graph.add((node, DCT.issued, timestamp(catalog.issued)))
    _publisher(graph, node, catalog, vocabularies)
    _licence_and_coverage(graph, node, catalog, vocabularies)
    languages = vocabularies["languages"]
    for language in catalog.languages:
        concept = languages.get(ISO_639_1_TO_EU.get(language, language.upper()))
        if concept is None:
            continue
        iri = URIRef(concept.iri)
        graph.add((node, DCT.language, iri))
        for kind in (DCT.LinguisticSystem, SKOS.Concept):
            graph.add((iri, RDF.type, kind))
        graph.add((iri, SKOS.inScheme, URIRef(languages.iri)))
        graph.add((iri, SKOS.prefLabel, Literal(concept.label("en"), lang="en")))
    themes = vocabularies["themes"]
    taxonomy = URIRef(themes.iri)
    graph.add((node, DCAT.themeTaxonomy, taxonomy))
    graph.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    graph.add((taxonomy, DCT.title, Literal(themes.label("en"), lang="en")))
    for subject, services in members:
        graph.add((node, DCAT.dataset, subject))
        for service in services:
            graph.add((node, DCAT.service, service))
    _paging(graph, base, page)


def _renderable_description(
    document: object, context: DatasetContext, vocabularies: Vocabularies
) -> Graph | None:
    """One dataset's triples, or None (logged) when they cannot be written in every format:
    one bad record (stored around the rules) is left out rather than breaking the page."""
    slug = getattr(document, "slug", "?")
    try:
        described = dataset_graph(document, context, vocabularies)  # type: ignore[arg-type]
    except Exception:
        log.exception("dataset %r left out of the feed: its description cannot be built", slug)
        return None
    for term in {term for triple in described for term in triple}:
        if isinstance(term, URIRef) and not writable_iri(term):
            log.error("dataset %r left out of the feed: %r is not a writable IRI", slug, term)
            return None
        if isinstance(term, Literal) and not writable_text(term):
            log.error("dataset %r left out of the feed: a text holds a control character", slug)
            return None
    return described


def writable_iri(iri: str) -> bool:
    """What Turtle, N-Triples and RDF/XML can all write (rdflib raises on the rest)."""
    return not (IRI_UNSAFE.intersection(iri) or CONTROL_CHARACTERS.search(iri))


def writable_text(text: str) -> bool:
    """XML 1.0 holds no C0 control character but tab and new lines (nor lone surrogates)."""
    return not CONTROL_CHARACTERS_MULTILINE.search(str(text))


def _publisher(graph: Any, node: URIRef, catalog: CatalogInfo, vocabularies: Vocabularies) -> None:
    publisher = catalog.publisher
    if publisher is not None:
        agent = organisation_iri(catalog.base_url, publisher.slug)
        name = publisher.name
    else:
        agent = URIRef(f"{catalog.base_url}/#publisher")
        name = catalog.title
    graph.add((node, DCT.publisher, agent))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name)))
    types = vocabularies["publisher-types"]
    code = publisher.type if publisher and publisher.type else catalog.publisher_type
    concept = types.get(code) if code else None
    if concept is not None:
        kind = URIRef(concept.iri)
        graph.add((agent, DCT.type, kind))
        graph.add((kind, RDF.type, SKOS.Concept))
        graph.add((kind, SKOS.inScheme, URIRef(types.iri)))
        graph.add((kind, SKOS.notation, Literal(concept.code)))
        graph.add((kind, SKOS.prefLabel, Literal(concept.label("en"), lang="en")))


def _licence_and_coverage(
    graph: Any, node: URIRef, catalog: CatalogInfo, vocabularies: Vocabularies
) -> None:
    """The licence of the catalogue's metadata and the countries it covers, typed and
    labelled as the datasets' concepts are (with their geometry, when known)."""
    from catalogue.dcat.spatial import location_triples

    licences = vocabularies["licences"]
    concept = licences.get(catalog.licence) if catalog.licence else None
    if concept is not None:
        iri = URIRef(concept.iri)
        graph.add((node, DCT.license, iri))
        for kind in (DCT.LicenseDocument, SKOS.Concept):
            graph.add((iri, RDF.type, kind))
        graph.add((iri, SKOS.inScheme, URIRef(licences.iri)))
        graph.add((iri, SKOS.prefLabel, Literal(concept.label("en"), lang="en")))
    countries = vocabularies["countries"]
    for code in catalog.spatial:
        country = countries.get(code)
        if country is None:
            continue
        iri = URIRef(country.iri)
        graph.add((node, DCT.spatial, iri))
        for kind in (DCT.Location, SKOS.Concept):
            graph.add((iri, RDF.type, kind))
        graph.add((iri, SKOS.inScheme, URIRef(countries.iri)))
        graph.add((iri, SKOS.prefLabel, Literal(country.label("en"), lang="en")))
        for triple in location_triples(iri, code, None):
            graph.add(triple)


def _paging(graph: Any, base_url: str, page: PageInfo) -> None:
    """The hydra collection, in both the current and the ckanext-dcat vocabulary.

    ``next`` always seeks (``after=``): a harvester that follows it reads every dataset once.
    ``previous`` is given on numbered pages only (a seek cannot go back cheaply)."""
    if page.after is not None:
        current = URIRef(page.seek_url(base_url, page.after))
    else:
        current = URIRef(page.url(base_url, page.number))
    graph.add((current, RDF.type, HYDRA.PagedCollection))
    graph.add((current, HYDRA.totalItems, Literal(page.total, datatype=XSD.integer)))
    graph.add((current, HYDRA.itemsPerPage, Literal(page.size, datatype=XSD.integer)))
    links = {"first": page.url(base_url, 1), "last": page.url(base_url, page.last)}
    if page.after is None and page.number > 1:
        links["previous"] = page.url(base_url, min(page.number - 1, page.last))
    if page.next_after is not None:
        links["next"] = page.seek_url(base_url, page.next_after)
    elif page.after is None and page.number < page.last:  # a searched feed: by number
        links["next"] = page.url(base_url, page.number + 1)
    for name, url in links.items():
        graph.add((current, HYDRA[name], URIRef(url)))
        graph.add((current, HYDRA[f"{name}Page"], Literal(url)))
