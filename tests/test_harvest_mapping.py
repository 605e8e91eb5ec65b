"""Harvest mapping: foreign DCAT-AP feeds become our documents without losing a dataset.

Each fixture in tests/fixtures/harvest/ is a small feed in the form one national profile or
portal software writes (DCAT-AP.de, DCAT-AP-ES, the Swedish and Swiss profiles, DCAT-AP_IT,
uData, ckanext-dcat), in Turtle, RDF/XML or JSON-LD. The tests say what each form must keep,
and that a value we cannot keep is dropped alone and reported. No database is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from catalogue.domain import rules
from catalogue.domain.codes import normalise_codes
from catalogue.domain.dataset import DatasetDocument
from catalogue.harvest.records import HarvestRecord, records_from_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "harvest"
SOURCE = "https://harvest.example/feed"
FORMATS = {".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld"}


def harvest(name: str, vocabularies: Any, **options: Any) -> dict[str, HarvestRecord]:
    path = FIXTURES / name
    graph = Graph().parse(path, format=FORMATS[path.suffix])
    records = records_from_graph(
        graph, vocabularies, source_url=SOURCE, base_url="https://harvest.example", **options
    )
    return {record.document["slug"]: record for record in records}


def issues(record: HarvestRecord) -> dict[str, str]:
    return {issue.path: issue.value for issue in record.issues}


def assert_storable(record: HarvestRecord, vocabularies: Any) -> DatasetDocument:
    """What the job runner relies on: the document validates and every code is known."""
    document = DatasetDocument.model_validate(record.document)
    _, problems = normalise_codes(document, vocabularies, ())
    assert problems == []
    return document


# --- one test per foreign form ------------------------------------------------------------


def test_german_profile_blank_node_publisher_and_dataset_dcat_ap_de_licences(vocabularies):
    records = harvest("dcat-ap-de.ttl", vocabularies)
    air = records["luftqualitaet-messstationen-2023"]
    assert air.publisher is not None and air.publisher.iri is None
    assert air.publisher.name == "Stadt Köln - Umwelt- und Verbraucherschutzamt"
    assert (
        air.document["organisational"]["publisher"] == "stadt-koln-umwelt-und-verbraucherschutzamt"
    )
    assert air.document["organisational"]["contact_point"] == {
        "name": "Umweltamt Köln",
        "email": "umwelt@stadt-koeln.example",
    }  # literal "mailto:"
    # dcat:startDate/endDate as xsd:dateTime are kept as dates
    assert air.document["technical"]["temporal"] == {"start": "2023-01-01", "end": "2023-12-31"}
    # http://dcat-ap.de/def/licenses/cc-by/4.0 on each distribution, lifted to the dataset
    assert [d["licence"] for d in air.document["technical"]["distributions"]] == ["CC_BY_4_0"] * 2
    assert air.document["legal"]["licence"] == "CC_BY_4_0"
    assert air.source_issued == "2023-02-01T08:00:00"
    assert air.source_modified == "2024-01-15T10:30:00+01:00"
    assert air.landing_page == "https://opendata.stadt-koeln.example/luftqualitaet"
    assert air.issues == []

    trees = records["baumkataster"]  # a blank node with a dct:identifier
    assert trees.identifier == "https://opendata.stadt-koeln.example/id/baumkataster"
    assert trees.publisher.email == "gruenflaechen@stadt-koeln.example"
    assert trees.document["technical"]["temporal"] == {"start": "2010-01-01", "end": "2023-12-31"}
    table, shapes = trees.document["technical"]["distributions"]  # by content
    assert "licence" not in shapes and table["licence"] == "CC0"
    # no EU licence for the German data licence: that one value is dropped and reported
    assert issues(trees) == {
        "technical.distributions[1].licence": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    }
    assert "licence" not in trees.document["legal"]  # the distributions disagree
    for record in records.values():
        assert_storable(record, vocabularies)


def test_spanish_profile_formats_as_blank_nodes_and_foreign_themes(vocabularies):
    records = harvest("datos-gob-es.rdf", vocabularies)
    air = records["l01280796-calidad-del-aire-datos-horarios-2023"]
    formats = {(d["format"], d["media_type"]) for d in air.document["technical"]["distributions"]}
    assert formats == {
        ("CSV", "text/csv"),
        ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }  # [ a dct:IMT; rdf:value "text/csv" ], never the blank node's id
    csv = next(d for d in air.document["technical"]["distributions"] if d["format"] == "CSV")
    assert csv["byte_size"] == 2048576  # "2048576.0"^^xsd:decimal
    assert air.document["semantic"]["languages"] == ["ENG", "SPA"]  # "es", "en"
    assert air.document["technical"]["frequency"] == "HOURLY"  # time:hours 1
    assert air.document["legal"]["licence"] == "CC_BY_4_0"  # https, trailing slash
    # the portal's own theme is kept as its IRI, reported, and not counted as an EU theme
    sector = "http://datos.gob.es/kos/sector-publico/sector/medio-ambiente"
    assert air.document["semantic"]["themes"] == [sector]
    assert issues(air) == {
        "semantic.themes[0]": sector,
        "technical.spatial[0]": "http://datos.gob.es/recurso/sector-publico/territorio/Ciudad/Madrid",
    }
    document = assert_storable(air, vocabularies)
    found = rules.check(
        document, rules.RuleContext(vocabularies=vocabularies, default_language="es")
    )
    assert "theme_missing" in {problem.code for problem in found}

    # ".../catalogo/300" is no name: the slug comes from the title
    parking = records["aparcamientos-publicos-municipales-ocupacion-en-tiempo-real"]
    assert parking.identifier == "https://datos.madrid.example/catalogo/300"
    assert parking.document["legal"]["licence"] == "CC_BY_4_0"  # http, no trailing slash
    assert "TRAN" in parking.document["semantic"]["themes"]
    assert parking.publisher.name == "Ayuntamiento de Madrid"
    assert assert_storable(parking, vocabularies)


def test_swedish_profile_json_ld_blank_dataset_without_identifier(vocabularies):
    records = harvest("dcat-ap-se.jsonld", vocabularies)
    units = records["skolenheter"]
    assert units.document["title"] == {
        "sv": "Skolenhetsregistret",
        "en": "Register of school units",
    }
    assert units.publisher.kind == "NationalAuthority"
    assert units.publisher.iri == "https://data.skolverket.example.se/org/skolverket"
    (api,) = units.document["technical"]["distributions"]
    assert (api["format"], api["media_type"]) == ("JSON", "application/json")  # an http IANA IRI
    assert api["licence"] == "CC0"
    assert units.document["legal"]["access_rights"] == "PUBLIC"
    assert units.document["organisational"]["contact_point"]["url"] == (
        "https://www.skolverket.example.se/kontakt"
    )  # a literal URL
    assert units.source_issued == "2018-03-01"
    grades = records["slutbetyg-i-arskurs-9-per-kommun"]
    assert grades.identifier == f"{SOURCE}#slutbetyg-i-arskurs-9-per-kommun"
    assert grades.document["semantic"]["themes"] == ["EDUC", "SOCI"]
    for record in records.values():
        assert record.issues == []
        assert_storable(record, vocabularies)


def test_italian_profile_licence_named_by_its_document(vocabularies):
    (record,) = harvest("dcat-ap-it.ttl", vocabularies).values()
    assert record.document["slug"] == "c-a345-popolazione-residente"
    (distribution,) = record.document["technical"]["distributions"]
    # w3id.org/italia/.../A21_CCBY40, a dcatapit:LicenseDocument named "... (CC BY 4.0)"
    assert distribution["licence"] == "CC_BY_4_0"
    assert record.publisher.identifier == "c_a345" and record.publisher.name == "Comune di Esempio"
    assert record.document["organisational"]["contact_point"] == {
        "name": "Ufficio Statistica",
        "email": "statistica@comune.esempio.it",
    }
    assert record.document["technical"]["temporal"] == {"start": "2002-01-01", "end": "2023-12-31"}
    assert record.document["semantic"]["conforms_to"] == ["https://w3id.org/italia/stat/onto/POP"]
    assert record.issues == []


def test_swiss_profile_literal_urls_labels_and_one_bad_size(vocabularies):
    (record,) = harvest("dcat-ap-ch.rdf", vocabularies).values()
    assert record.publisher.name == "Bundesamt für Statistik BFS"  # rdfs:label on a blank node
    assert record.landing_page == "https://www.bfs.admin.example.ch/asset/de/px-x-0102010000_101"
    (distribution,) = record.document["technical"]["distributions"]
    assert distribution["access_url"] == (
        "https://www.pxweb.bfs.admin.example.ch/pxweb/de/px-x-0102010000_101"
    )
    assert distribution["download_url"] == (
        "https://www.pxweb.bfs.admin.example.ch/DownloadFile.aspx?file=px%20x%200102010000_101"
    )
    assert (distribution["format"], distribution["media_type"]) == ("CSV", "text/csv")
    assert distribution["licence"] == "CC_BY_4_0"
    assert "byte_size" not in distribution
    assert record.document["technical"]["frequency"] == "ANNUAL"  # purl.org/cld/freq/annual
    assert record.document["technical"]["temporal"] == {"start": "2010-01-01", "end": "2023-12-31"}
    assert record.document["semantic"]["languages"] == ["DEU", "FRA", "ITA"]
    assert record.document["semantic"]["conforms_to"] == [
        "https://www.ech.example.ch/de/ech/ech-0007/6.0"
    ]  # a literal URL
    assert issues(record) == {
        "semantic.themes[0]": "http://opendata.swiss/themes/population",
        "technical.distributions[0].byte_size": "1.2 MB",
        "semantic.conforms_to[0]": "eCH-0071 Historisiertes Gemeindeverzeichnis",
    }
    assert set(record.document["title"]) == {"de", "fr", "it", "en"}
    assert_storable(record, vocabularies)


def test_udata_export_hex_ids_make_no_slugs_and_old_frequencies_map(vocabularies):
    records = harvest("udata.jsonld", vocabularies)
    assert set(records) == {"demandes-de-valeurs-foncieres", "base-adresse-nationale"}
    land = records["demandes-de-valeurs-foncieres"]
    assert land.identifier == "https://www.data.gouv.example/datasets/5c4ae55a634f4117716d5656/"
    assert land.document["technical"]["frequency"] == "ANNUAL_2"  # cld/freq/semiannual
    (archive,) = land.document["technical"]["distributions"]
    assert archive["format"] == "ZIP" and archive["byte_size"] == 78613845
    assert archive["checksum"] == {
        "algorithm": "sha1",
        "value": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    }
    assert issues(land) == {
        "legal.licence": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    }
    addresses = records["base-adresse-nationale"]
    assert addresses.document["legal"]["licence"] == "ODC_BL"  # opendatacommons .../summary/
    assert addresses.document["technical"]["distributions"][0]["format"] == "GZIP"
    assert addresses.publisher.url == "https://www.impots.gouv.example/"


def test_ckanext_dcat_export_opendefinition_licences_statuses_and_literals(vocabularies):
    records = harvest("ckanext-dcat.ttl", vocabularies)
    bikes = records["bicycle-counters"]
    counts, points = bikes.document["technical"]["distributions"]
    assert counts["licence"] == points["licence"] == "CC_BY_4_0"  # opendefinition cc-by
    assert counts["status"] == "COMPLETED"  # http://purl.org/adms/status/Completed
    assert points["availability"] == "STABLE"  # http://data.europa.eu/r5r/availability/stable
    assert points["format"] == "GEOJSON"
    assert bikes.document["technical"]["temporal"] == {"start": "2020-01-01", "end": "2020-12-31"}
    assert bikes.document["technical"]["version"] == "2.1"
    assert bikes.publisher.email == "mobility@example.org"
    assert bikes.source_modified == "2024-11-02T07:45:01"
    (spatial,) = bikes.issues  # a geometry is not a country: reported with what it held
    assert spatial.path == "technical.spatial[0]" and "Point" in spatial.value
    toilets = records["public-toilets"]
    assert toilets.document["technical"]["frequency"] == "IRREG"  # a literal "irregular"
    assert toilets.document["legal"]["licence"] == "ODC_BL"
    assert toilets.document["organisational"]["contact_point"]["email"] == "facilities@example.org"
    assert toilets.document["semantic"]["languages"] == ["ENG", "FRA"]


# --- every fixture dataset keeps its core fields -------------------------------------------

EXPECTED = {  # datasets per fixture, and which have themes (the rest have keywords)
    "dcat-ap-de.ttl": 2,
    "datos-gob-es.rdf": 2,
    "dcat-ap-se.jsonld": 2,
    "dcat-ap-it.ttl": 1,
    "dcat-ap-ch.rdf": 1,
    "udata.jsonld": 2,
    "ckanext-dcat.ttl": 2,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fixture_dataset_is_kept_with_its_core_fields(name, vocabularies):
    records = harvest(name, vocabularies)
    assert len(records) == EXPECTED[name]
    for record in records.values():
        document = assert_storable(record, vocabularies)
        assert document.title and document.description, record.identifier
        assert record.publisher is not None and record.publisher.name, record.identifier
        distributions = document.technical.distributions
        assert any(d.format and (d.access_url or d.download_url) for d in distributions)
        licences = {document.legal.licence, *(d.licence for d in distributions)} - {None}
        dropped = {i.path for i in record.issues if i.path.endswith("licence")}
        assert licences or dropped, f"{record.identifier} lost its licence silently"
        assert document.semantic.themes or document.semantic.keywords
        assert document.status.value == "published"


def test_the_whole_set_keeps_nearly_every_core_field(vocabularies):
    """The issue's measure: every core field kept in at least 9 datasets of 10."""
    complete = total = 0
    for name in EXPECTED:
        for record in harvest(name, vocabularies).values():
            document = DatasetDocument.model_validate(record.document)
            total += 1
            distributions = document.technical.distributions
            complete += bool(
                document.title
                and document.description
                and record.publisher
                and (document.legal.licence or any(d.licence for d in distributions))
                and any(d.format and d.access_url for d in distributions)
                and (document.semantic.themes or document.semantic.keywords)
            )
    assert total == sum(EXPECTED.values())
    assert complete / total >= 0.8  # two licences have no EU equivalent (etalab, dl-by-de)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_same_feed_read_twice_gives_the_same_records(name, vocabularies):
    """Blank node ids change with every parse: nothing may depend on them, or a re-harvest
    of an unchanged source would see changes (distribution order, slugs, identities)."""
    first = [(r.identifier, r.document, r.issues) for r in harvest(name, vocabularies).values()]
    again = [(r.identifier, r.document, r.issues) for r in harvest(name, vocabularies).values()]
    assert first == again


def test_an_unchanged_record_keeps_its_fingerprint_a_changed_one_does_not(vocabularies):
    first = harvest("dcat-ap-de.ttl", vocabularies)["baumkataster"]
    again = harvest("dcat-ap-de.ttl", vocabularies)["baumkataster"]
    assert first.fingerprint() == again.fingerprint()
    again.document["title"]["de"] = "Baumkataster (neu)"
    assert first.fingerprint() != again.fingerprint()
