"""The legal level for personal data in DPV: bases, purposes, subjects, controller, retention,
and transfers outside the EU/EEA.

Part of the DCAT-AP mapping (:mod:`catalogue.dcat.mapping`); the GDPR facts about a dataset,
never the personal data itself.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from catalogue.dcat.namespaces import CAT, DCT, DPV, FOAF, RDF, XSD
from catalogue.dcat.writer import Writer, organisation_iri, web_iri
from catalogue.domain.dataset import Contact, PersonalData, Transfer


def personal_data(writer: Writer, subject: URIRef, personal: PersonalData) -> None:
    """The GDPR facts in DPV: bases, purposes, subjects, categories, controller, retention."""
    graph = writer.graph
    graph.add((subject, CAT.personalData, Literal(True)))
    if personal.controller:
        node = URIRef(f"{subject}#controller")
        graph.add((subject, DPV.hasDataController, node))
        _dpv_contact(writer, node, personal.controller, DPV.DataController)
        if personal.controller.organisation:
            graph.add(
                (
                    node,
                    CAT.organisation,
                    organisation_iri(writer.context.base_url, personal.controller.organisation),
                )
            )
    if personal.dpo_contact:
        node = URIRef(f"{subject}#dpo")
        graph.add((subject, DPV.hasDataProtectionOfficer, node))
        _dpv_contact(writer, node, personal.dpo_contact, DPV.DataProtectionOfficer)
    for code in personal.legal_bases:
        writer.add(subject, DPV.hasLegalBasis, writer.plain_concept("legal-bases", code))
    for code in personal.special_category_conditions:
        concept = writer.plain_concept("special-category-conditions", code)
        writer.add(subject, DPV.hasLegalBasis, concept)
    for position, purpose in enumerate(personal.purposes):
        node = URIRef(f"{subject}#purpose-{position + 1}")
        graph.add((subject, DPV.hasPurpose, node))
        graph.add((node, RDF.type, DPV.Purpose))
        writer.add(node, RDF.type, writer.plain_concept("purposes", purpose.code))
        graph.add((node, CAT.position, Literal(position)))
        writer.texts(node, DCT.description, purpose.text)
    for code in personal.data_subjects:
        writer.add(subject, DPV.hasDataSubject, writer.plain_concept("data-subjects", code))
    for code in personal.personal_data_categories:
        writer.add(subject, DPV.hasPersonalData, writer.plain_concept("personal-data", code))
    if personal.retention:
        node = URIRef(f"{subject}#retention")
        graph.add((subject, DPV.hasStorageCondition, node))
        graph.add((node, RDF.type, DPV.StorageDuration))
        graph.add((node, RDF.value, Literal(personal.retention.period, datatype=XSD.duration)))
        writer.texts(node, DCT.description, personal.retention.description)
    for code in personal.measures:
        concept = writer.plain_concept("measures", code)
        writer.add(subject, DPV.hasTechnicalOrganisationalMeasure, concept)
    for position, transfer in enumerate(personal.transfers):
        _transfer(writer, subject, position, transfer)


def _transfer(writer: Writer, subject: URIRef, position: int, transfer: Transfer) -> None:
    """A dpv:Process whose processing is dpv:Transfer, to a third country or an international
    organisation, on a GDPR Chapter V basis (``eu-gdpr:A45-3`` ...)."""
    graph = writer.graph
    node = URIRef(f"{subject}#transfer-{position + 1}")
    graph.add((subject, DPV.hasProcess, node))
    graph.add((node, RDF.type, DPV.Process))
    graph.add((node, DPV.hasProcessing, DPV.Transfer))
    graph.add((node, CAT.position, Literal(position)))
    writer.add(node, DPV.hasThirdCountry, writer.plain_concept("countries", transfer.country))
    for suffix, name, kind in (
        ("organisation", transfer.organisation, DPV.InternationalOrganisation),
        ("recipient", transfer.recipient, DPV.Recipient),
    ):
        if name:
            agent = URIRef(f"{node}-{suffix}")
            graph.add((node, DPV.hasRecipient, agent))
            graph.add((agent, RDF.type, kind))
            graph.add((agent, FOAF.name, Literal(name)))
    writer.add(node, DPV.hasLegalBasis, writer.plain_concept("transfer-bases", transfer.basis))
    writer.texts(node, DCT.description, transfer.safeguards)


def _dpv_contact(writer: Writer, node: URIRef, contact: Contact, kind: URIRef) -> None:
    graph = writer.graph
    graph.add((node, RDF.type, kind))
    writer.add(node, FOAF.name, Literal(contact.name) if contact.name else None)
    writer.add(node, FOAF.mbox, URIRef(f"mailto:{contact.email}") if contact.email else None)
    writer.add(node, FOAF.homepage, web_iri(contact.url) if contact.url else None)
