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
import hashlib
import json
import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from rdflib import Literal, URIRef
from rdflib.term import Node

from catalogue.datasets.queries import DatasetRecord, record_from_row
from catalogue.datasets.versions import VersionedCache
from catalogue.dcat import chunk_store, profiles, snapshot
from catalogue.dcat.catalog import (
    CatalogInfo,
    PageInfo,
    catalog_triples,
    writable_iri,
    writable_text,
)
from catalogue.dcat.mapping import DatasetContext, dataset_graph, dataset_iri
from catalogue.dcat.namespaces import DCAT, PREFIXES
from catalogue.dcat.triples import TURTLE_HEADER, TripleSink, ntriples, turtle_body
from catalogue.domain.disclosure import related_in
from catalogue.harvest.provenance import harvested_sources
from catalogue.settings import Settings
from catalogue.vocabularies import default_vocabularies

log = logging.getLogger(__name__)
CHUNK_FORMATS = ("ttl", "nt")
SEPARATOR = "\x1e"  # between a stored chunk's service IRIs and its text
# Per worker: the Turtle and N-Triples (and services) of the datasets read most (about
# 7 KB of Turtle each); the rest come from the disk store.
_chunks: VersionedCache[tuple[str, tuple[Node, ...]]] = VersionedCache(
    max_entries=20_000, max_bytes=96 * 2**20
)
_documents: VersionedCache[bytes] = VersionedCache(max_entries=8_192, max_bytes=48 * 2**20)


@dataclass(frozen=True)
class Facts:
    """What a dataset's RDF key needs, read from a record or straight from its row."""

    id: UUID
    slug: str
    revision: int
    modified: dt.datetime
    issued: dt.datetime | None
    publisher: str
    publisher_name: str
    related: tuple[str, ...]

    @classmethod
    def of_record(cls, record: DatasetRecord) -> Facts:
        return cls(
            record.id,
            record.slug,
            record.revision,
            record.modified,
            record.issued,
            record.publisher,
            record.publisher_name,
            (
                *record.document.semantic.related,
                *(
                    slug
                    for service in record.document.technical.data_services
                    for slug in service.serves
                ),
            ),
        )

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> Facts:
        document = row["document"]
        if isinstance(document, str):
            document = json.loads(document)
        related = related_in(document)  # related datasets, and those its services serve
        identifier = row["id"] if isinstance(row["id"], UUID) else UUID(str(row["id"]))
        return cls(
            identifier,
            row["slug"],
            row["revision"],
            row["modified"],
            row["issued"],
            row["publisher.slug"] or "",
            row["publisher.name"] or "",
            tuple(related),
        )


class Described:
    """A dataset with the facts beside it that its RDF depends on. The validated record is
    built only when the RDF has to be written (a kept chunk needs the facts alone)."""

    __slots__ = ("_record", "_row", "context", "facts", "public_related")

    def __init__(
        self,
        facts: Facts,
        context: DatasetContext,
        public_related: frozenset[str],
        row: dict[str, Any] | None = None,
        record: DatasetRecord | None = None,
    ):
        self.facts, self.context, self.public_related = facts, context, public_related
        self._row, self._record = row, record

    @property
    def record(self) -> DatasetRecord:
        if self._record is None:
            assert self._row is not None
            self._record = record_from_row(self._row)
        return self._record

    @property
    def revision(self) -> Hashable:
        """What changes with every edit (the modified time too: a database restored from a
        copy may repeat a revision number, never with the same time)."""
        return (self.facts.revision, self.facts.modified)

    @property
    def key(self) -> Hashable:
        context = self.context
        return (
            self.facts.id,
            context.base_url,
            context.languages,
            context.publisher,
            self.public_related,
            context.source,
        )


async def describe(records: Sequence[DatasetRecord], settings: Settings) -> list[Described]:
    """Each record with its context: publishers as of now, related datasets that are public."""
    return await _describe([(Facts.of_record(r), None, r) for r in records], settings)


async def describe_rows(rows: Sequence[dict[str, Any]], settings: Settings) -> list[Described]:
    """The same for rows of ``RECORD_COLUMNS`` (validated only if their RDF is written)."""
    return await _describe([(Facts.of_row(row), row, None) for row in rows], settings)


async def _describe(
    found: list[tuple[Facts, dict[str, Any] | None, DatasetRecord | None]], settings: Settings
) -> list[Described]:
    current = await snapshot.refresh()
    public = await snapshot.public_among(slug for facts, _, _ in found for slug in facts.related)
    sources = await harvested_sources([facts.id for facts, _, _ in found])
    described = []
    for facts, row, record in found:
        mine = public & frozenset(facts.related)
        context = DatasetContext(
            base_url=settings.base_url,
            languages=settings.languages,
            dataset_id=facts.id,
            issued=facts.issued,
            modified=facts.modified,
            publisher=current.publisher(facts.publisher, facts.publisher_name),
            related_visible=mine.__contains__,
            source=sources.get(facts.id),
        )
        described.append(Described(facts, context, mine, row, record))
    return described


def triples(item: Described, profile: str = profiles.DEFAULT) -> TripleSink:
    sink = dataset_graph(item.record.document, item.context, default_vocabularies(), TripleSink())  # type: ignore[arg-type]
    return profiles.apply(sink, profile)  # type: ignore[arg-type]


def renderable_triples(item: Described, profile: str = profiles.DEFAULT) -> TripleSink | None:
    """The dataset's triples, or None (logged) when its stored record does not read or holds
    what not every format can write: one bad record (stored around the rules) is left out of
    a feed page rather than breaking the page for every other dataset."""
    try:
        sink = triples(item, profile)
    except Exception:
        log.exception(
            "dataset %r left out of the feed: its description cannot be built", item.facts.slug
        )
        return None
    for term in {term for triple in sink for term in triple}:
        if (isinstance(term, URIRef) and not writable_iri(term)) or (
            isinstance(term, Literal) and not writable_text(term)
        ):
            log.error(
                "dataset %r left out of the feed: %r cannot be written in every format",
                item.facts.slug,
                str(term)[:80],
            )
            return None
    return sink


def _serialised(sink: TripleSink, fmt: str) -> str:
    return turtle_body(sink) if fmt == "ttl" else ntriples(sink)


def chunks(items: Sequence[Described], fmt: str, profile: str = profiles.DEFAULT) -> list[str]:
    """Each dataset's Turtle statements (no prefixes) or N-Triples in ``profile``, kept per
    revision: in memory, then on disk (:mod:`catalogue.dcat.chunk_store`), else written now.
    The profile is part of every key: the two profiles' texts never stand in for each other."""
    found: dict[int, tuple[str, tuple[Node, ...]]] = {}
    wanted: dict[str, str] = {}
    for number, item in enumerate(items):
        entry = _chunks.get((item.key, fmt, profile), item.revision)
        if entry is not None:
            found[number] = entry
        else:
            wanted[_stored_key(item, fmt, profile)] = _stored_version(item)
    stored = chunk_store.get_many(wanted)
    written = []
    for number, item in enumerate(items):
        if number in found:
            continue
        key = _stored_key(item, fmt, profile)
        if key in stored:
            names, _, text = stored[key].partition(SEPARATOR)
            entry = (text, tuple(URIRef(name) for name in names.split("\n") if name))
        elif (sink := renderable_triples(item, profile)) is None:
            entry = ("", ())  # left out of the page (and re-tried at its next revision)
        else:
            entry = (_serialised(sink, fmt), _services_of(sink, item))
            services = "\n".join(str(node) for node in entry[1])
            written.append((key, wanted[key], services + SEPARATOR + entry[0]))
        _chunks.put((item.key, fmt, profile), item.revision, entry, len(entry[0]))
        found[number] = entry
    chunk_store.put_many(written)
    return [found[number][0] for number in range(len(items))]


def unwritten(
    items: Sequence[Described], fmt: str, profile: str = profiles.DEFAULT
) -> list[Described]:
    """Those of ``items`` whose chunk the disk store does not hold at their revision."""
    keys = [_stored_key(item, fmt, profile) for item in items]
    kept = chunk_store.present(
        {key: _stored_version(item) for key, item in zip(keys, items, strict=True)}
    )
    return [item for key, item in zip(keys, items, strict=True) if key not in kept]


def chunk(item: Described, fmt: str, profile: str = profiles.DEFAULT) -> str:
    return chunks([item], fmt, profile)[0]


def services(
    item: Described, fmt: str = "ttl", profile: str = profiles.DEFAULT
) -> tuple[Node, ...]:
    """The data services that serve this dataset (the catalogue lists them too)."""
    entry = _chunks.get((item.key, fmt, profile), item.revision)
    if entry is None:
        chunks([item], fmt, profile)
        entry = _chunks.get((item.key, fmt, profile), item.revision)
    return entry[1] if entry is not None else _services_of(triples(item, profile), item)


def _stored_key(item: Described, fmt: str, profile: str = profiles.DEFAULT) -> str:
    context = item.context
    publisher = context.publisher
    parts = [
        str(item.facts.id),
        fmt,
        profile,
        context.base_url,
        ",".join(context.languages),
        repr(publisher),
        ",".join(sorted(item.public_related)),
        chunk_store.fingerprint(),
        repr(context.source),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _stored_version(item: Described) -> str:
    return f"{item.facts.revision}|{item.facts.modified.isoformat()}"


def _services_of(sink: TripleSink, item: Described) -> tuple[Node, ...]:
    subject = dataset_iri(item.context.base_url, item.facts.slug)
    return tuple(dict.fromkeys(sink.subjects(DCAT.servesDataset, subject)))


def dataset_document(
    item: Described,
    fmt: str,
    profile: str = profiles.DEFAULT,
    extra: TripleSink | None = None,
    extra_key: str = "",
) -> bytes:
    """One dataset as a whole document in ``fmt`` (ttl, nt, rdf, jsonld) and ``profile``, with
    ``extra`` triples after it (the dataset's quality measurements, which change without an
    edit; ``extra_key`` names them: when the score was computed)."""
    if extra is not None and len(extra):
        if fmt in CHUNK_FORMATS:
            return dataset_document(item, fmt, profile) + _serialised(extra, fmt).encode("utf-8")
        # rdflib writes RDF/XML and JSON-LD (30-80 ms a dataset): once per revision and score.
        kept_key = (item.key, fmt, profile, extra_key)
        body = _documents.get(kept_key, item.revision) if extra_key else None
        if body is None:
            combined = TripleSink()
            combined.triples = [*triples(item, profile), *extra]
            body = serialise_rdflib(combined, fmt).encode("utf-8")
            if extra_key:
                _documents.put(kept_key, item.revision, body)
        return body
    key = (item.key, fmt, profile)
    body = _documents.get(key, item.revision)
    if body is None:
        if fmt == "ttl":
            text = TURTLE_HEADER + chunk(item, fmt, profile)
        elif fmt == "nt":
            text = chunk(item, fmt, profile)
        else:
            text = serialise_rdflib(triples(item, profile), fmt)
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
    profile: str = profiles.DEFAULT,
) -> bytes:
    """A feed page: the catalogue node and paging, then each dataset's cached chunk."""
    head = TripleSink()
    sinks: list[TripleSink] = []
    if fmt in CHUNK_FORMATS:  # chunks first: writing one notes the dataset's services too
        written = chunks(items, fmt, profile)
        kept = [number for number, text in enumerate(written) if text]
        texts = [written[number] for number in kept]
        items = [items[number] for number in kept]
        served = [services(item, fmt, profile) for item in items]
    else:
        found = [(renderable_triples(item, profile), item) for item in items]
        sinks = [sink for sink, _ in found if sink is not None]
        items = [item for sink, item in found if sink is not None]
        served = [_services_of(sink, item) for sink, item in zip(sinks, items, strict=True)]
    members = [
        (URIRef(dataset_iri(catalog.base_url, item.facts.slug)), found)
        for item, found in zip(items, served, strict=True)
    ]
    catalog_triples(head, catalog, members, page, default_vocabularies(), modified)
    if fmt in CHUNK_FORMATS:
        separator = "\n" if fmt == "ttl" else ""
        header = TURTLE_HEADER if fmt == "ttl" else ""
        return (header + _serialised(head, fmt) + separator + separator.join(texts)).encode("utf-8")
    for sink in sinks:
        head.triples.extend(sink)
    return serialise_rdflib(head, fmt).encode("utf-8")


def clear() -> None:
    """Forget every rendered document (tests reset the database under the caches)."""
    for cache in (_chunks, _documents):
        cache.clear()
