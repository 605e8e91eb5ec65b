"""A DCAT-AP dataset description back into a draft :class:`DatasetDocument`.

The inverse of :mod:`catalogue.dcat.mapping`: exporting a dataset and importing the result
gives the same document (apart from its status, which an import always sets to draft).
Foreign descriptions work too: concept IRIs become our codes when a vocabulary knows them
and stay IRIs otherwise, so that validation names each one the steward must fix. The
registry's plain fields are read by :mod:`catalogue.dcat.fields`; this module reads the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.fields import read_fields
from catalogue.dcat.namespaces import (
    ADMS,
    CAT,
    DCAT,
    DCATAP,
    DCT,
    DPV,
    FOAF,
    IANA_MEDIA_TYPES,
    RDF,
    RDFS,
    SPDX,
    VCARD,
)
from catalogue.dcat.spatial import read_bounding_box
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.paths import put
from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.vocabularies import Vocabularies

SLUG_CLEANER = re.compile(r"[^a-z0-9]+")


def dataset_subjects(graph: Graph) -> list[URIRef]:
    """Every dataset described in ``graph``, in a stable order."""
    return sorted(s for s in graph.subjects(RDF.type, DCAT.Dataset) if isinstance(s, URIRef))


def slug_from_iri(iri: str) -> str:
    """The last path segment, made into a slug (``.../dataset/Air_Quality`` -> ``air-quality``)."""
    tail = iri.rstrip("/#").rsplit("/", 1)[-1].split("#")[-1]
    return SLUG_CLEANER.sub("-", tail.lower()).strip("-")[:100] or "imported-dataset"


class _Reader:
    def __init__(self, graph: Graph, vocabularies: Vocabularies, base_url: str,
                 default_language: str) -> None:
        self.graph = graph
        self.vocabularies = vocabularies
        self.base_url = base_url
        self.default_language = default_language

    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        values = sorted(self.graph.objects(subject, predicate))
        return values[0] if values else None

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return str(value) if value is not None else None

    def iri(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return str(value) if isinstance(value, URIRef) else None

    def texts(self, subject: Node, predicate: URIRef) -> dict[str, str]:
        values: dict[str, str] = {}
        for value in sorted(self.graph.objects(subject, predicate)):
            if isinstance(value, Literal):
                values.setdefault(value.language or self.default_language, str(value))
        return values

    def flag(self, subject: Node, predicate: URIRef) -> bool:
        value = self.one(subject, predicate)
        return isinstance(value, Literal) and bool(value.toPython())

    def code(self, key: str, value: Node | None) -> str | None:
        """Our code for a concept IRI; an unknown IRI is kept so validation can name it."""
        if value is None:
            return None
        concept = self.vocabularies[key].get(str(value))
        return concept.code if concept else str(value)

    def codes(self, key: str, subject: Node, predicate: URIRef,
              accept: Callable[[Node], bool] = lambda node: True) -> list[str]:
        return [
            code for value in sorted(self.graph.objects(subject, predicate)) if accept(value)
            if (code := self.code(key, value))
        ]

    def local(self, iri: str | None, kind: str) -> str | None:
        """The slug of one of our resources (``{base}/{kind}/{slug}``), else the IRI's tail."""
        if not iri:
            return None
        prefix = f"{self.base_url}/{kind}/"
        return iri[len(prefix):] if iri.startswith(prefix) else slug_from_iri(iri)

    def ordered(self, subject: Node, predicate: URIRef) -> list[Node]:
        return _by_position(self, self.graph.objects(subject, predicate))

    def contact(self, node: Node | None) -> dict[str, Any] | None:
        if node is None:
            return None
        email = self.iri(node, VCARD.hasEmail) or self.text(node, VCARD.hasEmail)
        return _without_none({
            "name": self.text(node, VCARD.fn) or self.text(node, VCARD["organization-name"]),
            "email": email.removeprefix("mailto:") if email else None,
            "url": self.iri(node, VCARD.hasURL),
        })

    def agent(self, node: Node | None) -> dict[str, Any] | None:
        if node is None:
            return None
        email = self.iri(node, FOAF.mbox)
        return _without_none({
            "name": self.text(node, FOAF.name),
            "email": email.removeprefix("mailto:") if email else None,
            "url": self.iri(node, FOAF.homepage),
        })


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


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
    graph: Graph, subject: URIRef, vocabularies: Vocabularies, base_url: str,
    default_language: str = "en",
) -> dict[str, Any]:
    """The document as plain JSON-like data (validated by the caller)."""
    if (subject, RDF.type, DCAT.Dataset) not in graph:
        raise InvalidDocument([Problem("(document)", f"{subject} is not a dcat:Dataset")])
    reader = _Reader(graph, vocabularies, base_url, default_language)
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
        "legal": _legal(reader, subject),
    }
    for path, value in read_fields(reader, subject).items():  # the registry's plain fields
        put(document, path, value)
    return document


def _guess_classification(reader: _Reader, subject: URIRef) -> str:
    """Foreign data: personal when DPV says so, open when access is public, else closed."""
    if any(reader.graph.objects(subject, DPV.hasPersonalData)):
        return "personal"
    access = reader.code("access-rights", reader.one(subject, DCT.accessRights))
    return "open" if access in (None, "PUBLIC") else "closed"


def _technical(reader: _Reader, subject: URIRef) -> dict[str, Any]:
    graph = reader.graph
    distributions = [_distribution(reader, node) for node in
                     reader.ordered(subject, DCAT.distribution)]
    services = [
        _service(reader, node)
        for node in _by_position(reader, graph.subjects(DCAT.servesDataset, subject))
    ]
    attributes = []
    for node in reader.ordered(subject, CAT.attribute):
        scheme = reader.iri(node, CAT.identifierScheme)
        attributes.append(_without_none({
            "name": reader.text(node, CAT.name) or "",
            "data_type": reader.text(node, CAT.dataType) or "string",
            "description": reader.texts(node, DCT.description),
            "personal_data_category": reader.code(
                "personal-data", reader.one(node, DPV.hasPersonalData)),
            "is_identifier": reader.flag(node, CAT.isIdentifier),
            "identifier_scheme": _scheme_code(reader, scheme),
        }))
    period = reader.one(subject, DCT.temporal)
    temporal = None
    if period is not None:
        temporal = _without_none({
            "start": reader.text(period, DCAT.startDate),
            "end": reader.text(period, DCAT.endDate),
        })
    return _without_none({
        "distributions": distributions,
        "data_services": services,
        "attributes": attributes,
        "temporal": temporal or None,
        "bounding_box": read_bounding_box(graph, subject),
    })


def _by_position(reader: _Reader, nodes: Any) -> list[Node]:
    def position(node: Node) -> tuple[int, str]:
        value = reader.one(node, CAT.position)
        return (int(value.toPython()) if isinstance(value, Literal) else 1 << 30, str(node))

    return sorted(nodes, key=position)


def _scheme_code(reader: _Reader, iri: str | None) -> str | None:
    if iri is None:
        return None
    notation = reader.text(URIRef(iri), URIRef("http://www.w3.org/2004/02/skos/core#notation"))
    return notation or reader.local(iri, "identifier-scheme")


def _distribution(reader: _Reader, node: Node) -> dict[str, Any]:
    checksum_node = reader.one(node, SPDX.checksum)
    checksum = None
    if checksum_node is not None:
        algorithm = reader.iri(checksum_node, SPDX.algorithm) or ""
        checksum = {
            "algorithm": algorithm.rsplit("checksumAlgorithm_", 1)[-1] or "sha256",
            "value": reader.text(checksum_node, SPDX.checksumValue) or "",
        }
    media = reader.iri(node, DCAT.mediaType)
    if media:
        for prefix in (IANA_MEDIA_TYPES, IANA_MEDIA_TYPES.replace("https:", "http:")):
            media = media.removeprefix(prefix)
    rights = reader.one(node, DCT.rights)
    if rights is not None and any(  # the dataset's own statement, repeated for harvesters
        (owner, RDF.type, DCAT.Dataset) in reader.graph
        for owner in reader.graph.subjects(DCT.rights, rights)
    ):
        rights = None
    access = reader.iri(node, DCAT.accessURL)
    if reader.flag(node, CAT.accessURLFromDownload):
        access = None
    return _without_none({
        "id": reader.text(node, DCT.identifier) or (
            str(node).rsplit("/", 1)[-1] if "/distribution/" in str(node) else None),
        "title": reader.texts(node, DCT.title),
        "description": reader.texts(node, DCT.description),
        "access_url": access,
        "download_url": reader.iri(node, DCAT.downloadURL),
        "format": reader.code("file-types", reader.one(node, DCT.format)),
        "media_type": media,
        "byte_size": int(size.toPython()) if isinstance(
            size := reader.one(node, DCAT.byteSize), Literal) else None,
        "checksum": checksum,
        "licence": reader.code("licences", reader.one(node, DCT.license)),
        "status": reader.code("distribution-status", reader.one(node, ADMS.status)),
        "availability": reader.code("planned-availability",
                                    reader.one(node, DCATAP.availability)),
        "rights": reader.texts(rights, RDFS.label) if rights is not None else {},
    })


def _service(reader: _Reader, node: Node) -> dict[str, Any]:
    return _without_none({
        "id": reader.text(node, DCT.identifier),
        "title": reader.texts(node, DCT.title),
        "description": reader.texts(node, DCT.description),
        "endpoint_url": reader.iri(node, DCAT.endpointURL),
        "endpoint_description": reader.iri(node, DCAT.endpointDescription),
        "conforms_to": sorted(str(v) for v in reader.graph.objects(node, DCT.conformsTo)),
    })


def _semantic(reader: _Reader, subject: URIRef) -> dict[str, Any]:
    graph = reader.graph
    return {
        "related": sorted(
            slug for v in graph.objects(subject, DCT.relation)
            if (slug := reader.local(str(v), "dataset"))
        ),
    }


def _organisational(reader: _Reader, subject: URIRef) -> dict[str, Any]:
    return _without_none({
        "publisher": reader.local(reader.iri(subject, DCT.publisher), "organisation"),
        "contact_point": reader.contact(reader.one(subject, DCAT.contactPoint)),
        "steward": reader.contact(reader.one(subject, CAT.steward)),
        "identifier_schemes": sorted(
            code for v in reader.graph.objects(subject, CAT.identifierScheme)
            if (code := _scheme_code(reader, str(v)))
        ),
    })


def _legal(reader: _Reader, subject: URIRef) -> dict[str, Any]:
    graph = reader.graph
    rights = reader.one(subject, DCT.rights)
    reason = reader.texts(subject, CAT.restrictionReason)
    how = reader.texts(subject, CAT.howToRequest)
    restriction = None
    if reason or how or reader.flag(subject, CAT.restriction):
        restriction = {"reason": reason, "how_to_request": how}
    legislation = [
        {"iri": str(node), "title": reader.texts(node, DCT.title)}
        for node in sorted(graph.objects(subject, DCATAP.applicableLegislation))
    ]
    return _without_none({
        "legislation": legislation,
        "rights": reader.texts(rights, RDFS.label) if rights is not None else {},
        "restriction": restriction,
        "personal_data": _personal_data(reader, subject),
    })


def _personal_data(reader: _Reader, subject: URIRef) -> dict[str, Any] | None:
    graph = reader.graph
    present = reader.flag(subject, CAT.personalData) or any(
        (subject, predicate, None) in graph
        for predicate in (DPV.hasLegalBasis, DPV.hasPurpose, DPV.hasDataController)
    )
    if not present:
        return None
    vocabularies = reader.vocabularies
    bases = [str(v) for v in sorted(graph.objects(subject, DPV.hasLegalBasis))]
    controller = reader.agent(reader.one(subject, DPV.hasDataController))
    if controller is not None:
        node = reader.one(subject, DPV.hasDataController)
        organisation = reader.iri(node, CAT.organisation) if node is not None else None
        if organisation:
            controller["organisation"] = reader.local(organisation, "organisation")
    purposes = []
    for node in reader.ordered(subject, DPV.hasPurpose):
        kinds = [v for v in graph.objects(node, RDF.type) if v != DPV.Purpose]
        concept = next((c for v in sorted(kinds)
                        if (c := vocabularies["purposes"].get(str(v)))), None)
        code = concept.code if concept else (str(sorted(kinds)[0]) if kinds else str(node))
        purposes.append({"code": code, "text": reader.texts(node, DCT.description)})
    retention = None
    if (node := reader.one(subject, DPV.hasStorageCondition)) is not None:
        retention = {"period": reader.text(node, RDF.value) or "",
                     "description": reader.texts(node, DCT.description)}
    special = vocabularies["special-category-conditions"]
    return _without_none({
        "controller": controller,
        "dpo_contact": reader.agent(reader.one(subject, DPV.hasDataProtectionOfficer)),
        "legal_bases": [reader.code("legal-bases", URIRef(b)) or b for b in bases
                        if b not in special],
        "special_category_conditions": [special.get(b).code for b in bases  # type: ignore[union-attr]
                                        if b in special],
        "purposes": purposes,
        "data_subjects": reader.codes("data-subjects", subject, DPV.hasDataSubject),
        "personal_data_categories": reader.codes("personal-data", subject, DPV.hasPersonalData),
        "retention": retention,
        "measures": reader.codes("measures", subject, DPV.hasTechnicalOrganisationalMeasure),
        "transfers": _transfers(reader, subject),
    })


def _transfers(reader: _Reader, subject: URIRef) -> list[dict[str, Any]]:
    graph = reader.graph
    transfers = []
    for node in reader.ordered(subject, DPV.hasProcess):
        if (node, DPV.hasProcessing, DPV.Transfer) not in graph:
            continue
        names = {
            kind: reader.text(agent, FOAF.name)
            for agent in graph.objects(node, DPV.hasRecipient)
            for kind in graph.objects(agent, RDF.type)
        }
        transfers.append(_without_none({
            "country": reader.code("countries", reader.one(node, DPV.hasThirdCountry)),
            "organisation": names.get(DPV.InternationalOrganisation),
            "recipient": names.get(DPV.Recipient),
            "basis": reader.code("transfer-bases", reader.one(node, DPV.hasLegalBasis)),
            "safeguards": reader.texts(node, DCT.description),
        }))
    return transfers
