"""The legal level of a DCAT-AP dataset description, back into document data.

Part of the reverse mapping (:mod:`catalogue.dcat.reverse`): legislation, rights, the
restriction and the DPV personal-data block our feed writes.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import CAT, DCATAP, DCT, DPV, FOAF, RDF, RDFS
from catalogue.dcat.reverse_reader import Reader, signature, without_none


def by_position(reader: Reader, nodes: Any) -> list[Node]:
    """In ``cat:position`` order (our feed), else in a stable order (blank nodes by content)."""

    def position(node: Node) -> tuple[int, str]:
        value = reader.one(node, CAT.position)
        name = signature(reader.graph, node) if isinstance(node, BNode) else str(node)
        try:
            return (int(value.toPython()) if value is not None else 1 << 30, name)  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            return (1 << 30, name)

    return sorted(nodes, key=position)


def legal(reader: Reader, subject: Node) -> dict[str, Any]:
    graph = reader.graph
    rights = reader.one(subject, DCT.rights)
    reason = reader.texts(subject, CAT.restrictionReason)
    how = reader.texts(subject, CAT.howToRequest)
    restriction = None
    if reason or how or reader.flag(subject, CAT.restriction):
        restriction = {"reason": reason, "how_to_request": how}
    legislation = [
        {"iri": str(node), "title": reader.texts(node, DCT.title)}
        for node in sorted(graph.objects(subject, DCATAP.applicableLegislation), key=str)
    ]
    return without_none(
        {
            "legislation": legislation,
            "rights": reader.texts(rights, RDFS.label) if rights is not None else {},
            "restriction": restriction,
            "personal_data": _personal_data(reader, subject),
        }
    )


def _personal_data(reader: Reader, subject: Node) -> dict[str, Any] | None:
    graph = reader.graph
    present = reader.flag(subject, CAT.personalData) or any(
        (subject, predicate, None) in graph
        for predicate in (DPV.hasLegalBasis, DPV.hasPurpose, DPV.hasDataController)
    )
    if not present:
        return None
    vocabularies = reader.vocabularies
    bases = [str(v) for v in sorted(graph.objects(subject, DPV.hasLegalBasis), key=str)]
    controller = reader.agent(reader.one(subject, DPV.hasDataController))
    if controller is not None:
        node = reader.one(subject, DPV.hasDataController)
        organisation = reader.iri(node, CAT.organisation) if node is not None else None
        if organisation:
            controller["organisation"] = reader.local(organisation, "organisation")
    purposes = []
    for node in ordered(reader, subject, DPV.hasPurpose):
        kinds = [v for v in graph.objects(node, RDF.type) if v != DPV.Purpose]
        concept = next(
            (c for v in sorted(kinds, key=str) if (c := vocabularies["purposes"].get(str(v)))), None
        )
        code = concept.code if concept else (str(sorted(kinds, key=str)[0]) if kinds else str(node))
        purposes.append({"code": code, "text": reader.texts(node, DCT.description)})
    retention = None
    if (node := reader.one(subject, DPV.hasStorageCondition)) is not None:
        retention = {
            "period": reader.text(node, RDF.value) or "",
            "description": reader.texts(node, DCT.description),
        }
    special = vocabularies["special-category-conditions"]
    return without_none(
        {
            "controller": controller,
            "dpo_contact": reader.agent(reader.one(subject, DPV.hasDataProtectionOfficer)),
            "legal_bases": [
                reader.code("legal-bases", URIRef(b)) or b for b in bases if b not in special
            ],
            "special_category_conditions": [
                concept.code for b in bases if (concept := special.get(b)) is not None
            ],
            "purposes": purposes,
            "data_subjects": reader.codes("data-subjects", subject, DPV.hasDataSubject),
            "personal_data_categories": reader.codes("personal-data", subject, DPV.hasPersonalData),
            "retention": retention,
            "measures": reader.codes("measures", subject, DPV.hasTechnicalOrganisationalMeasure),
            "transfers": _transfers(reader, subject),
        }
    )


def _transfers(reader: Reader, subject: Node) -> list[dict[str, Any]]:
    graph = reader.graph
    transfers = []
    for node in ordered(reader, subject, DPV.hasProcess):
        if (node, DPV.hasProcessing, DPV.Transfer) not in graph:
            continue
        names = {
            kind: reader.text(agent, FOAF.name)
            for agent in graph.objects(node, DPV.hasRecipient)
            for kind in graph.objects(agent, RDF.type)
        }
        transfers.append(
            without_none(
                {
                    "country": reader.code("countries", reader.one(node, DPV.hasThirdCountry)),
                    "organisation": names.get(DPV.InternationalOrganisation),
                    "recipient": names.get(DPV.Recipient),
                    "basis": reader.code("transfer-bases", reader.one(node, DPV.hasLegalBasis)),
                    "safeguards": reader.texts(node, DCT.description),
                }
            )
        )
    return transfers


def ordered(reader: Reader, subject: Node, predicate: URIRef) -> list[Node]:
    return by_position(reader, reader.all(subject, predicate))
