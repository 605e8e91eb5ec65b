"""Harvesting a spreadsheet: the shipped template, CSV as offices save it, and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from catalogue.domain.codes import normalise_codes
from catalogue.domain.dataset import DatasetDocument
from catalogue.harvest.spreadsheet import COLUMNS, SpreadsheetError, records_from_spreadsheet

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "catalogue" / "harvest" / "template" / "datasets-template.csv"
SOURCE = "file:///imports/datasets.csv"


def read(data: bytes, filename: str, vocabularies, **options):
    return list(
        records_from_spreadsheet(data, filename, vocabularies, source_url=SOURCE, **options)
    )


def test_the_shipped_template_reads_without_an_issue(vocabularies):
    (record,) = read(TEMPLATE.read_bytes(), TEMPLATE.name, vocabularies)
    document = record.document
    assert record.issues == []
    assert record.identifier == "https://data.example.gov/id/air-quality"
    assert document["slug"] == "air-quality-measurements"
    assert document["title"] == {"en": "Air quality measurements", "sl": "Meritve kakovosti zraka"}
    assert document["semantic"]["themes"] == ["ENVI", "HEAL"]
    assert document["semantic"]["keywords"] == ["air quality", "pollution", "PM10"]
    assert document["semantic"]["languages"] == ["ENG", "SLV"]
    assert document["legal"] == {"licence": "CC_BY_4_0", "access_rights": "PUBLIC"}
    csv, wms = document["technical"]["distributions"]  # the second row adds a distribution
    assert (csv["format"], csv["download_url"]) == (
        "CSV",
        "https://environment.example.gov/files/air.csv",
    )
    assert wms["format"] == "WMS_SRVC" and wms["access_url"].startswith("https://maps.")
    assert record.publisher.name == "Environment Agency"
    assert document["organisational"]["publisher"] == "environment-agency"
    assert (record.source_issued, record.source_modified) == ("2015-03-01", "2024-05-31")
    assert record.landing_page == "https://environment.example.gov/air"
    DatasetDocument.model_validate(document)


def test_the_template_has_every_column_and_the_readme_describes_each():
    header = TEMPLATE.read_text("utf-8").splitlines()[0].split(",")
    assert {name.split("@")[0] for name in header} == set(COLUMNS)
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("### Spreadsheet template", 1)[1].split("\n## ", 1)[0]
    for column in COLUMNS:
        assert f"`{column}`" in section, column


def test_a_csv_as_an_office_saves_it_semicolons_cp1252_aliases_and_bad_values(vocabularies):
    text = (
        "Title;Description;Organisation;License;Tags;Theme;Language;Format;URL;Temporal start\n"
        "Müllabfuhr-Termine;Termine der Müllabfuhr je Straße;Stadtwerke;cc-by-4.0;"
        '"Abfall; Termine";Umwelt;de;CSV;https://stadtwerke.example/muell.csv;01.01.2024\n'
        "Müllabfuhr-Termine;Zweite Zeile ohne Kennung;Stadtwerke;Eigene Lizenz;;;"
        "de;Excel;ftp://stadtwerke.example/muell.xls;bald\n"
    )
    records = read(text.encode("cp1252"), "export.csv", vocabularies, default_language="de")
    first, second = records
    assert first.document["slug"] == "mullabfuhr-termine"
    assert second.document["slug"] == "mullabfuhr-termine-2"  # rows without identifiers
    assert first.document["legal"]["licence"] == "CC_BY_4_0"
    assert first.document["semantic"]["themes"] == ["ENVI"]  # the German label of the theme
    assert first.document["semantic"]["keywords"] == ["Abfall", "Termine"]
    assert first.document["technical"]["temporal"] == {"start": "2024-01-01"}
    assert first.issues == []
    reported = {issue.path: issue.value for issue in second.issues}
    assert reported == {
        "legal.licence": "Eigene Lizenz",
        "technical.distributions[0].download_url": "ftp://stadtwerke.example/muell.xls",
        "technical.temporal.start": "bald",
    }
    assert second.document["technical"]["distributions"] == [{"title": {}, "format": "XLS"}]
    for record in records:
        _, problems = normalise_codes(
            DatasetDocument.model_validate(record.document), vocabularies, ()
        )
        assert problems == []


def test_an_xlsx_workbook_with_dates_numbers_and_a_datasets_sheet(vocabularies):
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["This sheet is not read"])
    sheet = workbook.create_sheet("Datasets")
    sheet.append(
        [
            "identifier",
            "title",
            "description",
            "publisher",
            "licence",
            "keywords",
            "issued",
            "distribution_url",
            "distribution_format",
            "distribution_byte_size",
            "colour",
        ]
    )
    sheet.append(
        [
            "B-1",
            "Bridges",
            "Every bridge with its state.",
            "Roads Agency",
            "https://creativecommons.org/licenses/by/4.0/",
            "bridges;roads",
            dt.datetime(2021, 3, 4),
            "https://roads.example/bridges.geojson",
            "GeoJSON",
            2048.0,
            "blue",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    (record,) = read(buffer.getvalue(), "datasets.xlsx", vocabularies)
    assert record.identifier == f"{SOURCE}#B-1"
    assert record.source_issued == "2021-03-04"
    (distribution,) = record.document["technical"]["distributions"]
    assert distribution == {
        "title": {},
        "download_url": "https://roads.example/bridges.geojson",
        "format": "GEOJSON",
        "byte_size": 2048,
    }
    assert record.document["legal"]["licence"] == "CC_BY_4_0"
    assert [(i.path, i.value) for i in record.issues] == [("(spreadsheet)", "colour")]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"no,columns,we,know\n1,2,3,4\n", "x.csv", "first row must name the columns"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "not an XLSX workbook"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "old .xls workbooks"),
    ],
)
def test_files_that_are_no_spreadsheet_of_datasets_say_why(data, filename, message, vocabularies):
    with pytest.raises(SpreadsheetError, match=message):
        read(data, filename, vocabularies)


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_opened(vocabularies, monkeypatch):
    from catalogue.harvest import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNCOMPRESSED", 64 * 1024)  # 200 MB in use
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/huge.xml", b"\0" * (65 * 1024))
    with pytest.raises(SpreadsheetError, match="too large"):
        read(buffer.getvalue(), "bomb.xlsx", vocabularies)
