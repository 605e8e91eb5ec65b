"""One dataset as DCAT-AP 3.0.1 (plus DPV and our ``cat:`` terms): a pure function, no I/O.

Every linked node is typed (``dct:LicenseDocument``, ``dct:Frequency``, ``skos:Concept`` with
its ``skos:prefLabel`` ...) so that the official range shapes pass on the dataset alone.
Whatever DCAT-AP has no term for (attributes, owner unit, steward, restriction) goes out in
our namespace so that :mod:`catalogue.dcat.reverse` can read everything back. The steward's
``internal_note`` is never read here. The plain fields (title, themes, frequency ...) are
written from their declarations in :mod:`catalogue.domain.fields` by
:mod:`catalogue.dcat.fields`; this module writes the nested ones.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from catalogue.dcat import spatial
from catalogue.dcat.dpv import personal_data
from catalogue.dcat.fields import write_fields
from catalogue.dcat.namespaces import (
    ADMS,
    ADMS_DEPRECATED,
    CAT,
    DCAT,
    DCATAP,
    DCT,
    DPV,
    ELI,
    FOAF,
    IANA_MEDIA_TYPES,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    VCARD,
    XSD,
    new_graph,
)
from catalogue.dcat.services import access_service, legal_resources, write_service
from catalogue.dcat.writer import (
    DatasetContext,
    PublisherInfo,
    Writer,
    dataset_iri,
    identifier_scheme_iri,
    organisation_iri,
    rights_node,
    timestamp,
    web_iri,
)
from catalogue.domain.dataset import DatasetDocument, Distribution, Status
from catalogue.vocabularies import Vocabularies


def dataset_graph(
    document: DatasetDocument,
    context: DatasetContext,
    vocabularies: Vocabularies,
    graph: Graph | None = None,
) -> Graph:
    """The DCAT-AP description of ``document`` (added to ``graph`` when one is given)."""
    graph = graph if graph is not None else new_graph()
    writer = Writer(graph, vocabularies, context)
    base = context.base_url
    subject = dataset_iri(base, document.slug)
    graph.add((subject, RDF.type, DCAT.Dataset))
    if document.legal.rights:  # one node, shared by the distributions with no rights of their own
        writer.dataset_rights = rights_node(subject)
    write_fields(writer, subject, document)  # the registry's plain fields
    identifier = str(context.dataset_id) if context.dataset_id else str(subject)
    graph.add((subject, DCT.identifier, Literal(identifier)))
    graph.add((subject, CAT.classification, Literal(document.classification.value)))
    if document.status == Status.DEPRECATED:
        graph.add((subject, ADMS.status, URIRef(ADMS_DEPRECATED)))
    writer.add(subject, DCT.issued, timestamp(context.issued) if context.issued else None)
    writer.add(subject, DCT.modified, timestamp(context.modified) if context.modified else None)
    _technical(writer, subject, document)
    _semantic(writer, subject, document)
    _organisational(writer, subject, document)
    _legal(writer, subject, document)
    if context.source is not None:
        _source(writer, subject, context)
    return graph


def _source(writer: Writer, subject: URIRef, context: DatasetContext) -> None:
    """A harvested dataset: its original identifier (``adms:identifier``, issued by the source
    catalogue) and the dataset it came from (``dct:source``, when that is an IRI)."""
    source, graph = context.source, writer.graph
    assert source is not None
    node = URIRef(f"{subject}#source-identifier")
    graph.add((subject, ADMS.identifier, node))
    graph.add((node, RDF.type, ADMS.Identifier))
    graph.add((node, SKOS.notation, Literal(source.identifier)))
    if source.catalogue and source.catalogue.startswith(("http://", "https://")):
        graph.add((node, DCT.creator, web_iri(source.catalogue)))
    if source.identifier.startswith(("http://", "https://")):
        graph.add((subject, DCT.source, web_iri(source.identifier)))


def _technical(writer: Writer, subject: URIRef, document: DatasetDocument) -> None:
    graph, technical = writer.graph, document.technical
    for position, distribution in enumerate(technical.distributions):
        node = web_iri(f"{subject}/distribution/{distribution.id or position}")
        graph.add((subject, DCAT.distribution, node))
        _distribution(writer, node, distribution, position)
        access_service(writer, node, subject, distribution.access_service)
        legal_resources(writer, node, distribution.legislation)
    for position, service in enumerate(technical.data_services):
        write_service(writer, subject, service, position, document)
    for position, attribute in enumerate(technical.attributes):
        node = URIRef(f"{subject}#attribute-{position + 1}")
        graph.add((subject, CAT.attribute, node))
        graph.add((node, RDF.type, CAT.Attribute))
        graph.add((node, CAT.position, Literal(position)))
        graph.add((node, CAT.name, Literal(attribute.name)))
        graph.add((node, CAT.dataType, Literal(attribute.data_type)))
        writer.texts(node, DCT.description, attribute.description)
        category = writer.plain_concept("personal-data", attribute.personal_data_category)
        writer.add(node, DPV.hasPersonalData, category)
        if attribute.is_identifier:
            graph.add((node, CAT.isIdentifier, Literal(True)))
        if attribute.identifier_scheme:
            scheme = identifier_scheme_iri(writer.context.base_url, attribute.identifier_scheme)
            _identifier_scheme(graph, scheme, attribute.identifier_scheme)
            graph.add((node, CAT.identifierScheme, scheme))
    for code in technical.spatial:  # the countries' geometry, as the vocabulary knows it
        concept = writer.vocabularies["countries"].get(code)
        if concept is not None:
            for triple in spatial.location_triples(URIRef(concept.iri), code, None):
                graph.add(triple)
    for triple in spatial.dataset_geometry(subject, technical.bounding_box):
        graph.add(triple)
    if technical.temporal and (technical.temporal.start or technical.temporal.end):
        period = URIRef(f"{subject}#temporal")
        graph.add((subject, DCT.temporal, period))
        graph.add((period, RDF.type, DCT.PeriodOfTime))
        for predicate, day in (
            (DCAT.startDate, technical.temporal.start),
            (DCAT.endDate, technical.temporal.end),
        ):
            writer.add(period, predicate, Literal(day, datatype=XSD.date) if day else None)


def _distribution(writer: Writer, node: URIRef, distribution: Distribution, position: int) -> None:
    graph = writer.graph
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, CAT.position, Literal(position)))
    if distribution.id:
        graph.add((node, DCT.identifier, Literal(distribution.id)))
    writer.texts(node, DCT.title, distribution.title)
    writer.texts(node, DCT.description, distribution.description)
    access = distribution.access_url or distribution.download_url
    writer.add(node, DCAT.accessURL, web_iri(access) if access else None)
    if distribution.access_url is None and distribution.download_url:
        graph.add((node, CAT.accessURLFromDownload, Literal(True)))
    if distribution.download_url:
        graph.add((node, DCAT.downloadURL, web_iri(distribution.download_url)))
    fmt = writer.concept("file-types", distribution.format, DCT.MediaTypeOrExtent)
    writer.add(node, DCT.format, fmt)
    if distribution.media_type:
        media = web_iri(IANA_MEDIA_TYPES + distribution.media_type)
        graph.add((media, RDF.type, DCT.MediaType))
        graph.add((media, RDFS.label, Literal(distribution.media_type)))  # ckanext-dcat's
        graph.add((node, DCAT.mediaType, media))
    if distribution.byte_size is not None:
        size = Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger)
        graph.add((node, DCAT.byteSize, size))
    if distribution.checksum:
        checksum = URIRef(f"{node}#checksum")
        algorithm = SPDX[f"checksumAlgorithm_{distribution.checksum.algorithm}"]
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, algorithm))
        graph.add((algorithm, RDF.type, SPDX.ChecksumAlgorithm))
        value = Literal(distribution.checksum.value, datatype=XSD.hexBinary)
        graph.add((checksum, SPDX.checksumValue, value))
    writer.add(node, DCT.license, writer.licence(distribution.licence))
    writer.add(node, ADMS.status, writer.concept("distribution-status", distribution.status))
    availability = writer.concept("planned-availability", distribution.availability)
    writer.add(node, DCATAP.availability, availability)
    if distribution.rights:
        graph.add((node, DCT.rights, writer.rights(URIRef(f"{node}#rights"), distribution.rights)))
    elif writer.dataset_rights is not None:  # the dataset's statement, where MQA reads it
        graph.add((node, DCT.rights, writer.dataset_rights))


def _identifier_scheme(graph: Graph, node: URIRef, code: str) -> None:
    graph.add((node, RDF.type, CAT.IdentifierScheme))
    graph.add((node, SKOS.notation, Literal(code)))


def _semantic(writer: Writer, subject: URIRef, document: DatasetDocument) -> None:
    graph, semantic = writer.graph, document.semantic
    for slug in semantic.related:
        if writer.context.related_visible(slug):
            graph.add((subject, DCT.relation, dataset_iri(writer.context.base_url, slug)))


def _organisational(writer: Writer, subject: URIRef, document: DatasetDocument) -> None:
    graph, organisational, context = writer.graph, document.organisational, writer.context
    if organisational.publisher:
        publisher = context.publisher
        agent = organisation_iri(context.base_url, organisational.publisher)
        graph.add((subject, DCT.publisher, agent))
        graph.add((agent, RDF.type, FOAF.Agent))
        graph.add((agent, RDF.type, FOAF.Organization))
        name = publisher.name if publisher else organisational.publisher
        graph.add((agent, FOAF.name, Literal(name)))
        if publisher:
            writer.add(agent, DCT.type, writer.concept("publisher-types", publisher.type))
            writer.add(
                agent, FOAF.homepage, web_iri(publisher.homepage) if publisher.homepage else None
            )
            writer.add(
                agent, FOAF.mbox, URIRef(f"mailto:{publisher.email}") if publisher.email else None
            )
    if organisational.contact_point:
        node = writer.contact(URIRef(f"{subject}#contact-point"), organisational.contact_point)
        graph.add((subject, DCAT.contactPoint, node))
    if organisational.steward:
        node = writer.contact(
            URIRef(f"{subject}#steward"), organisational.steward, VCARD.Individual
        )
        graph.add((subject, CAT.steward, node))
    for code in organisational.identifier_schemes:
        scheme = identifier_scheme_iri(context.base_url, code)
        _identifier_scheme(graph, scheme, code)
        graph.add((subject, CAT.identifierScheme, scheme))


def _legal(writer: Writer, subject: URIRef, document: DatasetDocument) -> None:
    graph, legal = writer.graph, document.legal
    for legislation in legal.legislation:
        node = web_iri(legislation.iri)
        graph.add((subject, DCATAP.applicableLegislation, node))
        graph.add((node, RDF.type, ELI.LegalResource))
        writer.texts(node, DCT.title, legislation.title)
    if legal.rights:
        graph.add((subject, DCT.rights, writer.rights(rights_node(subject), legal.rights)))
    if legal.restriction:
        writer.texts(subject, CAT.restrictionReason, legal.restriction.reason)
        writer.texts(subject, CAT.howToRequest, legal.restriction.how_to_request)
        if not (legal.restriction.reason or legal.restriction.how_to_request):
            graph.add((subject, CAT.restriction, Literal(True)))
    if legal.personal_data:
        personal_data(writer, subject, legal.personal_data)


__all__ = [
    "DatasetContext",
    "PublisherInfo",
    "dataset_graph",
    "dataset_iri",
    "organisation_iri",
    "timestamp",
    "web_iri",
]
