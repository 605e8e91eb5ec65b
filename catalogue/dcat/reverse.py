"""A DCAT-AP dataset description back into a draft :class:`DatasetDocument`.

The inverse of :mod:`catalogue.dcat.mapping`: exporting a dataset and importing the result
gives the same document (apart from its status, which an import always sets to draft).
Foreign descriptions work too (:mod:`catalogue.dcat.reverse_reader` reads the forms other
catalogues write): concepts become our codes when a lookup knows them and stay as the source
gave them otherwise, so that validation (or the harvest's tolerant cleaning) names each one.
The registry's plain fields are read by :mod:`catalogue.dcat.fields`, the legal level by
:mod:`catalogue.dcat.reverse_legal`; this module reads the rest.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.fields import read_fields
from catalogue.dcat.namespaces import (
    ADMS,
    CAT,
    DCAT,
    DCATAP,
    DCT,
    DPV,
    RDF,
    RDFS,
    SPDX,
    TIME,
)
from catalogue.dcat.reverse_legal import legal, ordered
from catalogue.dcat.reverse_reader import Reader, signature, slug_from_iri, without_none
from catalogue.dcat.services import read_service, service_key, service_nodes
from catalogue.dcat.spatial import read_bounding_box
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.paths import put
from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.domain.values import iso_date
from catalogue.vocabularies import Vocabularies
from catalogue.vocabularies.matching import concept_code, media_type

_Reader = Reader  # the name catalogue.dcat.fields knows it by
SCHEMA = "http://schema.org/"
SCHEMA_START = (URIRef(SCHEMA + "startDate"), URIRef("https://schema.org/startDate"))
SCHEMA_END = (URIRef(SCHEMA + "endDate"), URIRef("https://schema.org/endDate"))
DCATAP_IT_DATASET = URIRef("http://dati.gov.it/onto/dcatapit#Dataset")
__all__ = ["dataset_subjects", "document_dict", "document_from_graph", "slug_from_iri"]


def dataset_subjects(graph: Graph) -> list[URIRef | BNode]:
    """Every dataset described in ``graph`` (IRIs and blank nodes), in a stable order: those
    typed ``dcat:Dataset`` (or DCAT-AP_IT's ``dcatapit:Dataset``) and those a catalogue lists."""
    found = set(graph.subjects(RDF.type, DCAT.Dataset))
    found.update(graph.subjects(RDF.type, DCATAP_IT_DATASET))
    found.update(graph.objects(None, DCAT.dataset))
    return sorted(
        (s for s in found if isinstance(s, URIRef | BNode)),
        key=lambda node: (
            isinstance(node, BNode),
            signature(graph, node) if isinstance(node, BNode) else str(node),
        ),
    )


def document_from_graph(
    graph: Graph,
    subject: URIRef,
    vocabularies: Vocabularies,
    base_url: str,
    default_language: str = "en",
) -> DatasetDocument:
    """The draft document ``subject`` describes (raises InvalidDocument naming bad fields)."""
    from pydantic import ValidationError

    from catalogue.domain.problems import problems_from_validation_error

    raw = document_dict(graph, subject, vocabularies, base_url, default_language)
    try:
        return DatasetDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None


def document_dict(
    graph: Graph,
    subject: Node,
    vocabularies: Vocabularies,
    base_url: str,
    default_language: str = "en",
    reader: Reader | None = None,
) -> dict[str, Any]:
    """The document as plain JSON-like data (validated by the caller)."""
    if (
        (subject, RDF.type, DCAT.Dataset) not in graph
        and (subject, RDF.type, DCATAP_IT_DATASET) not in graph
        and (None, DCAT.dataset, subject) not in graph
    ):
        raise InvalidDocument([Problem("(document)", f"{subject} is not a dcat:Dataset")])
    reader = reader or Reader(graph, vocabularies, base_url, default_language)
    classification = reader.text(subject, CAT.classification)
    if classification not in {"open", "closed", "personal"}:
        classification = _guess_classification(reader, subject)
    document: dict[str, Any] = {
        "slug": reader.local(str(subject), "dataset"),
        "classification": classification,
        "status": "draft",
        "technical": _technical(reader, subject),
        "semantic": _semantic(reader, subject),
        "organisational": _organisational(reader, subject),
        "legal": legal(reader, subject),
    }
    for path, value in read_fields(reader, subject).items():  # the registry's plain fields
        put(document, path, value)
    return document


def _guess_classification(reader: Reader, subject: Node) -> str:
    """Foreign data: personal when DPV says so, open when access is public, else closed."""
    if reader.all(subject, DPV.hasPersonalData):
        return "personal"
    access = reader.code("access-rights", reader.one(subject, DCT.accessRights))
    return "closed" if access in ("RESTRICTED", "NON_PUBLIC") else "open"


def _technical(reader: Reader, subject: Node) -> dict[str, Any]:
    distributions = [
        _distribution(reader, node)
        for node in ordered(reader, subject, DCAT.distribution)
        if not isinstance(node, Literal)
    ]
    access = reader.code("access-rights", reader.one(subject, DCT.accessRights))
    services = [
        read_service(reader, node, subject, access)  # type: ignore[arg-type]
        for node in service_nodes(reader, subject)  # type: ignore[arg-type]
    ]
    attributes = []
    for node in ordered(reader, subject, CAT.attribute):
        scheme = reader.iri(node, CAT.identifierScheme)
        attributes.append(
            without_none(
                {
                    "name": reader.text(node, CAT.name) or "",
                    "data_type": reader.text(node, CAT.dataType) or "string",
                    "description": reader.texts(node, DCT.description),
                    "personal_data_category": reader.code(
                        "personal-data", reader.one(node, DPV.hasPersonalData)
                    ),
                    "is_identifier": reader.flag(node, CAT.isIdentifier),
                    "identifier_scheme": _scheme_code(reader, scheme),
                }
            )
        )
    return without_none(
        {
            "distributions": distributions,
            "data_services": services,
            "attributes": attributes,
            "temporal": temporal(reader, subject),
            "bounding_box": read_bounding_box(reader.graph, subject),
        }
    )


def temporal(reader: Reader, subject: Node) -> dict[str, str] | None:
    """The period covered, in every DCAT-AP form (``dcat:startDate``/``endDate``,
    ``schema:startDate``/``endDate``, ``time:hasBeginning``/``hasEnd``, as dates, date-times,
    years or months; a ``"2010/2020"`` literal); several periods make their union."""
    starts: list[str] = []
    ends: list[str] = []
    for period in reader.all(subject, DCT.temporal):
        if isinstance(period, Literal):
            first, _, last = str(period).partition("/")
            starts.append(iso_date(first) or str(period))
            if last:
                ends.append(iso_date(last, end=True) or last)
            continue
        start = _date_of(reader, period, (DCAT.startDate, *SCHEMA_START), TIME.hasBeginning)
        end = _date_of(reader, period, (DCAT.endDate, *SCHEMA_END), TIME.hasEnd, end=True)
        if start:
            starts.append(start)
        if end:
            ends.append(end)
    if not starts and not ends:
        return None
    dated = [value for value in starts if iso_date(value)]
    dated_ends = [value for value in ends if iso_date(value)]
    return without_none(
        {
            "start": min(dated) if dated else (starts[0] if starts else None),
            "end": max(dated_ends) if dated_ends else (ends[0] if ends else None),
        }
    )


def _date_of(
    reader: Reader, period: Node, predicates: tuple[URIRef, ...], instant: URIRef, end: bool = False
) -> str | None:
    values = [reader.text(period, predicate) for predicate in predicates]
    node = reader.one(period, instant)
    if node is not None:
        values += [
            reader.text(node, TIME[name])
            for name in ("inXSDDate", "inXSDDateTime", "inXSDDateTimeStamp", "inXSDgYear")
        ]
    for value in values:
        if value:
            return iso_date(value, end=end) or value  # an unreadable one is reported as given
    return None


def _scheme_code(reader: Reader, iri: str | None) -> str | None:
    if iri is None:
        return None
    notation = reader.text(URIRef(iri), URIRef("http://www.w3.org/2004/02/skos/core#notation"))
    return notation or reader.local(iri, "identifier-scheme")


def _media(reader: Reader, node: Node) -> str | None:
    """``text/csv`` from an IANA IRI, a literal or a blank node with ``rdf:value``."""
    value = reader.one(node, DCAT.mediaType)
    if value is None:
        return None
    for candidate in reader.candidates(value):
        if media := media_type(candidate):
            return media
    return str(value) if not isinstance(value, BNode) else None


def _byte_size(reader: Reader, node: Node) -> int | str | None:
    value = reader.one(node, DCAT.byteSize)
    if value is None:
        return None
    text = str(value).strip()
    try:
        return int(float(text)) if float(text).is_integer() else text
    except ValueError:
        return text  # reported and dropped by the caller's validation


def _distribution(reader: Reader, node: Node) -> dict[str, Any]:
    checksum_node = reader.one(node, SPDX.checksum)
    checksum = None
    if checksum_node is not None:
        algorithm = (
            reader.iri(checksum_node, SPDX.algorithm)
            or reader.text(checksum_node, SPDX.algorithm)
            or ""
        )
        checksum = {
            "algorithm": algorithm.rsplit("checksumAlgorithm_", 1)[-1] or "sha256",
            "value": reader.text(checksum_node, SPDX.checksumValue) or "",
        }
    media = _media(reader, node)
    rights = reader.one(node, DCT.rights)
    if rights is not None and any(  # the dataset's own statement, repeated for harvesters
        (owner, RDF.type, DCAT.Dataset) in reader.graph
        for owner in reader.graph.subjects(DCT.rights, rights)
    ):
        rights = None
    access = reader.address(node, DCAT.accessURL)
    if reader.flag(node, CAT.accessURLFromDownload):
        access = None
    form = reader.one(node, DCT.format)
    file_format = reader.code("file-types", form) if form is not None else None
    if media is None and form is not None:  # dct:format [ a dct:IMT; rdf:value "text/csv" ]
        media = next(filter(None, map(media_type, reader.candidates(form))), None)
    if media and (file_format is None or file_format not in reader.vocabularies["file-types"]):
        file_format = concept_code(reader.vocabularies, "file-types", media) or file_format
    return without_none(
        {
            "id": reader.text(node, DCT.identifier)
            or (str(node).rsplit("/", 1)[-1] if "/distribution/" in str(node) else None),
            "title": reader.texts(node, DCT.title),
            "description": reader.texts(node, DCT.description),
            "access_url": access,
            "download_url": reader.address(node, DCAT.downloadURL),
            "format": file_format,
            "media_type": media,
            "byte_size": _byte_size(reader, node),
            "checksum": checksum,
            "licence": reader.code("licences", reader.one(node, DCT.license)),
            "status": reader.code("distribution-status", reader.one(node, ADMS.status)),
            "availability": reader.code(
                "planned-availability", reader.one(node, DCATAP.availability)
            ),
            "rights": reader.texts(rights, RDFS.label)
            if isinstance(rights, URIRef | BNode)
            else ({reader.default_language: str(rights)} if rights is not None else {}),
            "access_service": service_key(reader, service)
            if (service := reader.one(node, DCAT.accessService)) is not None
            else None,
            "legislation": sorted(str(v) for v in reader.all(node, DCATAP.applicableLegislation)),
        }
    )


def _semantic(reader: Reader, subject: Node) -> dict[str, Any]:
    return {
        "related": sorted(
            slug
            for v in reader.all(subject, DCT.relation)
            if (slug := reader.local(str(v), "dataset"))
        ),
    }


def _organisational(reader: Reader, subject: Node) -> dict[str, Any]:
    return without_none(
        {
            "publisher": reader.local(reader.iri(subject, DCT.publisher), "organisation"),
            "contact_point": reader.contact(reader.one(subject, DCAT.contactPoint)),
            "steward": reader.contact(reader.one(subject, CAT.steward)),
            "identifier_schemes": sorted(
                code
                for v in reader.all(subject, CAT.identifierScheme)
                if (code := _scheme_code(reader, str(v)))
            ),
        }
    )
