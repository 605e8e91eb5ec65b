"""The dataset form mapping, without a server: document -> form fields -> document, and
problems placed beside the fields they are about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.ui.forms.diff import changed_fields
from catalogue.ui.forms.mapping import document_to_form, form_to_document
from catalogue.ui.forms.view import build_form, locate, rows_requested
from catalogue.ui.forms.view_builder import field_id
from tests.factories import closed_dataset, open_dataset, personal_dataset

SEED = Path(__file__).resolve().parent.parent / "seed" / "datasets"
NO_CHOICES: dict = {}


def round_trip(document: dict) -> DatasetDocument:
    return DatasetDocument.model_validate(form_to_document(document_to_form(document)))


@pytest.mark.parametrize("path", sorted(SEED.glob("*.json")), ids=lambda path: path.stem)
def test_every_seed_dataset_survives_the_form_unchanged(path):
    document = DatasetDocument.model_validate(json.loads(path.read_text()))
    assert round_trip(document.model_dump(mode="json")) == document


@pytest.mark.parametrize("factory", [open_dataset, closed_dataset, personal_dataset])
def test_each_classification_survives_the_form_unchanged(factory):
    document = DatasetDocument.model_validate(factory())
    assert round_trip(document.model_dump(mode="json")) == document


def test_field_names_are_document_paths():
    form = document_to_form(personal_dataset())
    assert form["title.en"] == ["Example personal dataset"]
    assert form["technical.attributes[1].personal_data_category"] == ["BirthDate"]
    assert form["legal.personal_data.legal_bases"] == ["A6-1-e"]
    assert form["legal.personal_data.retention.period"] == ["P10Y"]
    assert form["technical.attributes[0].is_identifier"] == ["true"]


def test_blank_inputs_rows_and_groups_are_left_out():
    form = {
        "slug": ["new-data"],
        "classification": ["open"],
        "title.en": ["  Roads  "],
        "title.sl": [""],
        "technical.distributions[0].access_url": [""],
        "technical.distributions[0].checksum.algorithm": ["sha256"],
        "technical.attributes[0].data_type": ["string"],  # only the preset: a blank row
        "organisational.contact_point.name": [""],
        "semantic.keywords": ["roads\n\n bridges \nroads"],
        "legal.anonymised": [""],
    }
    assert form_to_document(form) == {
        "slug": "new-data",
        "classification": "open",
        "title": {"en": "Roads"},
        "semantic": {"keywords": ["roads", "bridges"]},
    }


def test_a_value_that_does_not_parse_is_kept_as_typed():
    form = {
        "technical.distributions[0].byte_size": ["12 kB"],
        "technical.distributions[0].access_url": ["https://x.example/a.csv"],
    }
    document = form_to_document(form)
    assert document["technical"]["distributions"][0]["byte_size"] == "12 kB"
    assert document_to_form(document)["technical.distributions[0].byte_size"] == ["12 kB"]


def test_field_ids_are_valid_html_ids():
    assert field_id("technical.distributions[0].access_url") == (
        "f-technical-distributions-0-access_url"
    )


def test_problem_paths_find_the_nearest_control():
    names = [
        "title.en",
        "title.sl",
        "technical.distributions[0].title.en",
        "technical.distributions[0].access_url",
        "organisational.contact_point.name",
        "semantic.themes",
    ]
    assert locate("title", names, []) == "title.en"
    assert locate("technical.distributions", names, []) == "technical.distributions[0].title.en"
    assert locate("technical.distributions[0].access_url", names, []) == (
        "technical.distributions[0].access_url"
    )
    assert locate("semantic.themes[3]", names, []) == "semantic.themes"
    assert locate("legal.personal_data", names, ["legal.personal_data"]) == "legal.personal_data"
    assert locate("nowhere.at.all", names, []) is None


def test_problems_are_shown_beside_their_fields_and_listed_in_the_summary():
    form = document_to_form(open_dataset())
    problems = [
        Problem("technical.distributions[0].access_url", "must be an absolute http:// address"),
        Problem("legal.licence", "Open data needs an open licence."),
        Problem("semantic.themes", "Choose at least one theme."),
        Problem("technical.attributes[0].identifier_scheme", "just a warning", severity="warning"),
    ]
    choices = {"themes": [("GOVE", "Government", ""), ("ECON", "Economy", "")]}
    view = build_form(
        form, classification="open", choices=choices, languages=["en", "sl"], problems=problems
    )
    hrefs = [item.href for item in view.summary]
    assert hrefs == [
        "#f-technical-distributions-0-access_url",
        "#f-legal-licence",
        "#f-semantic-themes-0",  # the first checkbox of the group
    ]
    assert view.summary[0].label == "Distribution 1: Access address"
    assert view.summary[0].message == "Must be an absolute http:// address"


def test_the_form_asks_what_the_classification_needs():
    def visible(classification: str) -> dict[str, bool]:
        view = build_form(
            {"classification": [classification]},
            classification=classification,
            choices=NO_CHOICES,
            languages=["en"],
        )
        return {section.id: section.visible for section in view.sections}

    assert visible("open")["personal"] is False
    assert visible("personal")["personal"] is True


def test_a_part_for_another_classification_stays_visible_when_it_holds_values():
    form = {"classification": ["closed"], "legal.licence": ["CC_BY_4_0"]}
    view = build_form(form, classification="closed", choices=NO_CHOICES, languages=["en"])
    legal = next(section for section in view.sections if section.id == "legal")
    licence = next(
        item
        for item in legal.items
        if getattr(item, "classes", "") == "open" and item.item.name == "legal.licence"
    )
    assert licence.visible is True


def test_rows_asked_for_include_blank_ones():
    form = {"_rows.technical.distributions": ["3"], "technical.distributions[0].access_url": [""]}
    assert rows_requested(form) == {"technical.distributions": 3}
    view = build_form(
        form, classification="open", choices=NO_CHOICES, languages=["en"], rows=rows_requested(form)
    )
    technical = next(section for section in view.sections if section.id == "technical")
    assert len(technical.items[0].rows) == 3


def test_the_stale_page_lists_only_the_fields_that_differ():
    mine = document_to_form(open_dataset())
    theirs = document_to_form({**open_dataset(), "title": {"en": "Renamed", "sl": "Primer"}})
    mine["technical.distributions[0].access_url"] = ["https://data.example.gov/v2.csv"]
    changes = changed_fields(
        mine, theirs, classification="open", choices=NO_CHOICES, languages=["en", "sl"]
    )
    assert [(c.label, c.yours, c.current) for c in changes] == [
        ("About the dataset: Title (English)", "Example open dataset", "Renamed"),
        (
            "Distribution 1: Access address",
            "https://data.example.gov/v2.csv",
            "https://data.example.gov/open.csv",
        ),
    ]


def test_columns_are_read_from_any_csv_header_or_a_table_schema():
    import pytest

    from catalogue.ui.forms.table_schema import Column, SchemaUnreadable, read_columns

    assert read_columns("\ufeffid,name,name, birth_date \n1,Ana,Ana,2001") == [
        Column("id"),
        Column("name"),
        Column("birth_date"),
    ]
    assert [c.name for c in read_columns("a\tb\tc")] == ["a", "b", "c"]
    assert [c.name for c in read_columns('"x;1";y')] in (["x;1", "y"],)
    schema = '{"fields": [{"name": "at", "type": "datetime", "title": "When"}, {"type": "x"}]}'
    assert read_columns(schema) == [Column("at", "datetime", "When")]
    for bad in ("", '{"name": "no fields"}', "{oops"):
        with pytest.raises(SchemaUnreadable):
            read_columns(bad)
