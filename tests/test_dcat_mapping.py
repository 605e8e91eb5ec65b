"""The DCAT-AP mapping: what a dataset looks like in RDF, and that reading it back loses nothing.

These tests need no database: the mapping is a pure function of the document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from catalogue.dcat.mapping import DatasetContext, PublisherInfo, dataset_graph, dataset_iri
from catalogue.dcat.namespaces import CAT, DCAT, DCATAP, DCT, DPV, FOAF, RDF, SKOS, VCARD, XSD
from catalogue.dcat.reverse import dataset_subjects, document_from_graph
from catalogue.dcat.web import FORMATS, serialize
from catalogue.domain.dataset import DatasetDocument, Status
from tests.factories import open_dataset, personal_dataset

BASE = "https://data.example.si"
SEED = Path(__file__).resolve().parent.parent / "seed" / "datasets"
SEED_FILES = sorted(SEED.glob("*.json"))


def context(document: DatasetDocument) -> DatasetContext:
    return DatasetContext(
        base_url=BASE,
        languages=("en", "sl"),
        dataset_id=UUID("12345678-1234-5678-1234-567812345678"),
        publisher=PublisherInfo(
            document.organisational.publisher or "",
            "Ministry",
            "NationalAuthority",
            "https://gov.example.si",
            "info@gov.si",
        ),
    )


def exported(raw: dict[str, Any], vocabularies: Any) -> tuple[DatasetDocument, Graph]:
    document = DatasetDocument.model_validate(raw).with_generated_ids()
    return document, dataset_graph(document, context(document), vocabularies)


def unordered(document: DatasetDocument) -> Any:
    """The document with every list of plain values sorted (RDF keeps sets, not order)."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            items = [walk(item) for item in value]
            return (
                items
                if items and isinstance(items[0], dict) and "name" in items[0]
                else sorted(items, key=json.dumps)
            )
        return value

    return walk(document.model_dump(mode="json"))


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_export_then_import_loses_nothing(path: Path, vocabularies: Any) -> None:
    document, graph = exported(json.loads(path.read_text()), vocabularies)
    subject = dataset_subjects(graph)[0]
    imported = document_from_graph(graph, subject, vocabularies, BASE)
    assert imported.status == Status.DRAFT  # an import is always a draft
    imported = imported.model_copy(update={"status": document.status})
    assert isomorphic(graph, dataset_graph(imported, context(imported), vocabularies))
    expected = unordered(document)
    expected["internal_note"] = None  # never exported, so never imported
    assert unordered(imported) == expected


def test_the_whole_seed_round_trips_as_one_graph(vocabularies: Any) -> None:
    graph = Graph()
    documents = {}
    for path in SEED_FILES:
        document = DatasetDocument.model_validate(json.loads(path.read_text())).with_generated_ids()
        documents[document.slug] = document
        dataset_graph(document, context(document), vocabularies, graph)
    again = Graph()
    for subject in dataset_subjects(graph):
        imported = document_from_graph(graph, subject, vocabularies, BASE)
        imported = imported.model_copy(update={"status": documents[imported.slug].status})
        dataset_graph(imported, context(imported), vocabularies, again)
    assert len(dataset_subjects(graph)) == len(SEED_FILES)
    assert isomorphic(graph, again)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_internal_notes_never_reach_rdf(fmt: str, vocabularies: Any) -> None:
    raw = personal_dataset()
    raw["internal_note"] = "SECRET-NOTE-7731"
    _, graph = exported(raw, vocabularies)
    assert b"SECRET-NOTE-7731" not in serialize(graph, fmt)


def test_a_dataset_carries_every_dcat_ap_property_we_hold(vocabularies: Any) -> None:
    raw = open_dataset()
    raw["technical"]["distributions"][0].update(
        {
            "download_url": "https://data.example.gov/open.csv",
            "media_type": "text/csv",
            "byte_size": 1234,
            "checksum": {"algorithm": "sha256", "value": "ab12"},
            "status": "COMPLETED",
            "availability": "STABLE",
            "rights": {"en": "Cite us."},
        }
    )
    raw["technical"].update(
        {
            "temporal": {"start": "2020-01-01", "end": "2024-12-31"},
            "spatial": ["SVN"],
            "frequency": "ANNUAL",
            "version": "2.1",
        }
    )
    raw["semantic"].update(
        {
            "languages": ["SLV"],
            "hvd_categories": ["c_dd313021"],
            "conforms_to": ["https://example.org/standard"],
        }
    )
    raw["legal"]["legislation"] = [
        {
            "iri": "http://data.europa.eu/eli/dir/2019/1024/oj",
            "title": {"en": "Open Data Directive"},
        }
    ]
    document, graph = exported(raw, vocabularies)
    subject = dataset_iri(BASE, document.slug)
    assert (subject, RDF.type, DCAT.Dataset) in graph
    assert (subject, DCT.title, Literal("Primer", lang="sl")) in graph
    assert (subject, DCT.identifier, Literal("12345678-1234-5678-1234-567812345678")) in graph
    period = graph.value(subject, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in graph
    assert graph.value(period, DCAT.startDate) == Literal("2020-01-01", datatype=XSD.date)
    publisher = graph.value(subject, DCT.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    kind = graph.value(publisher, DCT.type)
    assert str(kind) == "http://purl.org/adms/publishertype/NationalAuthority"
    assert graph.value(kind, SKOS.prefLabel) is not None
    contact = graph.value(subject, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.gov")
    licence = graph.value(subject, DCT.license)
    assert (licence, RDF.type, DCT.LicenseDocument) in graph
    frequency = graph.value(subject, DCT.accrualPeriodicity)
    assert (frequency, RDF.type, DCT.Frequency) in graph
    assert (graph.value(subject, DCT.language), RDF.type, DCT.LinguisticSystem) in graph
    assert (graph.value(subject, DCT.spatial), RDF.type, DCT.Location) in graph
    assert graph.value(subject, DCATAP.hvdCategory) is not None
    assert graph.value(subject, DCAT.version) == Literal("2.1")
    law = URIRef("http://data.europa.eu/eli/dir/2019/1024/oj")
    assert (law, RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResource")) in graph
    distribution = graph.value(subject, DCAT.distribution)
    assert graph.value(distribution, DCAT.byteSize) == Literal(
        1234, datatype=XSD.nonNegativeInteger
    )
    assert graph.value(distribution, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    assert (graph.value(distribution, DCT.format), RDF.type, DCT.MediaTypeOrExtent) in graph
    assert (graph.value(distribution, DCT.rights), RDF.type, DCT.RightsStatement) in graph
    assert graph.value(distribution, DCATAP.availability) is not None


def test_personal_data_goes_out_in_dpv(vocabularies: Any) -> None:
    document, graph = exported(personal_dataset(), vocabularies)
    subject = dataset_iri(BASE, document.slug)
    gdpr = "https://w3id.org/dpv/legal/eu/gdpr#"
    assert (subject, DPV.hasLegalBasis, URIRef(gdpr + "A6-1-e")) in graph
    assert (subject, DPV.hasDataSubject, URIRef("https://w3id.org/dpv#Citizen")) in graph
    assert (subject, DPV.hasPersonalData, URIRef("https://w3id.org/dpv/pd#BirthDate")) in graph
    purpose = graph.value(subject, DPV.hasPurpose)
    assert (purpose, RDF.type, URIRef("https://w3id.org/dpv#ServiceProvision")) in graph
    assert graph.value(subject, DPV.hasDataController) is not None
    retention = graph.value(subject, DPV.hasStorageCondition)
    assert graph.value(retention, RDF.value) == Literal("P10Y", datatype=XSD.duration)
    attributes = list(graph.objects(subject, CAT.attribute))
    categories = {graph.value(a, DPV.hasPersonalData) for a in attributes}
    assert URIRef("https://w3id.org/dpv/pd#OfficialID") in categories


def test_a_foreign_dcat_ap_description_becomes_a_draft(vocabularies: Any) -> None:
    turtle = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <https://other.example/dataset/Bus_Stops> a dcat:Dataset ;
        dct:title "Bus stops"@en ; dct:description "Every stop."@en ;
        dcat:keyword "transport" ;
        dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;
        dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
        dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://other.example/b.csv> ;
            dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
    """
    graph = Graph().parse(data=turtle, format="turtle")
    document = document_from_graph(graph, dataset_subjects(graph)[0], vocabularies, BASE)
    assert document.slug == "bus-stops"
    assert document.status == Status.DRAFT
    assert document.classification.value == "open"
    assert document.semantic.themes == ["TRAN"]
    assert document.legal.access_rights == "PUBLIC"
    assert document.technical.distributions[0].format == "CSV"
    assert document.technical.distributions[0].access_url == "https://other.example/b.csv"
