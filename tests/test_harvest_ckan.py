"""Harvesting a CKAN site: a package dict of the Action API becomes a record.

A realistic package of a German municipal CKAN (with ckanext-dcat extras and translated
texts) keeps its core fields; every package this catalogue's own CKAN API writes comes back
as the document it was made from. No database is needed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from catalogue.ckan.package import PackageContext, package_dict
from catalogue.datasets.queries import DatasetRecord
from catalogue.domain.codes import normalise_codes
from catalogue.domain.dataset import DatasetDocument
from catalogue.harvest.ckan_records import records_from_ckan_package

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = json.loads((ROOT / "tests/fixtures/harvest/ckan-package.json").read_text("utf-8"))
SITE = "https://ckan.stadt.example"


def test_a_ckan_package_keeps_its_core_fields_and_reports_what_it_cannot_keep(vocabularies):
    record = records_from_ckan_package(
        PACKAGE, vocabularies, source_url=f"{SITE}/api/3/action", default_language="de"
    )
    document = record.document
    assert document["slug"] == "strassenbaumkataster-2024"
    assert document["status"] == "published"
    assert document["title"] == {
        "de": "Straßenbaumkataster 2024",
        "en": "Street tree register 2024",
    }
    assert document["description"]["en"].startswith("Every street tree")
    assert document["semantic"]["keywords"] == ["Bäume", "Umwelt"]
    # the theme extra's EU theme and its foreign IRI, and the "envi" group as the EU theme
    assert document["semantic"]["themes"] == ["ENVI", "https://www.dcat-ap.de/def/themes/umwelt"]
    assert document["semantic"]["languages"] == ["DEU", "ENG"]
    assert document["semantic"]["conforms_to"] == ["https://www.stadt.example/schema/baeume.json"]
    assert document["legal"]["licence"] == "CC_BY_4_0"  # license_id "cc-by"
    assert document["legal"]["access_rights"] == "PUBLIC"
    assert document["technical"]["frequency"] == "ANNUAL"
    assert document["technical"]["spatial"] == ["DEU"]
    assert document["technical"]["version"] == "2024.1"
    assert document["technical"]["temporal"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert document["organisational"]["contact_point"] == {
        "name": "Baumkataster-Team",
        "email": "baumkataster@stadt.example",
    }
    csv, wms, old = document["technical"]["distributions"]
    assert csv["download_url"] == "https://www.stadt.example/files/baeume.csv"  # an upload
    assert (csv["format"], csv["media_type"], csv["byte_size"]) == ("CSV", "text/csv", 1048576)
    assert csv["checksum"]["value"].startswith("9f86d0")
    assert wms["format"] == "WMS_SRVC" and wms["licence"] == "CC0"
    assert wms["access_url"].startswith("https://geo.stadt.example/wms")
    assert old["title"] == {"de": "Alte Daten"}  # kept, without what could not be kept
    assert {"access_url", "byte_size", "format"}.isdisjoint(old)
    assert record.publisher.name == "Stadt Beispiel, Grünflächenamt"
    assert record.publisher.slug == "gruenflaechenamt"
    assert record.publisher.iri == f"{SITE}/organization/gruenflaechenamt"
    assert record.identifier == f"{SITE}/dataset/{PACKAGE['id']}"
    assert record.landing_page == "https://www.stadt.example/baeume"
    assert (record.source_issued, record.source_modified) == ("2024-01-05", "2024-06-30T17:00:00")
    reported = {(issue.path, issue.value) for issue in record.issues}
    assert reported == {
        ("semantic.themes", "stadtbaeume"),  # a CKAN group that is no EU theme
        ("semantic.themes[1]", "https://www.dcat-ap.de/def/themes/umwelt"),
        ("technical.distributions[2].format", "Esri Shape (zipped)"),
        ("technical.distributions[2].access_url", "not a url"),
        ("technical.distributions[2].byte_size", "large"),
    }
    _, problems = normalise_codes(DatasetDocument.model_validate(document), vocabularies, ())
    assert problems == []


def test_states_and_the_ckanext_dcat_identity(vocabularies):
    package = {
        **PACKAGE,
        "state": "deleted",
        "extras": [{"key": "uri", "value": "https://data.stadt.example/id/baeume"}],
    }
    record = records_from_ckan_package(package, vocabularies, source_url=SITE)
    assert record.identifier == "https://data.stadt.example/id/baeume"
    assert record.document["status"] == "withdrawn"
    private = records_from_ckan_package({**PACKAGE, "private": True}, vocabularies, source_url=SITE)
    assert private.document["status"] == "draft"
    taken: set[str] = set()
    first = records_from_ckan_package(PACKAGE, vocabularies, source_url=SITE, taken_slugs=taken)
    second = records_from_ckan_package(PACKAGE, vocabularies, source_url=SITE, taken_slugs=taken)
    assert second.document["slug"] == f"{first.document['slug']}-2"


def test_a_package_with_almost_nothing_is_still_a_record(vocabularies):
    record = records_from_ckan_package(
        {
            "id": "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e",
            "name": "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e",
            "title": "Wahlergebnisse",
            "resources": [{"url": "https://x.example/w.csv"}],
            "license_id": "notspecified",
            "tags": [{"name": ""}],
            "extras": None,
        },
        vocabularies,
        source_url=SITE,
    )
    assert record.document["slug"] == "wahlergebnisse"  # a UUID name is no slug
    assert record.issues == []
    DatasetDocument.model_validate(record.document)


def _organisation(slug: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, slug),
        "slug": slug,
        "name": slug.title(),
        "description": "",
        "created": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        "email": "info@example.gov",
        "homepage": "https://example.gov",
        "type": None,
    }


SEED = sorted((ROOT / "seed" / "datasets").glob("*.json"))


@pytest.mark.parametrize("path", SEED, ids=[path.stem for path in SEED])
def test_our_own_ckan_packages_come_back_as_the_same_document(path, vocabularies):
    document = DatasetDocument.model_validate(json.loads(path.read_text("utf-8")))
    document = document.with_generated_ids()
    now = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    record = DatasetRecord(
        id=uuid.uuid4(),
        revision=3,
        created=now,
        modified=now,
        issued=now,
        publisher_name="Publisher",
        document=document,
    )
    publisher = document.organisational.publisher or ""
    context = PackageContext(
        base_url="https://other.example",
        language="en",
        organisations={publisher: _organisation(publisher)},
        visible=frozenset(document.semantic.related),
    )
    package = json.loads(json.dumps(package_dict(record, context), default=str))
    harvested = records_from_ckan_package(package, vocabularies, source_url="https://other.example")
    assert harvested.identifier == f"https://other.example/dataset/{document.slug}"
    assert harvested.document["slug"] == document.slug
    assert harvested.publisher.slug == publisher
    expected = document.model_dump(mode="json")
    got = DatasetDocument.model_validate(harvested.document).model_dump(mode="json")
    assert _texts_in(got) == _texts_in(expected)
    assert got["technical"]["distributions"] == expected["technical"]["distributions"]
    assert got["semantic"] == expected["semantic"]
    assert got["legal"]["licence"] == expected["legal"]["licence"] or (
        expected["legal"]["licence"] is None
    )
    assert got["classification"] == expected["classification"]
    assert got["technical"]["attributes"] == expected["technical"]["attributes"]
    assert got["legal"]["personal_data"] == expected["legal"]["personal_data"]


def _texts_in(document: dict[str, Any]) -> tuple[Any, ...]:
    return (document["title"], document["description"])
