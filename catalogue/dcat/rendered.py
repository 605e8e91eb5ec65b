"""DCAT-AP bytes for one dataset and for a feed page, written once per revision.

A dataset's description depends on its revision and on a few facts beside it (its
publisher's details, which related datasets are public, the base URL): all of them are the
cache key, so an edit of the dataset, of its publisher or of a related dataset's status
writes it anew, and nothing stale is ever served. Turtle and N-Triples are written by
:mod:`catalogue.dcat.triples` (fast, and chunks concatenate into a feed page); RDF/XML and
JSON-LD go through rdflib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from catalogue.datasets.queries import DatasetRecord
from catalogue.datasets.versions import VersionedCache
from catalogue.dcat import snapshot
from catalogue.dcat.catalog import CatalogInfo, PageInfo, catalog_triples
from catalogue.dcat.mapping import DatasetContext, dataset_graph, dataset_iri
from catalogue.dcat.namespaces import DCAT, PREFIXES
from catalogue.dcat.triples import TURTLE_HEADER, TripleSink, ntriples, turtle_body
from catalogue.settings import Settings
from catalogue.vocabularies import default_vocabularies

CHUNK_FORMATS = ("ttl", "nt")
# Per worker: the Turtle and N-Triples of the datasets read most (about 3-6 KB each).
_chunks: VersionedCache[str] = VersionedCache(max_entries=60_000, max_bytes=160 * 2**20)
_documents: VersionedCache[bytes] = VersionedCache(max_entries=8_192, max_bytes=48 * 2**20)
_services: VersionedCache[tuple[Node, ...]] = VersionedCache(max_entries=60_000)


@dataclass(frozen=True)
class Described:
    """A record with the facts beside it that its RDF depends on."""

    record: DatasetRecord
    context: DatasetContext
    public_related: frozenset[str]

    @property
    def revision(self) -> Hashable:
        """What changes with every edit (the modified time too: a database restored from a
        copy may repeat a revision number, never with the same time)."""
        return (self.record.revision, self.record.modified)

    @property
    def key(self) -> Hashable:
        context = self.context
        return (self.record.id, context.base_url, context.languages, context.publisher,
                self.public_related)


async def describe(records: Sequence[DatasetRecord], settings: Settings) -> list[Described]:
    """Each record with its context: publishers as of now, related datasets that are public."""
    current = await snapshot.refresh()
    related = {slug for record in records for slug in record.document.semantic.related}
    public = await snapshot.public_among(related)
    described = []
    for record in records:
        mine = public & frozenset(record.document.semantic.related)
        context = DatasetContext(
            base_url=settings.base_url,
            languages=settings.languages,
            dataset_id=record.id,
            issued=record.issued,
            modified=record.modified,
            publisher=current.publisher(record.publisher, record.publisher_name),
            related_visible=mine.__contains__,
        )
        described.append(Described(record, context, mine))
    return described


def triples(item: Described) -> TripleSink:
    return dataset_graph(item.record.document, item.context, default_vocabularies(),
                         TripleSink())  # type: ignore[arg-type,return-value]


def _serialised(sink: TripleSink, fmt: str) -> str:
    return turtle_body(sink) if fmt == "ttl" else ntriples(sink)


def chunk(item: Described, fmt: str) -> str:
    """The dataset's Turtle statements (no prefixes) or N-Triples, cached per revision."""
    revision = item.revision
    key = (item.key, fmt)
    text = _chunks.get(key, revision)
    if text is None:
        sink = triples(item)
        text = _serialised(sink, fmt)
        _chunks.put(key, revision, text)
        _services.put(item.key, revision, _services_of(sink, item))
    return text


def services(item: Described) -> tuple[Node, ...]:
    """The data services that serve this dataset (the catalogue lists them too)."""
    found = _services.get(item.key, item.revision)
    if found is None:
        found = _services_of(triples(item), item)
        _services.put(item.key, item.revision, found)
    return found


def _services_of(sink: TripleSink, item: Described) -> tuple[Node, ...]:
    subject = dataset_iri(item.context.base_url, item.record.slug)
    return tuple(dict.fromkeys(sink.subjects(DCAT.servesDataset, subject)))


def dataset_document(item: Described, fmt: str) -> bytes:
    """One dataset as a whole document in ``fmt`` (ttl, nt, rdf, jsonld)."""
    key = (item.key, fmt)
    body = _documents.get(key, item.revision)
    if body is None:
        if fmt == "ttl":
            text = TURTLE_HEADER + chunk(item, fmt)
        elif fmt == "nt":
            text = chunk(item, fmt)
        else:
            text = serialise_rdflib(triples(item), fmt)
        body = text.encode("utf-8")
        _documents.put(key, item.revision, body)
    return body


def serialise_rdflib(sink: TripleSink, fmt: str) -> str:
    graph = sink.graph()
    if fmt == "jsonld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return str(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return str(graph.serialize(format="xml"))


def feed_document(
    catalog: CatalogInfo,
    items: Sequence[Described],
    page: PageInfo,
    modified: dt.datetime | None,
    fmt: str,
) -> bytes:
    """A feed page: the catalogue node and paging, then each dataset's cached chunk."""
    head = TripleSink()
    members = [
        (URIRef(dataset_iri(catalog.base_url, item.record.slug)), services(item))
        for item in items
    ]
    catalog_triples(head, catalog, members, page, default_vocabularies(), modified)
    if fmt in CHUNK_FORMATS:
        parts = [TURTLE_HEADER if fmt == "ttl" else "", _serialised(head, fmt)]
        parts.extend(("\n" if fmt == "ttl" else "") + chunk(item, fmt) for item in items)
        return "".join(parts).encode("utf-8")
    for item in items:
        head.triples.extend(triples(item))
    return serialise_rdflib(head, fmt).encode("utf-8")


def clear() -> None:
    """Forget every rendered document (tests reset the database under the caches)."""
    for cache in (_chunks, _documents, _services):
        cache.clear()
