"""Data services in DCAT-AP, both ways: ``dcat:DataService`` nodes and the links to them.

A service is described in the dataset that owns it; its IRI is under that dataset's
(``{dataset}/service/{id}``). It serves that dataset and any others it lists
(``dcat:servesDataset``), and distributions point to it (``dcat:accessService``). Publisher,
contact point, themes and keywords are the owning dataset's (derived, so reading ignores
them); so are the access rights when the service states none. Everything the HVD 3.0.0 shapes
ask of a service is its own: documentation (``foaf:page``), licence or rights, HVD category,
applicable legislation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import CAT, DCAT, DCATAP, DCT, ELI, FOAF, RDF, RDFS
from catalogue.dcat.writer import Writer, dataset_iri, organisation_iri, web_iri
from catalogue.domain.dataset import DataService, DatasetDocument

if TYPE_CHECKING:
    from catalogue.dcat.reverse_reader import Reader as _Reader


def service_iri(dataset: URIRef | str, key: str | int) -> URIRef:
    """The IRI of a dataset's service (``key``: its id, or its position when it has none)."""
    return web_iri(f"{dataset}/service/{key}")


def legal_resources(writer: Writer, node: URIRef, iris: list[str]) -> None:
    """``dcatap:applicableLegislation`` of a distribution or a service."""
    for iri in iris:
        law = web_iri(iri)
        writer.graph.add((node, DCATAP.applicableLegislation, law))
        writer.graph.add((law, RDF.type, ELI.LegalResource))


def write_service(
    writer: Writer,
    dataset: URIRef,
    service: DataService,
    position: int,
    document: DatasetDocument,
) -> None:
    graph, context = writer.graph, writer.context
    node = service_iri(dataset, service.id or position)
    graph.add((node, RDF.type, DCAT.DataService))
    graph.add((node, CAT.position, Literal(position)))
    graph.add((node, DCAT.servesDataset, dataset))
    for slug in service.serves:
        if context.related_visible(slug):
            graph.add((node, DCAT.servesDataset, dataset_iri(context.base_url, slug)))
    if service.id:
        graph.add((node, DCT.identifier, Literal(service.id)))
    writer.texts(node, DCT.title, service.title)
    writer.texts(node, DCT.description, service.description)
    graph.add((node, DCAT.endpointURL, web_iri(service.endpoint_url)))
    if service.endpoint_description:
        graph.add((node, DCAT.endpointDescription, web_iri(service.endpoint_description)))
    for standard in service.conforms_to:
        graph.add((node, DCT.conformsTo, web_iri(standard)))
        graph.add((web_iri(standard), RDF.type, DCT.Standard))
    if service.documentation:
        page = web_iri(service.documentation)
        graph.add((node, FOAF.page, page))
        graph.add((page, RDF.type, FOAF.Document))
    writer.add(node, DCT.license, writer.licence(service.licence))
    if service.rights:
        graph.add((node, DCT.rights, writer.rights(URIRef(f"{node}#rights"), service.rights)))
    for code in service.hvd_categories:
        writer.add(node, DCATAP.hvdCategory, writer.concept("hvd-categories", code))
    legal_resources(writer, node, service.legislation)
    access = service.access_rights or document.legal.access_rights
    writer.add(node, DCT.accessRights, writer.concept("access-rights", access, DCT.RightsStatement))
    if context.publisher:
        graph.add((node, DCT.publisher, organisation_iri(context.base_url, context.publisher.slug)))
    if document.organisational.contact_point:
        graph.add((node, DCAT.contactPoint, URIRef(f"{dataset}#contact-point")))
    for code in document.semantic.themes:
        writer.add(node, DCAT.theme, writer.concept("themes", code))
    for keyword in document.semantic.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword)))


def access_service(writer: Writer, node: URIRef, dataset: URIRef, key: str | None) -> None:
    """A distribution's ``dcat:accessService`` (the id names a service of the same dataset)."""
    if key:
        writer.graph.add((node, DCAT.accessService, service_iri(dataset, key)))


# --- reading --------------------------------------------------------------------------------


def _owner(reader: _Reader, service: Node, datasets: list[Node]) -> Node | None:
    """The dataset a service is described in: the one its IRI sits under, else (a foreign
    description) the first whose distribution it serves, else the first dataset it serves."""
    for dataset in datasets:
        if str(service).startswith(f"{dataset}/service/"):
            return dataset
    graph = reader.graph
    linking = [
        dataset
        for dataset in datasets
        if any(
            (distribution, DCAT.accessService, service) in graph
            for distribution in graph.objects(dataset, DCAT.distribution)
        )
    ]
    served = sorted(graph.objects(service, DCAT.servesDataset), key=str)
    return next(iter(linking + served), None)


def service_nodes(reader: _Reader, subject: URIRef) -> list[Node]:
    """The services described with ``subject``: serving it or reached from its distributions,
    and owned by it."""
    graph = reader.graph
    found = set(graph.subjects(DCAT.servesDataset, subject))
    for distribution in graph.objects(subject, DCAT.distribution):
        found.update(graph.objects(distribution, DCAT.accessService))
    datasets = sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str)
    owned = [node for node in found if _owner(reader, node, datasets) == subject]
    from catalogue.dcat.reverse_legal import by_position

    return by_position(reader, owned)


def service_key(reader: _Reader, node: Node) -> str | None:
    """The id a distribution's ``dcat:accessService`` names."""
    return reader.text(node, DCT.identifier) or str(node).rstrip("/").rsplit("/", 1)[-1]


def read_service(
    reader: _Reader, node: Node, subject: URIRef, dataset_access: str | None
) -> dict[str, Any]:
    graph = reader.graph
    rights = reader.one(node, DCT.rights)
    access = reader.code("access-rights", reader.one(node, DCT.accessRights))
    served = sorted(
        slug
        for value in graph.objects(node, DCAT.servesDataset)
        if value != subject
        if (slug := reader.local(str(value), "dataset"))
    )
    return {
        key: value
        for key, value in {
            "id": reader.text(node, DCT.identifier)
            or (service_key(reader, node) if "/service/" in str(node) else None),
            "title": reader.texts(node, DCT.title),
            "description": reader.texts(node, DCT.description),
            "endpoint_url": reader.address(node, DCAT.endpointURL),
            "endpoint_description": reader.address(node, DCAT.endpointDescription),
            "conforms_to": sorted(str(v) for v in graph.objects(node, DCT.conformsTo)),
            "documentation": reader.iri(node, FOAF.page),
            "licence": reader.code("licences", reader.one(node, DCT.license)),
            "access_rights": None if access == dataset_access else access,
            "rights": reader.texts(rights, RDFS.label) if rights is not None else {},
            "hvd_categories": reader.codes("hvd-categories", node, DCATAP.hvdCategory),
            "legislation": sorted(
                str(v) for v in graph.objects(node, DCATAP.applicableLegislation)
            ),
            "serves": served,
        }.items()
        if value is not None
    }
