"""What every kind of source yields: one record per foreign dataset, with what was lost.

A source (a DCAT feed, a CKAN site, a spreadsheet) is read into :class:`HarvestRecord`
values. The mapping is tolerant: a value it cannot keep becomes a :class:`RecordIssue`
(field path, original value, reason) and the rest of the record is kept, so one odd value
never loses a dataset. Storing the records is :mod:`catalogue.harvest`'s job runner's work.

Each record's ``document`` validates as a :class:`DatasetDocument` and holds only known codes
(themes may also be a foreign catalogue's IRIs, kept but not counted as EU themes). Its
``organisational.publisher`` is only a suggestion (``publisher.slug``): the job runner
replaces it with the organisation it matches or creates, or the source's own. Its status is
the source's published state (``published`` unless the source deprecates or withdraws it);
the classification rules are checked when storing, and reported, not applied here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import ADMS, CAT, DCAT, DCT, OWL
from catalogue.dcat.reverse import dataset_subjects, document_dict
from catalogue.dcat.reverse_reader import Reader
from catalogue.domain.values import first_slug, iso_timestamp, readable_tail, slugify, unique_slug
from catalogue.vocabularies import Vocabularies


@dataclass(frozen=True)
class RecordIssue:
    """One value of the source that was dropped or could not be mapped to our codes."""

    path: str  # the document field it was meant for, e.g. "legal.licence"
    value: str  # the value exactly as the source gave it
    reason: str


@dataclass(frozen=True)
class HarvestAgent:
    """A publisher as the source describes it, for matching to an organisation here."""

    name: str | None  # foaf:name (or vcard:fn, a label), in the default language if given
    iri: str | None = None  # None for a blank node or a name given as text
    email: str | None = None
    url: str | None = None  # its home page
    identifier: str | None = None  # dct:identifier (DCAT-AP_IT's IPA code, a CKAN org id)
    slug: str | None = None  # a suggested slug for an organisation here
    kind: str | None = None  # its publisher-types code (dct:type), when the source says


@dataclass
class HarvestRecord:
    """One foreign dataset as a document draft, plus its identity at the source."""

    identifier: str  # the dataset IRI, else dct:identifier, else the source URL and name
    document: dict[str, Any]  # JSON-like document data, ready for DatasetDocument validation
    issues: list[RecordIssue] = field(default_factory=list)
    source_issued: str | None = None  # ISO date (or date-time) the source gives for dct:issued
    source_modified: str | None = None  # ISO date (or date-time) the source gives for modified
    landing_page: str | None = None  # where the dataset lives at the source
    publisher: HarvestAgent | None = None  # the source's publisher, to match or create
    name: str | None = None  # the dataset's own name at the source (a CKAN name, an IRI tail)
    classification_stated: bool = False  # False: guessed from access rights (a source
    # option may set its default instead)

    def fingerprint(self) -> str:
        """A hash of everything the source said (document, issues, dates, page, publisher):
        equal for an unchanged record, so a re-harvest can skip it."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def records_from_graph(
    graph: Graph,
    vocabularies: Vocabularies,
    *,
    source_url: str,
    base_url: str,
    default_language: str = "en",
    taken_slugs: set[str] | None = None,
    identifier_schemes: Collection[str] | None = None,
) -> Iterator[HarvestRecord]:
    """Every dataset of a DCAT graph (IRIs and blank nodes) as a record, in a stable order.

    ``base_url`` is the source catalogue's base when it is one of ours (its
    ``{base}/dataset/{slug}`` IRIs keep their slugs). Slugs are unique among the records of one
    call, and across calls that share ``taken_slugs`` (the pages of one source).
    Identifier schemes are checked when ``identifier_schemes`` is given.
    """
    reader = Reader(graph, vocabularies, base_url, default_language)
    taken = taken_slugs if taken_slugs is not None else set()
    subjects = dataset_subjects(graph)
    slugs: dict[Node, str] = {}
    reader.keep(subjects)  # read once: for the slugs first, then for the records
    for subject in subjects:  # every slug first, so relations between datasets can be kept
        slugs[subject] = unique_slug(_slug(reader, subject), taken)
    for subject in subjects:
        try:
            yield _record(reader, subject, slugs, source_url, identifier_schemes)
        except Exception as error:  # a form no reader foresaw: keep the dataset, say so
            yield _bare_record(reader, subject, slugs[subject], source_url, error)
        reader.release(subject)
        reader.forget()


def _slug(reader: Reader, subject: Node) -> str:
    if isinstance(subject, URIRef):
        own = f"{reader.base_url}/dataset/"
        if reader.base_url and str(subject).startswith(own):
            return first_slug([str(subject)[len(own) :]])
        if tail := readable_tail(str(subject)):
            return tail
    titles = reader.texts(subject, DCT.title)
    title = titles.get(reader.default_language) or next(iter(titles.values()), None)
    return first_slug([title, reader.literal(subject, DCT.identifier)])


def _record(
    reader: Reader,
    subject: Node,
    slugs: dict[Node, str],
    source_url: str,
    identifier_schemes: Collection[str] | None,
) -> HarvestRecord:
    from catalogue.harvest.tolerant import clean_document

    slug = slugs[subject]
    issues: list[RecordIssue] = []
    raw = document_dict(
        reader.graph,
        subject,
        reader.vocabularies,
        reader.base_url,
        reader.default_language,
        reader=reader,
    )
    raw["slug"] = slug
    status = reader.code("distribution-status", reader.one(subject, ADMS.status))
    raw["status"] = {"DEPRECATED": "deprecated", "WITHDRAWN": "withdrawn"}.get(
        status or "", "published"
    )
    agent = publisher(reader, subject)
    raw["organisational"].pop("publisher", None)
    if agent is not None and agent.slug:
        raw["organisational"]["publisher"] = agent.slug
    related = []
    for node in reader.all(subject, DCT.relation):
        if node in slugs:
            related.append(slugs[node])
        else:
            issues.append(
                RecordIssue("semantic.related", str(node), "not a dataset of this source")
            )
    raw["semantic"]["related"] = sorted(set(related))
    lift_licence(raw, reader.vocabularies)
    if not raw["technical"].get("version"):  # DCAT-AP 2 and ckanext-dcat write these
        version = reader.literal(subject, OWL.versionInfo) or reader.literal(subject, ADMS.version)
        if version:
            raw["technical"]["version"] = version
    document, dropped = clean_document(raw, reader.vocabularies, identifier_schemes)
    identifier = (
        str(subject)
        if isinstance(subject, URIRef)
        else reader.literal(subject, DCT.identifier) or f"{source_url}#{slug}"
    )
    landing = reader.iri(subject, DCAT.landingPage)
    if landing is None and isinstance(page := reader.one(subject, DCAT.landingPage), BNode):
        landing = next(filter(None, (reader.iri(page, p) for p in (DCT.source,))), None)
    return HarvestRecord(
        identifier=identifier,
        document=document,
        issues=issues + dropped,
        source_issued=iso_timestamp(reader.text(subject, DCT.issued)),
        source_modified=iso_timestamp(reader.text(subject, DCT.modified)),
        landing_page=landing,
        publisher=agent,
        name=slug,
        classification_stated=reader.one(subject, CAT.classification) is not None,
    )


def _bare_record(
    reader: Reader, subject: Node, slug: str, source_url: str, error: Exception
) -> HarvestRecord:
    """The dataset with only its slug and title, when mapping it failed unexpectedly."""
    titles = {
        language: text[:20000]
        for language, text in reader.texts(subject, DCT.title).items()
        if language.isalpha()
    }
    identifier = str(subject) if isinstance(subject, URIRef) else f"{source_url}#{slug}"
    return HarvestRecord(
        identifier=identifier,
        document={"slug": slug, "classification": "open", "status": "published", "title": titles},
        issues=[
            RecordIssue(
                "(document)",
                identifier,
                f"only the title could be read ({type(error).__name__}: {error})",
            )
        ],
        name=slug,
    )


def publisher(reader: Reader, subject: Node) -> HarvestAgent | None:
    """``dct:publisher`` (else ``dct:rightsHolder``, ``dct:creator``) as the source has it:
    an IRI or a blank node with its name, e-mail and home page, or a name as text."""
    node = None
    for predicate in (DCT.publisher, DCT.rightsHolder, DCT.creator):
        if (node := reader.one(subject, predicate)) is not None:
            break
    if node is None:
        return None
    if isinstance(node, Literal):
        name = str(node).strip()
        return HarvestAgent(name=name, slug=slugify(name) or None) if name else None
    agent = reader.agent(node) or {}
    iri = str(node) if isinstance(node, URIRef) else None
    own = f"{reader.base_url}/organisation/"
    slug: str | None
    if iri and reader.base_url and iri.startswith(own):
        slug = iri[len(own) :]
    elif iri and ("/organisation/" in iri or "/organization/" in iri):
        # another catalogue's organisation page (ours, CKAN's): its slug is the tail
        slug = readable_tail(iri) or slugify(agent.get("name") or "")
    else:
        slug = slugify(agent.get("name") or "") or (readable_tail(iri) if iri else None)
    return HarvestAgent(
        name=agent.get("name"),
        iri=iri,
        email=agent.get("email"),
        url=agent.get("url"),
        identifier=reader.literal(node, DCT.identifier),
        slug=slug if slug and len(slug) >= 2 else None,
        kind=_known(reader, "publisher-types", reader.one(node, DCT.type)),
    )


def _known(reader: Reader, key: str, value: Node | None) -> str | None:
    code = reader.code(key, value) if value is not None and key in reader.vocabularies else None
    return code if code and code in reader.vocabularies[key] else None


def lift_licence(raw: dict[str, Any], vocabularies: Vocabularies) -> None:
    """A dataset with no licence of its own takes its distributions' one, when they agree
    (DCAT-AP puts the licence on the distribution; our rules read the dataset's)."""
    legal = raw.setdefault("legal", {})
    if legal.get("licence"):
        return
    licences = {
        item.get("licence")
        for item in raw.get("technical", {}).get("distributions", [])
        if isinstance(item, dict) and item.get("licence")
    }
    if len(licences) == 1 and licences <= set(vocabularies["licences"].concepts):
        legal["licence"] = licences.pop()
