"""Harvest mapping, value by value: one bad value costs only itself; slugs and identity;
the codes other catalogues use; our own feed harvested back; the SEMIC examples."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from rdflib import Graph, URIRef

from catalogue.dcat.namespaces import DCT
from catalogue.domain.codes import normalise_codes
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.values import iso_date, readable_tail, slugify, unique_slug
from catalogue.harvest.records import HarvestRecord, records_from_graph
from catalogue.vocabularies.matching import concept_code, media_type
from tests.factories import open_dataset

SOURCE = "https://harvest.example/feed"
PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix schema: <http://schema.org/> .
"""


def harvested(turtle: str, vocabularies: Any, **options: Any) -> list[HarvestRecord]:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return list(
        records_from_graph(
            graph, vocabularies, source_url=SOURCE, base_url="https://harvest.example", **options
        )
    )


def test_each_bad_value_is_dropped_alone_and_reported_with_what_the_source_said(vocabularies):
    long_title = "Lang " * 5000
    (record,) = harvested(
        f"""
    <https://portal.example/dataset/roads> a dcat:Dataset ;
        dct:title "Road network"@en, "{long_title}"@de ;
        dct:description "Every public road."@en ;
        dcat:keyword "roads" ;
        dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN>, "Strassen" ;
        dct:language "en", "xx-unknown" ;
        dct:accrualPeriodicity <http://example.org/freq/whenever> ;
        dcat:contactPoint [ vcard:fn "Roads desk" ; vcard:hasEmail "not an address" ;
                            vcard:hasURL "https://roads.example/contact" ] ;
        dct:temporal [ dcat:startDate "2020-01-01" ; dcat:endDate "2019-01-01" ] ;
        dct:license <https://licences.example/our-own> ;
        dcat:distribution [ dcat:accessURL "ftp://files.example/roads.csv" ;
                            dcat:downloadURL <https://files.example/roads.csv> ;
                            dct:format "CSV" ; dcat:byteSize "-5" ] ,
                          [ dct:title "no address at all"@en ; dct:format "PDF" ] .
    """,
        vocabularies,
    )
    document = record.document
    assert document["title"] == {"en": "Road network"}
    assert document["semantic"]["themes"] == ["TRAN"]
    assert document["semantic"]["languages"] == ["ENG"]
    assert document["organisational"]["contact_point"] == {
        "name": "Roads desk",
        "url": "https://roads.example/contact",
    }
    assert document["technical"]["temporal"] == {"start": "2020-01-01"}
    roads, paper = document["technical"]["distributions"]
    assert roads == {**roads, "download_url": "https://files.example/roads.csv", "format": "CSV"}
    assert "access_url" not in roads and "byte_size" not in roads
    assert paper["format"] == "PDF"  # kept: a distribution without an address is still data
    reported = {issue.path: issue for issue in record.issues}
    assert set(reported) == {
        "title.de",
        "semantic.themes[1]",
        "semantic.languages[1]",
        "technical.frequency",
        "organisational.contact_point.email",
        "technical.temporal.end",
        "legal.licence",
        "technical.distributions[0].access_url",
        "technical.distributions[0].byte_size",
    }
    assert reported["semantic.themes[1]"].value == "Strassen"
    assert reported["technical.frequency"].value == "http://example.org/freq/whenever"
    assert reported["organisational.contact_point.email"].value == "not an address"
    assert reported["technical.temporal.end"].value == "2019-01-01"
    assert reported["technical.distributions[0].byte_size"].value == "-5"
    assert "too long" in reported["title.de"].reason
    _, problems = normalise_codes(DatasetDocument.model_validate(document), vocabularies, ())
    assert problems == []


def test_a_data_service_without_an_endpoint_is_dropped_not_the_dataset(vocabularies):
    (record,) = harvested(
        """
    <https://portal.example/dataset/stops> a dcat:Dataset ; dct:title "Stops"@en .
    [] a dcat:DataService ; dcat:servesDataset <https://portal.example/dataset/stops> ;
       dct:title "Stops API"@en .
    """,
        vocabularies,
    )
    assert record.document["technical"]["data_services"] == []
    (issue,) = record.issues
    assert issue.path == "technical.data_services[0]" and "endpoint_url" in issue.reason
    assert "Stops API" in issue.value


def test_slugs_are_readable_valid_and_unique_within_the_source(vocabularies):
    title = "Register of " + "very " * 40 + "long names"
    records = harvested(
        f"""
    <https://portal.example/datasets/1> a dcat:Dataset ; dct:title "{title}"@en .
    <https://portal.example/datasets/2> a dcat:Dataset ; dct:title "{title}"@en .
    <https://portal.example/datasets/3> a dcat:Dataset ; dct:title "Öffentliche WLAN-Standorte"@de .
    <https://portal.example/datasets/4> a dcat:Dataset .
    """,
        vocabularies,
    )
    slugs = [record.document["slug"] for record in records]
    assert slugs[0].startswith("register-of-very-") and not slugs[0].endswith("-")
    assert len(slugs[0]) <= 80 and slugs[1] == f"{slugs[0]}-2"
    assert slugs[2] == "offentliche-wlan-standorte"
    assert slugs[3] == "dataset"  # no IRI name, no title, no identifier
    for record in records:
        DatasetDocument.model_validate(record.document)
    # the pages of one source share their slugs
    taken = set(slugs)
    (again,) = harvested(
        "<https://portal.example/datasets/9> a dcat:Dataset ; "
        'dct:title "Öffentliche WLAN-Standorte"@de .',
        vocabularies,
        taken_slugs=taken,
    )
    assert again.document["slug"] == "offentliche-wlan-standorte-2"


@pytest.mark.parametrize(
    ("iri", "slug"),
    [
        ("https://portal.example/dataset/Air_Quality", "air-quality"),
        ("https://portal.example/datasets/1", None),
        ("https://portal.example/datasets/5c4ae55a634f4117716d5656/", None),
        ("https://portal.example/d/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e", None),
        (
            "https://portal.example/catalogo/l01280796-calidad-del-aire",
            "l01280796-calidad-del-aire",
        ),
        ("https://portal.example/d-001", None),
    ],
)
def test_only_iris_that_end_in_a_name_give_the_slug(iri, slug):
    assert readable_tail(iri) == slug


def test_slug_helpers_never_end_in_a_hyphen():
    assert slugify("a" * 79 + " bcd") == "a" * 79
    assert slugify("word " * 30).endswith("word")
    taken = {"x" * 100}
    assert unique_slug("x" * 100, taken) == "x" * 98 + "-2"


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("licences", "http://creativecommons.org/licenses/by/4.0", "CC_BY_4_0"),
        ("licences", "https://creativecommons.org/licenses/by-sa/4.0/", "CC_BYSA_4_0"),
        ("licences", "https://creativecommons.org/licenses/by-nc-nd/3.0/de/", "CC_BYNCND_3_0"),
        ("licences", "http://creativecommons.org/publicdomain/zero/1.0/", "CC0"),
        ("licences", "https://opendefinition.org/licenses/odc-by/", "ODC_BY"),
        ("licences", "http://www.opendefinition.org/licenses/cc-zero", "CC0"),
        ("licences", "https://opendatacommons.org/licenses/pddl/1-0/", "ODC_PDDL"),
        ("licences", "CC-BY-SA-4.0", "CC_BYSA_4_0"),
        ("licences", "ODbL-1.0", "ODC_BL"),
        ("licences", "EUPL-1.2", "EUPL_1_2"),
        ("licences", "cc-by", "CC_BY_4_0"),
        ("licences", "odc-odbl", "ODC_BL"),
        (
            "licences",
            "https://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            "CC_BY_4_0",
        ),
        ("licences", "Creative Commons Attribution 4.0 International", "CC_BY_4_0"),
        ("languages", "de", "DEU"),
        ("languages", "sl", "SLV"),
        ("languages", "fra", "FRA"),
        ("languages", "ger", "DEU"),
        ("languages", "pt-BR", "POR"),
        ("languages", "http://id.loc.gov/vocabulary/iso639-1/sv", "SWE"),
        ("frequencies", "http://purl.org/cld/freq/quarterly", "QUARTERLY"),
        ("frequencies", "http://purl.org/cld/freq/threeTimesAYear", "ANNUAL_3"),
        ("frequencies", "R/P1M", "MONTHLY"),
        ("distribution-status", "http://purl.org/adms/status/Withdrawn", "WITHDRAWN"),
        ("planned-availability", "http://data.europa.eu/r5r/availability/temporary", "TEMPORARY"),
        ("file-types", "https://www.iana.org/assignments/media-types/text/csv", "CSV"),
        ("file-types", "text/csv; charset=utf-8", "CSV"),
        ("file-types", ".xlsx", "XLSX"),
        ("file-types", "ESRI Shapefile", "SHP"),
        ("file-types", "application/ld+json", "JSON_LD"),
        ("access-rights", "public", "PUBLIC"),
    ],
)
def test_foreign_names_of_our_codes(vocabularies, key, value, code):
    assert concept_code(vocabularies, key, value) == code


def test_unknown_names_map_to_nothing(vocabularies):
    assert (
        concept_code(vocabularies, "licences", "https://www.etalab.gouv.fr/licence-ouverte") is None
    )
    assert concept_code(vocabularies, "languages", "klingon") is None
    assert (
        media_type("CSV") is None
        and media_type("http://www.iana.org/assignments/media-types/text/csv") == "text/csv"
    )


def test_dates_in_every_form_are_kept_as_dates():
    assert iso_date("2023-12-31T23:59:59Z") == "2023-12-31"
    assert iso_date("2023") == "2023-01-01" and iso_date("2023", end=True) == "2023-12-31"
    assert iso_date("2024-02", end=True) == "2024-02-29"
    assert iso_date("31.01.2024") == "2024-01-31"
    assert iso_date("soon") is None and iso_date("2023-13-01") is None


def test_our_own_feed_harvested_back_keeps_its_slugs_and_publisher(vocabularies):
    from catalogue.dcat.mapping import DatasetContext, PublisherInfo, dataset_graph

    document = DatasetDocument.model_validate(open_dataset("bridges")).with_generated_ids()
    context = DatasetContext(
        base_url="https://other.example",
        languages=("en",),
        dataset_id=UUID("12345678-1234-5678-1234-567812345678"),
        publisher=PublisherInfo(
            "ministry-of-examples",
            "Ministry of Examples",
            "NationalAuthority",
            "https://gov.example",
            "info@gov.example",
        ),
    )
    graph = dataset_graph(document, context, vocabularies)
    (record,) = records_from_graph(
        graph,
        vocabularies,
        source_url="https://other.example/feed",
        base_url="https://other.example",
    )
    assert record.identifier == "https://other.example/dataset/bridges"
    assert record.document["slug"] == "bridges"
    assert record.publisher.slug == "ministry-of-examples"
    assert record.issues == []
    expected = document.model_dump(mode="json")
    expected["status"] = "published"
    assert DatasetDocument.model_validate(record.document).model_dump(mode="json") == expected


def test_semic_examples_keep_every_dataset(vocabularies, shared_dir):
    examples = sorted((shared_dir / "dcat-ap" / "examples").glob("*.ttl"))
    if not examples:
        pytest.skip("the SEMIC DCAT-AP examples are absent from ../shared/dcat-ap/examples")
    for path in examples:
        graph = Graph().parse(path, format="turtle")
        from catalogue.dcat.reverse import dataset_subjects

        records = list(
            records_from_graph(
                graph, vocabularies, source_url=path.as_uri(), base_url="https://harvest.example"
            )
        )
        assert len(records) == len(dataset_subjects(graph)), path.name
        for record in records:
            document = DatasetDocument.model_validate(record.document)
            given = (URIRef(record.identifier), DCT.title, None) in graph
            assert bool(document.title) == given, f"{path.name}: {record.identifier}"
            _, problems = normalise_codes(document, vocabularies, ())
            assert problems == [], path.name


def test_a_foreign_theme_is_kept_but_neither_counted_nor_republished(vocabularies):
    from catalogue.dcat.mapping import DatasetContext, PublisherInfo, dataset_graph
    from catalogue.dcat.namespaces import DCAT
    from catalogue.domain import rules

    foreign = "http://datos.gob.es/kos/sector-publico/sector/medio-ambiente"
    raw = open_dataset("air")
    raw["semantic"]["themes"] = [foreign]
    document = DatasetDocument.model_validate(raw).with_generated_ids()
    kept, problems = normalise_codes(document, vocabularies, ())
    assert problems == [] and kept.semantic.themes == [foreign]
    found = rules.check(kept, rules.RuleContext(vocabularies=vocabularies))
    assert "theme_missing" in {problem.code for problem in found}
    context = DatasetContext(
        base_url="https://here.example",
        languages=("en",),
        publisher=PublisherInfo("ministry-of-examples", "M", None, None, None),
    )
    graph = dataset_graph(kept, context, vocabularies)
    assert list(graph.objects(None, DCAT.theme)) == []  # our shapes take EU themes only
    with_eu = kept.model_copy(
        update={"semantic": kept.semantic.model_copy(update={"themes": ["ENVI", foreign]})}
    )
    assert "theme_missing" not in {
        p.code for p in rules.check(with_eu, rules.RuleContext(vocabularies=vocabularies))
    }


ODD_VALUES = (
    "[]",
    '""',
    '"not a number"^^xsd:integer',
    '"2024-99-99"^^xsd:date',
    "<urn:isbn:0451450523>",
    '"' + "x" * 30000 + '"',
    '"\\u0007 bell"',
    '"mailto:"',
    "<https://portal.example/dataset/odd>",
)
PREDICATES = (
    "dct:title",
    "dct:description",
    "dct:publisher",
    "dcat:contactPoint",
    "dct:license",
    "dct:temporal",
    "dcat:theme",
    "dct:language",
    "dct:accrualPeriodicity",
    "dct:spatial",
    "dcat:keyword",
    "dct:conformsTo",
    "dct:issued",
    "dct:modified",
    "dcat:landingPage",
    "dct:accessRights",
    "dct:relation",
    "dcat:distribution",
    "dct:identifier",
)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_no_odd_value_of_any_property_loses_the_dataset(predicate, vocabularies):
    statements = " ;\n".join(f"    {predicate} {value}" for value in ODD_VALUES)
    (record,) = harvested(
        f"""
    <https://portal.example/dataset/odd> a dcat:Dataset ;
        dct:title "Odd values"@en ;
    {statements} .
    """,
        vocabularies,
    )
    document = DatasetDocument.model_validate(record.document)
    assert document.slug == "odd"
    _, problems = normalise_codes(document, vocabularies, ())
    assert problems == []


def test_a_dataset_the_mapping_cannot_read_is_kept_with_its_title(vocabularies, monkeypatch):
    from catalogue.harvest import records as module

    real = module.document_dict

    def failing(graph, subject, *args, **kwargs):
        if str(subject).endswith("/broken"):
            raise RuntimeError("an unforeseen form")
        return real(graph, subject, *args, **kwargs)

    monkeypatch.setattr(module, "document_dict", failing)
    records = harvested(
        """
    <https://portal.example/dataset/broken> a dcat:Dataset ; dct:title "Broken"@en .
    <https://portal.example/dataset/fine> a dcat:Dataset ; dct:title "Fine"@en .
    """,
        vocabularies,
    )
    broken, fine = records
    assert broken.document["title"] == {"en": "Broken"} and fine.issues == []
    assert "an unforeseen form" in broken.issues[0].reason
    DatasetDocument.model_validate(broken.document)
