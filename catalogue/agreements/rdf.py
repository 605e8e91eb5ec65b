"""Approved agreements of a dataset in RDF: an ODRL agreement (the usage policy) described
with DPV (purpose, legal basis, personal data), published next to the dataset.

``/dataset/{slug}/agreements.{ttl,jsonld,rdf,nt}``. Each agreement is an ``odrl:Agreement``
(a kind of ``odrl:Policy``) whose permission lets the consumer (assignee) ``odrl:use`` the
named attributes of the dataset, constrained to the purpose and the agreed dates, granted by
the provider (assigner); the same node carries ``dpv:hasPurpose``, ``dpv:hasLegalBasis`` and
``dpv:hasPersonalData`` so data-protection tools can read it without ODRL.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import ODRL2, RDF, RDFS, XSD

from catalogue.agreements import records, service
from catalogue.dcat.mapping import dataset_iri, organisation_iri
from catalogue.dcat.namespaces import CAT, DCT, DPV, ELI, new_graph
from catalogue.dcat.schemas import RDF_CONTENT, RDF_RESPONSES
from catalogue.dcat.web import FORMATS, rdf_response
from catalogue.domain.agreement import AgreementStatus
from catalogue.domain.dataset import DatasetDocument
from catalogue.settings import get_settings
from catalogue.vocabularies import Vocabularies, default_vocabularies
from catalogue.web.openapi import errors, with_content
from catalogue.web.params import CurrentPrincipal, FromPath


def agreement_iri(base_url: str, record: records.AgreementRecord) -> URIRef:
    return URIRef(f"{base_url}/agreements/{record.id}")


def _attribute_iri(dataset: URIRef, document: DatasetDocument, name: str) -> URIRef:
    """The attribute node the DCAT export gives the dataset (``#attribute-<position>``)."""
    for position, attribute in enumerate(document.technical.attributes):
        if attribute.name == name:
            return URIRef(f"{dataset}#attribute-{position + 1}")
    return URIRef(f"{dataset}#attribute-{name}")


def _constraint(graph: Graph, left: URIRef, operator: URIRef, right: Any) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, ODRL2.Constraint))
    graph.add((node, ODRL2.leftOperand, left))
    graph.add((node, ODRL2.operator, operator))
    graph.add((node, ODRL2.rightOperand, right))
    return node


def add_agreement(
    graph: Graph,
    record: records.AgreementRecord,
    dataset: DatasetDocument,
    vocabularies: Vocabularies,
    base_url: str,
) -> URIRef:
    document = record.document
    subject = agreement_iri(base_url, record)
    target = dataset_iri(base_url, document.dataset)
    assigner = organisation_iri(base_url, record.provider)
    assignee = organisation_iri(base_url, document.consumer)
    purpose = vocabularies["purposes"].get(document.purpose.code)
    purpose_iri = URIRef(purpose.iri) if purpose else None

    graph.add((subject, RDF.type, ODRL2.Agreement))
    graph.add((subject, RDF.type, ODRL2.Policy))
    graph.add((subject, ODRL2.uid, subject))
    graph.add((subject, DCT.identifier, Literal(record.reference)))
    graph.add((subject, ODRL2.assigner, assigner))
    graph.add((subject, ODRL2.assignee, assignee))
    graph.add((subject, ODRL2.target, target))
    graph.add((subject, CAT.status, Literal(record.status.value)))
    for language, text in document.service.title.items():
        graph.add((subject, DCT.title, Literal(text, lang=language)))
    for language, text in document.purpose.text.items():
        graph.add((subject, DCT.description, Literal(text, lang=language)))
    graph.add((subject, DCT.valid, Literal(f"{document.valid_from}/{document.valid_until}")))

    permission = BNode()
    graph.add((subject, ODRL2.permission, permission))
    graph.add((permission, RDF.type, ODRL2.Permission))
    graph.add((permission, ODRL2.action, ODRL2.use))
    graph.add((permission, ODRL2.assigner, assigner))
    graph.add((permission, ODRL2.assignee, assignee))
    for name in document.attributes:
        attribute = _attribute_iri(target, dataset, name)
        graph.add((permission, ODRL2.target, attribute))
        graph.add((attribute, ODRL2.partOf, target))
        graph.add((attribute, RDFS.label, Literal(name)))
    if purpose_iri is not None:
        graph.add(
            (
                permission,
                ODRL2.constraint,
                _constraint(graph, ODRL2.purpose, ODRL2.isA, purpose_iri),
            )
        )
    for operator, day in ((ODRL2.gteq, document.valid_from), (ODRL2.lteq, document.valid_until)):
        value = Literal(day.isoformat(), datatype=XSD.date)
        graph.add(
            (permission, ODRL2.constraint, _constraint(graph, ODRL2.dateTime, operator, value))
        )

    if purpose_iri is not None:
        graph.add((subject, DPV.hasPurpose, purpose_iri))
    basis = vocabularies["legal-bases"].get(document.legal_basis or "")
    if basis is not None:
        graph.add((subject, DPV.hasLegalBasis, URIRef(basis.iri)))
    condition = vocabularies["special-category-conditions"].get(
        document.special_category_condition or ""
    )
    if condition is not None:
        graph.add((subject, DPV.hasLegalBasis, URIRef(condition.iri)))
    if document.law is not None:
        law = URIRef(document.law.iri)
        graph.add((subject, DPV.hasLegalBasis, law))
        graph.add((law, RDF.type, ELI.LegalResource))
        for language, text in document.law.title.items():
            graph.add((law, ELI.title, Literal(text, lang=language)))
    categories = vocabularies["personal-data"]
    by_name = {attribute.name: attribute for attribute in dataset.technical.attributes}
    for name in document.attributes:
        code = by_name[name].personal_data_category if name in by_name else None
        concept = categories.get(code) if code else None
        if concept is not None:
            graph.add((subject, DPV.hasPersonalData, URIRef(concept.iri)))
    graph.add((subject, DPV.hasDataController, assigner))
    graph.add((subject, DPV.hasRecipient, assignee))
    for code in document.measures:
        measure = vocabularies["measures"].get(code)
        if measure is not None:
            graph.add((subject, DPV.hasTechnicalOrganisationalMeasure, URIRef(measure.iri)))
    return subject


async def dataset_agreements_graph(slug: str, principal: Any) -> tuple[Graph, Any]:
    """The approved agreements of a visible dataset, and when the newest one last changed."""
    dataset = await service.require_visible_dataset(slug, principal)
    await service.expire_due()
    approved, _ = await records.list_records(
        None,
        records.AgreementFilter(dataset=slug, status=AgreementStatus.APPROVED.value),
        1,
        10_000,
    )
    graph = new_graph()
    base_url = get_settings().base_url
    vocabularies = default_vocabularies()
    for record in approved:
        add_agreement(graph, record, dataset.document, vocabularies, base_url)
    newest = max((record.modified for record in approved), default=dataset.modified)
    return graph, newest


AGREEMENT_RDF_PATHS = [f"/dataset/{{slug:str}}/agreements.{ext}" for ext in FORMATS]


@get(
    AGREEMENT_RDF_PATHS,
    summary="Approved data-use agreements of a dataset (ODRL + DPV)",
    description="The media type follows the extension: .ttl Turtle, .rdf RDF/XML, "
    ".jsonld JSON-LD, .nt N-Triples.",
    tags=["agreements"],
    responses={**RDF_RESPONSES, **errors(401, 404)},
    operation_class=with_content({"200": RDF_CONTENT}, replace=True),
)
async def dataset_agreements_rdf(
    request: Request[Any, Any, Any], slug: FromPath[str], principal: CurrentPrincipal
) -> Response[Any]:
    fmt = request.url.path.rsplit(".", 1)[-1]
    graph, newest = await dataset_agreements_graph(slug, principal)
    return rdf_response(request, graph, fmt, newest)
